import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LoginSchema, SignupSchema } from "./auth";
import { AvailabilityInputSchema } from "./availability";
import { TutorProfileInputSchema } from "./tutor";
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

  it("a schema's own message still wins, and the English map stays the default", () => {
    expect(said(TutorProfileInputSchema.shape.hourlyRateCents, 100, "es")).toEqual(["The hourly rate is at least $5."]);
    expect(messages(z.string().min(1), "")).toEqual(["This is required."]);
  });

  it("every language has every word the English map uses", () => {
    for (const lang of ["es", "ar"] as const) expect(Object.keys(HUMAN_ERROR_WORDS[lang]).sort()).toEqual(Object.keys(HUMAN_ERROR_WORDS.en).sort());
  });
});
