import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LoginSchema, MailTokenSchema, NameSchema, ProfileUpdateSchema, SignupSchema } from "./auth";
import { AvailabilityInputSchema, AvailabilityUpdateSchema, DurationSchema, HHMMSchema, TimeRangeSchema } from "./availability";
import { CreateBookingSchema, SlotsQuerySchema } from "./booking";
import { TimeZoneSchema } from "./common";
import { MessageTextSchema, ReportSchema, StartConversationSchema } from "./conversation";
import { FinanceQuerySchema } from "./finance";
import { IntroVideoUrlSchema, RateBoundsSchema, SubjectSchema, TutorProfileInputSchema } from "./tutor";
import { SessionSummaryInputSchema } from "./video";
import { HUMAN_ERROR_WORDS, humanErrorIn } from "./humanErrors";

const JARGON = /expected|received|NaN|Invalid input|Too (small|big)|>=|<=/;
const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("refusals speak to people", () => {
  it.each([
    ["signup, all empty", SignupSchema, { email: "", password: "", name: "", role: "", timezone: "" }],
    ["signup, nothing sent", SignupSchema, {}],
    ["login, all empty", LoginSchema, { email: "", password: "" }],
    ["tutor profile, empty rate box", TutorProfileInputSchema, { bio: "", subjects: [], hourlyRateCents: Number.NaN, timezone: "UTC" }],
    ["tutor profile, huge rate", TutorProfileInputSchema, { bio: "x".repeat(3000), subjects: ["a"], hourlyRateCents: 1e9, timezone: "Nowhere/City" }],
    ["availability, empty number boxes", AvailabilityInputSchema, { timezone: "UTC", weekly: [{ weekday: 9, start: "25:00", end: "" }], overrides: [], bufferMinutes: Number.NaN, minNoticeMinutes: "", horizonDays: -1 }],
  ])("%s: no zod wording reaches the screen", (_, schema, value) => {
    const said = messages(schema as z.ZodType, value);
    expect(said.length).toBeGreaterThan(0);
    for (const m of said) expect(m).not.toMatch(JARGON);
  });

  it("says the tutor's rate in dollars, as the form shows it, never in cents", () => {
    const rate = (cents: number) => messages(TutorProfileInputSchema.shape.hourlyRateCents, cents);
    expect(rate(Number.NaN)).toEqual(["Enter your hourly rate in dollars, e.g. 40."]);
    expect(rate(100)).toEqual(["The hourly rate is at least $5."]);
    expect(rate(200_000)).toEqual(["The hourly rate is at most $1,000."]);
  });

  it.each([
    [z.string().min(1), "", "This is required."],
    [z.string().min(8), "short", "Use at least 8 characters."],
    [z.string().max(3), "long text", "Use at most 3 characters."],
    [z.number(), Number.NaN, "Enter a number."],
    [z.number(), undefined, "This is required."],
    [z.number().int().min(2).max(8), 9, "Enter 8 or less."],
    [z.email(), "nope", "Enter an email address like name@example.com."],
    [z.enum(["a", "b"]), "c", "Choose one of the options."],
  ])("a schema without its own message still answers in words (%#)", (schema, value, text) => {
    expect(messages(schema, value)).toEqual([text]);
  });
});

describe("refusals in the viewer's language (the SPA passes humanErrorIn(language) to each parse)", () => {
  const said = (schema: z.ZodType, value: unknown, language: "en" | "es" | "ar") => {
    const r = schema.safeParse(value, { error: humanErrorIn(language) });
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  it.each([
    [z.string().min(1), "", "Este campo es obligatorio.", "هذا الحقل مطلوب."],
    [z.string().min(8), "short", "Usa al menos 8 caracteres.", "استخدم 8 أحرف على الأقل."],
    [z.number().int().min(2).max(8), 9, "Escribe 8 o menos.", "أدخل 8 أو أقل."],
    [z.email(), "nope", "Escribe un correo como nombre@ejemplo.com.", "أدخل بريدًا إلكترونيًا مثل name@example.com."],
    [z.enum(["a", "b"]), "c", "Elige una de las opciones.", "اختر أحد الخيارات."],
  ])("a general refusal is said in Spanish and Arabic (%#)", (schema, value, es, ar) => {
    expect(said(schema, value, "es")).toEqual([es]);
    expect(said(schema, value, "ar")).toEqual([ar]);
  });

  it("the English map stays the default (the server's answers)", () => {
    expect(messages(z.string().min(1), "")).toEqual(["This is required."]);
    expect(messages(TutorProfileInputSchema.shape.hourlyRateCents, 100)).toEqual(["The hourly rate is at least $5."]);
  });

  it("a tutor's profile with no subject and a rate of $2 is refused in Spanish and Arabic, field by field", () => {
    const form = { bio: "", subjects: [], hourlyRateCents: 200, timezone: "UTC" };
    const byField = (language: "en" | "es" | "ar") => {
      const r = TutorProfileInputSchema.safeParse(form, { error: humanErrorIn(language) });
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(byField("en")).toEqual({ subjects: "Teach at least one subject.", hourlyRateCents: "The hourly rate is at least $5." });
    expect(byField("es")).toEqual({ subjects: "Añade al menos una materia que enseñes.", hourlyRateCents: "La tarifa por hora mínima es de 5\u00a0US$." });
    expect(byField("ar")).toEqual({ subjects: "أضف مادة واحدة على الأقل تدرّسها.", hourlyRateCents: "أقل سعر بالساعة هو \u2068\u200f5\u00a0US$\u2069." });
  });

  const RATE = TutorProfileInputSchema.shape.hourlyRateCents;
  const SUBJECTS = TutorProfileInputSchema.shape.subjects;
  it.each([
    ["no subject", SUBJECTS, [], "Teach at least one subject.", "Añade al menos una materia que enseñes.", "أضف مادة واحدة على الأقل تدرّسها."],
    ["13 subjects", SUBJECTS, Array.from({ length: 13 }, (_, i) => `subject ${i}`), "List at most 12 subjects.", "Indica como máximo 12 materias.", "اذكر 12 مادة على الأكثر."],
    ["a 41-character subject", SubjectSchema, "x".repeat(41), "Keep each subject under 40 characters.", "Cada materia puede tener como máximo 40 caracteres.", "عدد أحرف كل مادة 40 على الأكثر."],
    ["a one-letter subject", SubjectSchema, "x", "Each subject needs at least 2 letters.", "Cada materia necesita al menos 2 letras.", "عدد حروف كل مادة 2 على الأقل."],
    ["an empty rate box", RATE, Number.NaN, "Enter your hourly rate in dollars, e.g. 40.", "Escribe tu tarifa por hora en dólares, por ejemplo 40.", "أدخل سعرك بالساعة بالدولار، مثل 40."],
    ["a rate with a fraction of a cent", RATE, 4050.5, "Enter your hourly rate in dollars and cents, e.g. 40.50.", "Escribe tu tarifa por hora en dólares, con dos decimales como máximo.", "أدخل سعرك بالساعة بالدولار، بمنزلتين عشريتين على الأكثر."],
    ["a rate over $1,000", RATE, 200_000, "The hourly rate is at most $1,000.", "La tarifa por hora máxima es de 1000\u00a0US$.", "أعلى سعر بالساعة هو \u2068\u200f1,000\u00a0US$\u2069."],
    ["a link that is not a video", IntroVideoUrlSchema, "https://example.com/watch?v=abcdefghijk", "Paste an https link to your video on YouTube or Vimeo.", "Pega un enlace https a tu vídeo de YouTube o Vimeo.", "الصق رابط https لفيديو لك على YouTube أو Vimeo."],
    ["a 301-character video link", IntroVideoUrlSchema, `https://youtu.be/${"a".repeat(284)}`, "Keep the video link under 300 characters.", "El enlace del vídeo puede tener como máximo 300 caracteres.", "عدد أحرف رابط الفيديو 300 على الأكثر."],
    ["rate bounds the wrong way round", RateBoundsSchema, { minHourlyRateCents: 5000, maxHourlyRateCents: 4000 }, "The lowest rate must not be above the highest", "La tarifa mínima no puede ser mayor que la máxima.", "يجب ألا يزيد أدنى سعر على أعلى سعر."],
  ])("the tutor schemas' own refusal for %s is said in the viewer's language", (_, schema, value, en, es, ar) => {
    expect(said(schema as z.ZodType, value, "en")).toEqual([en]);
    expect(said(schema as z.ZodType, value, "es")).toEqual([es]);
    expect(said(schema as z.ZodType, value, "ar")).toEqual([ar]);
  });

  const weekly = (...rules: [number, string, string][]) => ({ timezone: "UTC", overrides: [], weekly: rules.map(([weekday, start, end]) => ({ weekday, start, end })) });
  const day = (date: string) => ({ date, intervals: [] });
  it.each([
    ["an empty name", NameSchema, "", "Tell us your name.", "Dinos tu nombre.", "أخبرنا باسمك."],
    ["a name with a line break", NameSchema, "Ana\nBcc: x", "Use letters, spaces and punctuation only (no line breaks).", "Usa solo letras, espacios y signos de puntuación (sin saltos de línea).", "استخدم الحروف والمسافات وعلامات الترقيم فقط (بلا أسطر جديدة)."],
    ["a role that is neither", SignupSchema.shape.role, "teacher", "Choose student or tutor.", "Elige si eres estudiante o tutor.", "اختر إن كنت طالبًا أو مدرّسًا."],
    ["an empty password at login", LoginSchema.shape.password, "", "Enter your password.", "Escribe tu contraseña.", "أدخل كلمة المرور."],
    ["a broken mailed link", MailTokenSchema, "abc", "This link is not valid.", "Este enlace no es válido.", "هذا الرابط غير صالح."],
    ["a profile change that changes nothing", ProfileUpdateSchema, {}, "Change at least one field.", "Cambia al menos un campo.", "غيّر حقلًا واحدًا على الأقل."],
    ["an unknown time zone", TimeZoneSchema, "Mars/Olympus", "Unknown time zone; use an IANA name like Europe/Berlin.", "No conocemos esa zona horaria; usa un nombre IANA como Europe/Madrid.", "المنطقة الزمنية غير معروفة؛ استخدم اسمًا من قائمة IANA مثل Asia/Riyadh."],
    ["a time of 25:00", HHMMSchema, "25:00", 'Use a time like "09:30" (00:00–23:59).', "Escribe una hora como «09:30» (de 00:00 a 23:59).", "أدخل وقتًا مثل 09:30 (من 00:00 إلى 23:59)."],
    ["a range that starts where it ends", TimeRangeSchema, { start: "09:00", end: "09:00" }, "Start and end must differ; an end at or before the start runs past midnight (use 00:00–24:00 for a whole day).", "El inicio y el fin tienen que ser distintos; si el fin es anterior al inicio, el horario pasa de la medianoche (para el día entero, usa de 00:00 a 24:00).", "يجب أن تختلف البداية عن النهاية؛ والنهاية التي تسبق البداية تمتد إلى ما بعد منتصف الليل (لليوم كله استخدم من 00:00 إلى 24:00)."],
    ["two overrides of one date", AvailabilityInputSchema, { timezone: "UTC", weekly: [], overrides: [day("2027-03-14"), day("2027-03-14")] }, "Only one override per date (2027-03-14).", "Solo puede haber una excepción por fecha (2027-03-14).", "لا يكون للتاريخ الواحد إلا استثناء واحد (\u20682027-03-14\u2069)."],
    ["a date written the local way", AvailabilityInputSchema, { timezone: "UTC", weekly: [], overrides: [day("14/03/2027")] }, "Use a calendar date like 2027-03-14.", "Escribe una fecha como 2027-03-14.", "أدخل تاريخًا مثل 2027-03-14."],
    [
      "overlapping weekly hours (the weekday named in the language)",
      AvailabilityUpdateSchema,
      weekly([3, "09:00", "12:00"], [3, "11:00", "14:00"]),
      "Wednesday 11:00–14:00 overlaps Wednesday 09:00–12:00. Join them into one range or change one of them.",
      "El horario del miércoles de 11:00 a 14:00 se solapa con el del miércoles de 09:00 a 12:00. Únelos en uno solo o cambia uno de los dos.",
      "تتداخل فترة يوم الأربعاء من \u206811:00\u2069 إلى \u206814:00\u2069 مع فترة يوم الأربعاء من \u206809:00\u2069 إلى \u206812:00\u2069. اجمعهما في فترة واحدة أو غيّر إحداهما.",
    ],
    ["a duration not offered", DurationSchema, 50, "Choose a duration of 30, 45, 60, 90, or 120 minutes.", "Elige una duración de 30, 45, 60, 90 o 120 minutos.", "اختر مدة بالدقائق: 30 أو 45 أو 60 أو 90 أو 120."],
    ["a 60-minute trial", CreateBookingSchema, { tutorId: "t", start: "2027-03-01T09:00:00Z", durationMinutes: 60, subject: "mathematics", trial: true }, "A trial session is 30 minutes long.", "Una sesión de prueba dura 30 minutos.", "مدة الجلسة التجريبية 30 دقيقة."],
    ["free times asked backwards", SlotsQuerySchema, { from: "2027-03-02T00:00:00Z", to: "2027-03-01T00:00:00Z", duration: "60" }, "The end must be after the start.", "El final tiene que ser posterior al inicio.", "يجب أن تكون النهاية بعد البداية."],
    ["free times for five months", SlotsQuerySchema, { from: "2027-01-01T00:00:00Z", to: "2027-06-01T00:00:00Z", duration: "60" }, "Ask for at most 92 days at a time.", "Pide como máximo 92 días cada vez.", "اطلب 92 يومًا على الأكثر في كل مرة."],
    ["a finance period of two years", FinanceQuerySchema, { from: "2025-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" }, "A period covers at most 366 days.", "Un periodo abarca como máximo 366 días.", "لا تتجاوز الفترة 366 يومًا."],
    ["a conversation with both a tutor and a student", StartConversationSchema, { tutorId: "a", studentId: "b" }, "Send either tutorId (as a student) or studentId (as a tutor).", "Envía tutorId (si eres estudiante) o studentId (si eres tutor).", "أرسل tutorId (إن كنت طالبًا) أو studentId (إن كنت مدرّسًا)."],
    ["a message of 2,001 characters", MessageTextSchema, "x".repeat(2001), "Keep it under 2,000 characters.", "El mensaje puede tener como máximo 2000 caracteres.", "عدد أحرف الرسالة 2,000 على الأكثر."],
    ["a report with no known reason", ReportSchema, { reason: "rude" }, "Choose what is wrong.", "Elige cuál es el problema.", "اختر نوع المشكلة."],
    ["an empty session summary", SessionSummaryInputSchema, { summary: " " }, "Write a few words about the session.", "Escribe unas palabras sobre la sesión.", "اكتب بضع كلمات عن الجلسة."],
  ])("the schemas' own refusal for %s is said in the viewer's language", (_, schema, value, en, es, ar) => {
    expect(said(schema as z.ZodType, value, "en")).toEqual([en]);
    expect(said(schema as z.ZodType, value, "es")).toEqual([es]);
    expect(said(schema as z.ZodType, value, "ar")).toEqual([ar]);
  });

  it("every language has every word the English map uses, with the same holes", () => {
    const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of ["es", "ar"] as const) {
      expect(Object.keys(HUMAN_ERROR_WORDS[lang]).sort()).toEqual(Object.keys(HUMAN_ERROR_WORDS.en).sort());
      for (const [word, text] of Object.entries(HUMAN_ERROR_WORDS.en)) expect(holes(HUMAN_ERROR_WORDS[lang][word as keyof typeof HUMAN_ERROR_WORDS.en]), `${lang}.${word}`).toEqual(holes(text));
    }
  });
});

/**
 * A message written into a schema is said in English to everyone (zod asks a check's own message before the
 * parse's map). The scan reads each schema file's syntax and reports a string that reads as words for people given
 * to a call (`.min(1, "Write …")`, `.refine(f, "…")`) or as a `message`/`error`; codes (`z.literal("no_pack")`)
 * pass. The words belong in the table in humanErrors.ts, named with `ownWords`/`ownIssue`.
 */
function ownEnglishIn(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const words = (s: string) => /\p{L}{2,}[\s,;]+\p{L}{2,}/u.test(s) || /^\p{Lu}\p{Ll}+/u.test(s.trim());
  const textOf = (n: ts.Node) => (ts.isStringLiteralLike(n) ? n.text : ts.isTemplateExpression(n) ? [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(" ") : undefined);
  const out: string[] = [];
  const report = (n: ts.Node) => {
    const t = textOf(n);
    if (t !== undefined && words(t)) out.push(`${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText(file)}`);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) n.arguments.forEach(report);
    if (ts.isPropertyAssignment(n) && /^(message|error)$/.test(n.name.getText(file))) report(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return out;
}

describe("no schema writes a refusal in English of its own", () => {
  it("finds what it should (the scan itself)", () => {
    const sample = `
      const A = z.string().min(1, { message: "Tell us your name" }).max(9, "Too long");
      const B = z.object({ to: z.string() }).refine((q) => q.to, { message: \`At most \${N} days\`, path: ["to"] });
      const C = z.enum(["a", "b"], { error: "Choose what is wrong" });
      ctx.addIssue({ code: "custom", message: "Only one override per date" });
      const D = z.literal("no_pack").or(z.string().min(1, ownWords("nameRequired")));`;
    expect(ownEnglishIn("x.ts", sample)).toEqual([
      '2: "Too long"',
      '2: "Tell us your name"',
      "3: `At most ${N} days`",
      '4: "Choose what is wrong"',
      '5: "Only one override per date"',
    ]);
  });

  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "humanErrors.ts");
  it.each(files)("%s names its refusals' words from the error table", (f) => {
    expect(ownEnglishIn(f, readFileSync(join(dir, f), "utf8"))).toEqual([]);
  });
});
