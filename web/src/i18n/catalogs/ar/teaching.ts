import type { CatalogOf } from "../../types";

export default {
  profile: {
    offersTrials: "قدّم دروسًا تجريبية",
    offersTrialsHint: "يمكن للطلاب الجدد حجز درس أول واحد معك مدته {duration} بنسبة {percent}% من سعرك ({credits} بسعرك الحالي).",
  },
} satisfies CatalogOf<"teaching">;
