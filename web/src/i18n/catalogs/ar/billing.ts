import type { CatalogOf } from "../../types";

export default {
  free: {
    trial: "درس تجريبي مجاني واحد مدته {duration} كل شهر مع أي مدرّس يقدّم دروسًا تجريبية",
    packs: "اشترِ باقات ساعات إضافية في أي وقت",
    adds: "تضيف {plan} {hours} من الدروس شهريًا ({perHour} للساعة)",
  },
} satisfies CatalogOf<"billing">;
