import type { CatalogOf } from "../../types";

export default {
  profile: {
    offersTrials: "Ofrecer clases de prueba",
    offersTrialsHint: "Los estudiantes nuevos pueden reservar contigo una primera clase de {duration} al {percent}% de tu precio ({credits} con tu tarifa actual).",
  },
} satisfies CatalogOf<"teaching">;
