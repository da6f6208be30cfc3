import { z } from "zod";
import { formatMoney } from "../format/amounts";
import { type Language, directionOf } from "../i18n/locales";
import { interpolate, isolated } from "../i18n/translate";

/**
 * What a refused value is told, in words for people, when a schema gives no message of its own. zod's defaults
 * ("Invalid input: expected number, received NaN", "Too small: expected string to have >=1 characters") reach
 * forms and API answers otherwise. Units a person does not see (cents, minutes) need the schema's own message;
 * these are the general ones.
 *
 * The words exist in every language the app speaks. The server's answers use English (the global map below);
 * the SPA validates its forms with the same schemas and passes `humanErrorIn(language)` to each parse, so a
 * refusal is shown in the viewer's language before anything is sent. A schema that needs words of its own names
 * them from this table (`ownWords`) rather than writing an English message into itself.
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
    // A schema's own refusals (named with `ownWords`): the tutor's profile (domain/schemas/tutor.ts).
    subjectsMin: "Teach at least one subject.",
    subjectsMax: "List at most {n} subjects.",
    subjectMaxChars: "Keep each subject under {n} characters.",
    subjectMinLetters: "Each subject needs at least {n} letters.",
    rateNumber: "Enter your hourly rate in dollars, e.g. 40.",
    rateCents: "Enter your hourly rate in dollars and cents, e.g. 40.50.",
    rateMin: "The hourly rate is at least {amount}.",
    rateMax: "The hourly rate is at most {amount}.",
    rateBoundsOrder: "The lowest rate must not be above the highest",
    videoLinkMaxChars: "Keep the video link under {n} characters.",
    videoLink: "Paste an https link to your video on YouTube or Vimeo.",
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
    subjectsMin: "Añade al menos una materia que enseñes.",
    subjectsMax: "Indica como máximo {n} materias.",
    subjectMaxChars: "Cada materia puede tener como máximo {n} caracteres.",
    subjectMinLetters: "Cada materia necesita al menos {n} letras.",
    rateNumber: "Escribe tu tarifa por hora en dólares, por ejemplo 40.",
    rateCents: "Escribe tu tarifa por hora en dólares, con dos decimales como máximo.",
    rateMin: "La tarifa por hora mínima es de {amount}.",
    rateMax: "La tarifa por hora máxima es de {amount}.",
    rateBoundsOrder: "La tarifa mínima no puede ser mayor que la máxima.",
    videoLinkMaxChars: "El enlace del vídeo puede tener como máximo {n} caracteres.",
    videoLink: "Pega un enlace https a tu vídeo de YouTube o Vimeo.",
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
    subjectsMin: "أضف مادة واحدة على الأقل تدرّسها.",
    subjectsMax: "اذكر {n} مادة على الأكثر.",
    subjectMaxChars: "عدد أحرف كل مادة {n} على الأكثر.",
    subjectMinLetters: "عدد حروف كل مادة {n} على الأقل.",
    rateNumber: "أدخل سعرك بالساعة بالدولار، مثل 40.",
    rateCents: "أدخل سعرك بالساعة بالدولار، بمنزلتين عشريتين على الأكثر.",
    rateMin: "أقل سعر بالساعة هو {amount}.",
    rateMax: "أعلى سعر بالساعة هو {amount}.",
    rateBoundsOrder: "يجب ألا يزيد أدنى سعر على أعلى سعر.",
    videoLinkMaxChars: "عدد أحرف رابط الفيديو {n} على الأكثر.",
    videoLink: "الصق رابط https لفيديو لك على YouTube أو Vimeo.",
  },
} as const satisfies Record<Language, Record<string, string>>;

export type HumanErrorWord = keyof (typeof WORDS)["en"];
export const HUMAN_ERROR_WORDS: Record<Language, Record<HumanErrorWord, string>> = WORDS;

/** What fills a word's hole: a count, or an amount of US dollars in cents (written for the language: "$5", "5 US$"). */
export type Hole = number | { usdCents: number };
type Own = { word: HumanErrorWord; holes?: Record<string, Hole> };

/**
 * The words schemas named for their own refusals, by the error map (or issue token) that names them. zod asks a
 * check's own map before the map given to the parse, so a message written into a schema would be said in English
 * to everyone; a schema's map made by `ownWords` says nothing, and the parse's map (`humanErrorIn`) looks its words
 * up here and says them in its language.
 */
const OWN = new WeakMap<object, Own>();
const OWN_PARAM = "humanErrorWords";

/**
 * A schema's own refusal, in the language of the parse: `.min(1, ownWords("subjectsMin"))`, `.max(40, ownWords(
 * "subjectMaxChars", { n: 40 }))`. The SPA's forms say it in the viewer's language; the server's answers in English.
 */
export function ownWords(word: HumanErrorWord, holes?: Record<string, Hole>): { error: z.core.$ZodErrorMap } {
  const error: z.core.$ZodErrorMap = () => undefined;
  OWN.set(error, { word, holes });
  return { error };
}

/** The same for an issue a transform raises itself: `ctx.addIssue(ownIssue("videoLink"))`. */
export function ownIssue(word: HumanErrorWord, holes?: Record<string, Hole>) {
  const token = {};
  OWN.set(token, { word, holes });
  return { code: "custom" as const, params: { [OWN_PARAM]: token } };
}

const ownOf = (by: { _zod: { def: { error?: object } } } | undefined) => {
  const map = by?._zod.def.error;
  return map ? OWN.get(map) : undefined;
};

/** The words a schema named for this issue: its own token, else the map of the check that raised it, else its schema's. */
function ownWordsOf(issue: z.core.$ZodRawIssue): Own | undefined {
  const token: unknown = issue.code === "custom" ? issue.params?.[OWN_PARAM] : undefined;
  const fromToken = typeof token === "object" && token !== null ? OWN.get(token) : undefined;
  return fromToken ?? ownOf(issue.inst) ?? ownOf(issue.schema);
}

const cache = new Map<Language, z.core.$ZodErrorMap>();

/** The error map speaking `language` (numbers in holes written for it, amounts in its currency format). */
export function humanErrorIn(language: Language): z.core.$ZodErrorMap {
  let map = cache.get(language);
  if (map) return map;
  const w = HUMAN_ERROR_WORDS[language];
  const written = (hole: Hole | string) => (typeof hole === "object" ? formatMoney(hole.usdCents, "usd", language) : hole);
  const say = (word: HumanErrorWord, holes?: Record<string, Hole | string>) => {
    const params = holes && Object.fromEntries(Object.entries(holes).map(([k, v]) => [k, written(v)]));
    // Latin text put into an Arabic sentence (an amount, field names) is isolated, as the SPA's t() does.
    return interpolate(w[word], isolated(params, directionOf(language)), language);
  };
  map = (issue) => {
    const own = ownWordsOf(issue);
    if (own) return say(own.word, own.holes);
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
