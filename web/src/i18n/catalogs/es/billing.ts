import type { CatalogOf } from "../../types";

export default {
  free: {
    trial: "Una clase de prueba gratis de {duration} al mes con cualquier tutor que ofrezca pruebas",
    packs: "Compra paquetes de horas extra cuando quieras",
    adds: "{plan} añade {hours} de clases al mes ({perHour} la hora)",
  },
} satisfies CatalogOf<"billing">;
