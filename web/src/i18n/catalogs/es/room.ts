import type { CatalogOf } from "../..";

export default {} satisfies CatalogOf<"room">;
