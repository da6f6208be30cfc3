import { z } from "zod";
import type { Language } from "../i18n/locales";
import { interpolate } from "../i18n/translate";

/**
 * What a refused value is told, in words for people, when a schema gives no message of its own. zod's defaults
 * ("Invalid input: expected number, received NaN", "Too small: expected string to have >=1 characters") reach
 * forms and API answers otherwise. Units a person does not see (cents, minutes) need the schema's own message;
 * these are the general ones.
 *
 * The words exist in every language the app speaks. The server's answers use English (the global map below);
 * the SPA validates its forms with the same schemas and passes `humanErrorIn(language)` to each parse, so a
 * refusal is shown in the viewer's language before anything is sent.
 */
const WORDS = {
  en: {
    required: "This is required.",
    number: "Enter a number.",
    yesNo: "Choose yes or no.",
    chooseOne: "Choose at least one.",
    notAccepted: "This value isn't accepted here.",
    minChars: "Use at least {n} characters.",
    minItems: "Choose at least {n}.",
    above: "Enter a number above {n}.",
    atLeast: "Enter {n} or more.",
    tooSmall: "This is too small.",
    maxChars: "Use at most {n} characters.",
    maxItems: "Choose at most {n}.",
    below: "Enter a number below {n}.",
    atMost: "Enter {n} or less.",
    tooLarge: "This is too large.",
    email: "Enter an email address like name@example.com.",
    url: "Enter a web address starting with https://.",
    dateTime: "Enter a valid date and time.",
    format: "Check the format of this value.",
    multiple: "Enter a multiple of {n}.",
    option: "Choose one of the options.",
    unexpected: "Unexpected fields: {keys}.",
    unexpectedOne: "Unexpected field: {keys}.",
  },
  es: {
    required: "Este campo es obligatorio.",
    number: "Escribe un número.",
    yesNo: "Elige sí o no.",
    chooseOne: "Elige al menos uno.",
    notAccepted: "Este valor no se acepta aquí.",
    minChars: "Usa al menos {n} caracteres.",
    minItems: "Elige al menos {n}.",
    above: "Escribe un número mayor que {n}.",
    atLeast: "Escribe {n} o más.",
    tooSmall: "Es demasiado pequeño.",
    maxChars: "Usa como máximo {n} caracteres.",
    maxItems: "Elige como máximo {n}.",
    below: "Escribe un número menor que {n}.",
    atMost: "Escribe {n} o menos.",
    tooLarge: "Es demasiado grande.",
    email: "Escribe un correo como nombre@ejemplo.com.",
    url: "Escribe una dirección web que empiece por https://.",
    dateTime: "Escribe una fecha y hora válidas.",
    format: "Revisa el formato de este valor.",
    multiple: "Escribe un múltiplo de {n}.",
    option: "Elige una de las opciones.",
    unexpected: "Campos inesperados: {keys}.",
    unexpectedOne: "Campo inesperado: {keys}.",
  },
  ar: {
    required: "هذا الحقل مطلوب.",
    number: "أدخل رقمًا.",
    yesNo: "اختر نعم أو لا.",
    chooseOne: "اختر خيارًا واحدًا على الأقل.",
    notAccepted: "هذه القيمة غير مقبولة هنا.",
    minChars: "استخدم {n} أحرف على الأقل.",
    minItems: "اختر {n} على الأقل.",
    above: "أدخل رقمًا أكبر من {n}.",
    atLeast: "أدخل {n} أو أكثر.",
    tooSmall: "القيمة صغيرة جدًا.",
    maxChars: "استخدم {n} حرفًا على الأكثر.",
    maxItems: "اختر {n} على الأكثر.",
    below: "أدخل رقمًا أصغر من {n}.",
    atMost: "أدخل {n} أو أقل.",
    tooLarge: "القيمة كبيرة جدًا.",
    email: "أدخل بريدًا إلكترونيًا مثل name@example.com.",
    url: "أدخل عنوان ويب يبدأ بـ https://.",
    dateTime: "أدخل تاريخًا ووقتًا صحيحين.",
    format: "تحقّق من صيغة هذه القيمة.",
    multiple: "أدخل مضاعفًا لـ{n}.",
    option: "اختر أحد الخيارات.",
    unexpected: "حقول غير متوقعة: {keys}.",
    unexpectedOne: "حقل غير متوقع: {keys}.",
  },
} as const satisfies Record<Language, Record<string, string>>;

export type HumanErrorWord = keyof (typeof WORDS)["en"];
export const HUMAN_ERROR_WORDS: Record<Language, Record<HumanErrorWord, string>> = WORDS;

const cache = new Map<Language, z.core.$ZodErrorMap>();

/** The error map speaking `language` (numbers in holes written for it). */
export function humanErrorIn(language: Language): z.core.$ZodErrorMap {
  let map = cache.get(language);
  if (map) return map;
  const w = HUMAN_ERROR_WORDS[language];
  const say = (word: HumanErrorWord, params?: Record<string, string | number>) => interpolate(w[word], params, language);
  map = (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined || issue.input === null || issue.input === "") return say("required");
        if (issue.expected === "number" || issue.expected === "int") return say("number");
        if (issue.expected === "boolean") return say("yesNo");
        if (issue.expected === "array") return say("chooseOne");
        return say("notAccepted");
      case "too_small": {
        const n = Number(issue.minimum);
        if (issue.origin === "string") return n <= 1 ? say("required") : say("minChars", { n });
        if (issue.origin === "array" || issue.origin === "set") return n <= 1 ? say("chooseOne") : say("minItems", { n });
        if (issue.origin === "number" || issue.origin === "int") return issue.inclusive === false ? say("above", { n }) : say("atLeast", { n });
        return say("tooSmall");
      }
      case "too_big": {
        const n = Number(issue.maximum);
        if (issue.origin === "string") return say("maxChars", { n });
        if (issue.origin === "array" || issue.origin === "set") return say("maxItems", { n });
        if (issue.origin === "number" || issue.origin === "int") return issue.inclusive === false ? say("below", { n }) : say("atMost", { n });
        return say("tooLarge");
      }
      case "invalid_format":
        if (issue.format === "email") return say("email");
        if (issue.format === "url") return say("url");
        if (issue.format === "datetime" || issue.format === "date" || issue.format === "time") return say("dateTime");
        return say("format");
      case "not_multiple_of":
        return say("multiple", { n: Number(issue.divisor) });
      case "invalid_value":
        return say("option");
      case "unrecognized_keys":
        return say(issue.keys.length === 1 ? "unexpectedOne" : "unexpected", { keys: issue.keys.join(", ") });
      case "invalid_union":
      case "invalid_key":
      case "invalid_element":
        return say("notAccepted");
      default:
        return undefined;
    }
  };
  cache.set(language, map);
  return map;
}

/** The English map: the server's answers, and any parse not given another. */
export const humanError: z.core.$ZodErrorMap = humanErrorIn("en");

z.config({ customError: humanError });
