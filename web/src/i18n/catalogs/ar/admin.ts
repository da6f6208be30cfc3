import type { CatalogOf } from "../../types";

export default {} satisfies CatalogOf<"admin">;
