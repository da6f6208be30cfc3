import type { CatalogOf } from "../../types";

export default {
  summary: {
    title: "Tus créditos",
    loadFailed: "No pudimos cargar tus créditos.",
    left: "de tiempo de tutoría disponible",
    expires: "{amount} caducan el {date}",
    promoExpires: "{amount} promocionales caducan el {date}",
    policy: "Créditos y condiciones",
    plans: "Planes y paquetes",
  },
  lot: {
    promo: "Crédito promocional",
    grant: "Plan o paquete",
    adjustment: "Ajuste",
    promoBadge: "Promocional",
    onHold: "Retenido",
    onHoldTitle: "El pago de este crédito está en disputa; podrás usarlo de nuevo si la disputa se resuelve a tu favor.",
  },
} satisfies CatalogOf<"billing">;
