import { z } from "zod";
import { formatMoney } from "../format/amounts";
import { type Language, directionOf } from "../i18n/locales";
import { formatNumber, interpolate, isolated } from "../i18n/translate";

/**
 * What a refused value is told, in words for people, when a schema gives no message of its own. zod's defaults
 * ("Invalid input: expected number, received NaN", "Too small: expected string to have >=1 characters") reach
 * forms and API answers otherwise. Units a person does not see (cents, minutes) need the schema's own message;
 * these are the general ones.
 *
 * The words exist in every language the app speaks. The SPA validates its forms with the same schemas and passes
 * `humanErrorIn(language)` to each parse, so a refusal is shown in the viewer's language before anything is sent;
 * the Worker's validator does the same with the asker's language (worker/lib/validate.ts), and English (the
 * global map below) is for every parse given no other. A schema that needs words of its own names
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
    // A schema's own refusals (named with `ownWords`) — the tutor's profile (domain/schemas/tutor.ts):
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
    // The account's words (domain/schemas/auth.ts).
    nameRequired: "Tell us your name.",
    nameNoLineBreaks: "Use letters, spaces and punctuation only (no line breaks).",
    localeFormat: "Use a language tag like en or en-GB.",
    localeUnknown: "Unknown language tag.",
    roleChoice: "Choose student or tutor.",
    passwordRequired: "Enter your password.",
    currentPasswordRequired: "Enter your current password.",
    changeOneField: "Change at least one field.",
    linkInvalid: "This link is not valid.",
    reasonRequired: "Say why.",
    // Zones and instants (domain/schemas/common.ts).
    timeZoneUnknown: "Unknown time zone; use an IANA name like Europe/Berlin.",
    instantFormat: "Use an ISO 8601 UTC instant like 2027-03-01T09:00:00Z.",
    instantTooEarly: "Use an instant from 2000-01-01 on.",
    // Opening hours (domain/schemas/availability.ts).
    timeFormat: 'Use a time like "09:30" (00:00–23:59).',
    endTimeFormat: 'Use a time like "17:00" (00:00–24:00).',
    timeRangeSame: "Start and end must differ; an end at or before the start runs past midnight (use 00:00–24:00 for a whole day).",
    calendarDate: "Use a calendar date like 2027-03-14.",
    overrideDuplicate: "Only one override per date ({date}).",
    weeklyOverlap: "{day} {start}–{end} overlaps {otherDay} {otherStart}–{otherEnd}. Join them into one range or change one of them.",
    durationChoice: "Choose a duration of {durations} minutes.",
    // Bookings, slots and reports (booking.ts, finance.ts).
    trialMinutes: "A trial session is {n} minutes long.",
    trialSingle: "A trial session is a single 1:1 session.",
    endAfterStart: "The end must be after the start.",
    rangeMaxDays: "Ask for at most {n} days at a time.",
    periodMaxDays: "A period covers at most {n} days.",
    // Messages (conversation.ts) and session summaries (video.ts).
    conversationWith: "Send either tutorId (as a student) or studentId (as a tutor).",
    messageRequired: "Write a message.",
    messageMaxChars: "Keep it under {n} characters.",
    cursorInvalid: "Use the nextCursor of a previous page.",
    reportReason: "Choose what is wrong.",
    summaryRequired: "Write a few words about the session.",
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
    nameRequired: "Dinos tu nombre.",
    nameNoLineBreaks: "Usa solo letras, espacios y signos de puntuación (sin saltos de línea).",
    localeFormat: "Usa una etiqueta de idioma como es o es-MX.",
    localeUnknown: "No conocemos esa etiqueta de idioma.",
    roleChoice: "Elige si eres estudiante o tutor.",
    passwordRequired: "Escribe tu contraseña.",
    currentPasswordRequired: "Escribe tu contraseña actual.",
    changeOneField: "Cambia al menos un campo.",
    linkInvalid: "Este enlace no es válido.",
    reasonRequired: "Indica el motivo.",
    timeZoneUnknown: "No conocemos esa zona horaria; usa un nombre IANA como Europe/Madrid.",
    instantFormat: "Usa un instante UTC en formato ISO 8601, como 2027-03-01T09:00:00Z.",
    instantTooEarly: "Usa un instante a partir del 2000-01-01.",
    timeFormat: "Escribe una hora como «09:30» (de 00:00 a 23:59).",
    endTimeFormat: "Escribe una hora como «17:00» (de 00:00 a 24:00).",
    timeRangeSame: "El inicio y el fin tienen que ser distintos; si el fin es anterior al inicio, el horario pasa de la medianoche (para el día entero, usa de 00:00 a 24:00).",
    calendarDate: "Escribe una fecha como 2027-03-14.",
    overrideDuplicate: "Solo puede haber una excepción por fecha ({date}).",
    weeklyOverlap: "El horario del {day} de {start} a {end} se solapa con el del {otherDay} de {otherStart} a {otherEnd}. Únelos en uno solo o cambia uno de los dos.",
    durationChoice: "Elige una duración de {durations} minutos.",
    trialMinutes: "Una sesión de prueba dura {n} minutos.",
    trialSingle: "Una sesión de prueba es una sola sesión individual.",
    endAfterStart: "El final tiene que ser posterior al inicio.",
    rangeMaxDays: "Pide como máximo {n} días cada vez.",
    periodMaxDays: "Un periodo abarca como máximo {n} días.",
    conversationWith: "Envía tutorId (si eres estudiante) o studentId (si eres tutor).",
    messageRequired: "Escribe un mensaje.",
    messageMaxChars: "El mensaje puede tener como máximo {n} caracteres.",
    cursorInvalid: "Usa el nextCursor de una página anterior.",
    reportReason: "Elige cuál es el problema.",
    summaryRequired: "Escribe unas palabras sobre la sesión.",
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
    nameRequired: "أخبرنا باسمك.",
    nameNoLineBreaks: "استخدم الحروف والمسافات وعلامات الترقيم فقط (بلا أسطر جديدة).",
    localeFormat: "استخدم رمز لغة مثل ar أو ar-EG.",
    localeUnknown: "رمز اللغة هذا غير معروف.",
    roleChoice: "اختر إن كنت طالبًا أو مدرّسًا.",
    passwordRequired: "أدخل كلمة المرور.",
    currentPasswordRequired: "أدخل كلمة المرور الحالية.",
    changeOneField: "غيّر حقلًا واحدًا على الأقل.",
    linkInvalid: "هذا الرابط غير صالح.",
    reasonRequired: "اذكر السبب.",
    timeZoneUnknown: "المنطقة الزمنية غير معروفة؛ استخدم اسمًا من قائمة IANA مثل Asia/Riyadh.",
    instantFormat: "أدخل لحظة بتوقيت UTC بصيغة ISO 8601، مثل 2027-03-01T09:00:00Z.",
    instantTooEarly: "أدخل لحظة من 2000-01-01 فصاعدًا.",
    timeFormat: "أدخل وقتًا مثل 09:30 (من 00:00 إلى 23:59).",
    endTimeFormat: "أدخل وقتًا مثل 17:00 (من 00:00 إلى 24:00).",
    timeRangeSame: "يجب أن تختلف البداية عن النهاية؛ والنهاية التي تسبق البداية تمتد إلى ما بعد منتصف الليل (لليوم كله استخدم من 00:00 إلى 24:00).",
    calendarDate: "أدخل تاريخًا مثل 2027-03-14.",
    overrideDuplicate: "لا يكون للتاريخ الواحد إلا استثناء واحد ({date}).",
    weeklyOverlap: "تتداخل فترة يوم {day} من {start} إلى {end} مع فترة يوم {otherDay} من {otherStart} إلى {otherEnd}. اجمعهما في فترة واحدة أو غيّر إحداهما.",
    durationChoice: "اختر مدة بالدقائق: {durations}.",
    trialMinutes: "مدة الجلسة التجريبية {n} دقيقة.",
    trialSingle: "الجلسة التجريبية جلسة فردية واحدة.",
    endAfterStart: "يجب أن تكون النهاية بعد البداية.",
    rangeMaxDays: "اطلب {n} يومًا على الأكثر في كل مرة.",
    periodMaxDays: "لا تتجاوز الفترة {n} يومًا.",
    conversationWith: "أرسل tutorId (إن كنت طالبًا) أو studentId (إن كنت مدرّسًا).",
    messageRequired: "اكتب رسالة.",
    messageMaxChars: "عدد أحرف الرسالة {n} على الأكثر.",
    cursorInvalid: "استخدم قيمة nextCursor من صفحة سابقة.",
    reportReason: "اختر نوع المشكلة.",
    summaryRequired: "اكتب بضع كلمات عن الجلسة.",
  },
} as const satisfies Record<Language, Record<string, string>>;

export type HumanErrorWord = keyof (typeof WORDS)["en"];
export const HUMAN_ERROR_WORDS: Record<Language, Record<HumanErrorWord, string>> = WORDS;

/**
 * What fills a word's hole, written for the language: a count; an amount of US dollars in cents ("$5", "5 US$"); a
 * weekday, ISO 1 = Monday ("Monday", "lunes"); the numbers to choose from ("30, 45, or 60", "30, 45 o 60"); or
 * text said as it is (a date or a time as the request wrote it).
 */
export type Hole = number | string | { usdCents: number } | { weekday: number } | { anyOf: readonly number[] };
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
 * "subjectMaxChars", { n: 40 }))`. It is said in the language of the parse (the viewer's, the asker's, else English).
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

/** A hole's value in `language`'s words; numbers stay numbers (interpolate writes them in the language's digits). */
function written(hole: Hole, language: Language): string | number {
  if (typeof hole !== "object") return hole;
  if ("usdCents" in hole) return formatMoney(hole.usdCents, "usd", language);
  // 2024-01-01 was a Monday: ISO weekday n is January n of that year.
  if ("weekday" in hole) return new Intl.DateTimeFormat(language, { weekday: "long", timeZone: "UTC" }).format(Date.UTC(2024, 0, hole.weekday));
  return new Intl.ListFormat(language, { type: "disjunction" }).format(hole.anyOf.map((n) => formatNumber(n, language)));
}

const cache = new Map<Language, z.core.$ZodErrorMap>();

/** The error map speaking `language` (numbers in holes written for it, amounts in its currency format). */
export function humanErrorIn(language: Language): z.core.$ZodErrorMap {
  let map = cache.get(language);
  if (map) return map;
  const w = HUMAN_ERROR_WORDS[language];
  const say = (word: HumanErrorWord, holes?: Record<string, Hole>) => {
    const params = holes && Object.fromEntries(Object.entries(holes).map(([k, v]) => [k, written(v, language)]));
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
