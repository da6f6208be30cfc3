import { type Language, languageOf } from "../i18n/locales";

/**
 * The few words the formatters need, per language (the rest of a format is `Intl`'s). Small on purpose: the SPA's
 * first page carries it. Subjects are stored in English, lower-case; the common ones are named in each language,
 * any other is shown as stored.
 */
type Words = {
  hours: string;
  minutes: string;
  /** `{d}` is a duration: "1 h 30 min of credit". */
  credit: string;
  day: { one: string; other: string };
  perHour: string;
  subjects: Record<string, string>;
};

export const WORDS: Record<Language, Words> = {
  en: { hours: "h", minutes: "min", credit: "{d} of credit", day: { one: "day", other: "days" }, perHour: "{price}/h", subjects: {} },
  es: {
    hours: "h",
    minutes: "min",
    credit: "{d} de crédito",
    day: { one: "día", other: "días" },
    perHour: "{price}/h",
    subjects: {
      mathematics: "Matemáticas",
      english: "Inglés",
      spanish: "Español",
      portuguese: "Portugués",
      italian: "Italiano",
      chinese: "Chino",
      korean: "Coreano",
      physics: "Física",
      "computer science": "Informática",
      japanese: "Japonés",
      chemistry: "Química",
      french: "Francés",
      german: "Alemán",
      biology: "Biología",
      history: "Historia",
      python: "Python",
      music: "Música",
      arabic: "Árabe",
      economics: "Economía",
      piano: "Piano",
      statistics: "Estadística",
      calculus: "Cálculo",
      algebra: "Álgebra",
      writing: "Redacción",
      "sat prep": "Preparación del SAT",
      "ielts prep": "Preparación del IELTS",
    },
  },
  ar: {
    hours: "س",
    minutes: "د",
    credit: "{d} من الرصيد",
    day: { one: "يوم", other: "أيام" },
    perHour: "\u2068{price}\u2069/ساعة",
    subjects: {
      mathematics: "الرياضيات",
      english: "الإنجليزية",
      spanish: "الإسبانية",
      portuguese: "البرتغالية",
      italian: "الإيطالية",
      chinese: "الصينية",
      korean: "الكورية",
      physics: "الفيزياء",
      "computer science": "علوم الحاسوب",
      japanese: "اليابانية",
      chemistry: "الكيمياء",
      french: "الفرنسية",
      german: "الألمانية",
      biology: "الأحياء",
      history: "التاريخ",
      python: "بايثون",
      music: "الموسيقى",
      arabic: "العربية",
      economics: "الاقتصاد",
      piano: "البيانو",
      statistics: "الإحصاء",
      calculus: "التفاضل والتكامل",
      algebra: "الجبر",
      writing: "الكتابة",
      "sat prep": "التحضير لاختبار SAT",
      "ielts prep": "التحضير لاختبار IELTS",
    },
  },
};

export const wordsFor = (locale: string | undefined): Words => WORDS[languageOf(locale)];
