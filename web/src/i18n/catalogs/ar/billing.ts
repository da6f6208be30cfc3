import type { CatalogOf } from "../../types";

export default {
  summary: {
    title: "رصيدك",
    loadFailed: "تعذّر تحميل رصيدك.",
    left: "من وقت التدريس المتبقي",
    expires: "ينتهي {amount} في {date}",
    promoExpires: "ينتهي {amount} ترويجي في {date}",
    policy: "الرصيد والسياسة",
    plans: "الخطط والباقات",
  },
  lot: {
    promo: "رصيد ترويجي",
    grant: "خطة أو باقة",
    adjustment: "تعديل",
    promoBadge: "ترويجي",
    onHold: "معلّق",
    onHoldTitle: "الدفعة الخاصة بهذا الرصيد محلّ نزاع؛ يمكن استخدامه مجددًا إذا حُسم النزاع لصالحك.",
  },
} satisfies CatalogOf<"billing">;
