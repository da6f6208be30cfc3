import type { CatalogOf } from "../../types";

export default {
  home: {
    welcome: "أهلًا بك، {name}",
    scheduleIn: "يُحفظ جدولك بتوقيت {zone}.",
    waiting: "ملفك بانتظار الموافقة. سيتمكّن الطلاب من العثور عليك والحجز معك بعد أن يوافق عليه أحد المشرفين.",
    approved: "تمت الموافقة عليك وأنت ظاهر في البحث.",
    profile: "ملفك الشخصي",
    about: "نبذة عنك",
    subjects: "المواد",
    subjectsHint: "مفصولة بفواصل، مثل: رياضيات، فيزياء",
    rate: "السعر بالساعة (دولار أمريكي)",
    zone: "منطقتك الزمنية",
    saving: "جارٍ الحفظ…",
    save: "احفظ الملف",
    saved: "تم الحفظ.",
    pays: "يدفع الطلاب {rate}؛ وبالقيمة القياسية للرصيد تكسب {earns} عن كل ساعة بعد عمولة المنصة البالغة {commission}.",
    allowed: "المسموح: {min}–{max}. يسري السعر الجديد على الحجوزات الجديدة فقط.",
    noneBooked: "لا جلسات محجوزة بعد.",
    publicPage: "اعرض صفحتي العامة",
  },
} satisfies CatalogOf<"teaching">;
