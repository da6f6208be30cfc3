import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LoginSchema, SignupSchema } from "./auth";
import { AvailabilityInputSchema } from "./availability";
import { IntroVideoUrlSchema, RateBoundsSchema, SubjectSchema, TutorProfileInputSchema } from "./tutor";
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

  it("every language has every word the English map uses", () => {
    for (const lang of ["es", "ar"] as const) expect(Object.keys(HUMAN_ERROR_WORDS[lang]).sort()).toEqual(Object.keys(HUMAN_ERROR_WORDS.en).sort());
  });
});
