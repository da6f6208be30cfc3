import type { CatalogOf } from "../../types";

export default {
  fields: {
    email: "البريد الإلكتروني",
    password: "كلمة المرور",
    name: "الاسم",
    timezone: "المنطقة الزمنية",
  },
  login: {
    title: "تسجيل الدخول",
    intro: "مرحبًا بعودتك إلى Tutorly.",
    submit: "تسجيل الدخول",
    submitting: "جارٍ تسجيل الدخول…",
    newHere: "جديد هنا؟",
    createAccount: "أنشئ حسابًا",
    forgot: "نسيت كلمة المرور؟",
  },
  signup: {
    title: "أنشئ حسابك",
    intro: "تعلّم مع مدرّس، أو درّس على Tutorly.",
    submit: "إنشاء الحساب",
    submitting: "جارٍ إنشاء الحساب…",
    haveAccount: "لديك حساب بالفعل؟",
    logIn: "تسجيل الدخول",
    iWantTo: "أريد أن",
    learn: "أتعلّم",
    learnHint: "أحجز جلسات مع مدرّسين",
    teach: "أدرّس",
    teachHint: "أنشر ساعاتي وأتقاضى أجري",
    passwordHint: "8 أحرف على الأقل.",
    timezoneHint: "اكتُشفت من متصفحك؛ تُعرض الأوقات بهذه المنطقة.",
  },
} satisfies CatalogOf<"auth">;
