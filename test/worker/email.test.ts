import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildEmail } from "../../platform/integrations/email/message";
import { sendEmail } from "../../platform/integrations/email/sender";
import { FAKE_EMAIL_TOKEN } from "../fakes/email";
import { Client, uniqueEmail } from "./helpers";

const at = new Date("2027-03-01T09:30:00Z");
const headersOf = (raw: string) => raw.slice(0, raw.indexOf("\r\n\r\n")).split(/\r\n(?![ \t])/);

describe("buildEmail (mimetext, RFC 5322)", () => {
  it("carries Date, a Message-ID under the sender's domain, an encoded subject and a plain-text part", () => {
    const mail = buildEmail("Tutorly <no-reply@tutorly.example>", { to: "ada@example.com", toName: "Ada Lovelace", subject: "Réservation confirmée ✓", text: "Hello Ada" }, { id: "m-1", date: at });
    const headers = headersOf(mail.raw());
    expect(headers).toContain("Date: Mon, 01 Mar 2027 09:30:00 +0000");
    expect(headers).toContain("Message-ID: <m-1@tutorly.example>");
    const subject = headers.find((h) => h.startsWith("Subject: "))!;
    expect(subject).toMatch(/^Subject: =\?utf-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(atob(subject.match(/\?B\?(.*)\?=/)![1]!)).toBe(unescape(encodeURIComponent("Réservation confirmée ✓")));
    expect(mail.raw()).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(headers.find((h) => h.startsWith("From: "))).toContain("no-reply@tutorly.example");
  });

  it("cannot be made to carry extra headers by a name or subject with CR/LF", () => {
    const mail = buildEmail("Tutorly <no-reply@tutorly.example>", { to: "ada@example.com", toName: "Eve\r\nBcc: everyone@example.com", subject: "Hi\r\nBcc: everyone@example.com", text: "x" }, { id: "m-2", date: at });
    const headers = headersOf(mail.raw());
    expect(headers.some((h) => /^Bcc:/i.test(h))).toBe(false);
    expect(mail.raw()).not.toMatch(/\r\nBcc:/i);
  });
});

describe("the http sender", () => {
  const httpEnv = () => ({ ...env, EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: `${env.EMAIL_FAKE_URL}/emails`, EMAIL_HTTP_TOKEN: FAKE_EMAIL_TOKEN, EMAIL_FROM: "Tutorly <no-reply@tutorly.example>" });

  it("posts the message to the provider with its token and returns the provider's id", async () => {
    const to = uniqueEmail("http");
    const result = await sendEmail(httpEnv(), { to, toName: "Ada", subject: "Confirm your email address", text: "Open the link" }, { id: "out-1", now: at });
    expect(result.provider).toBe("http");
    const sent = (await (await fetch(`${env.EMAIL_FAKE_URL}/__/sent`)).json()) as { id: string; body: Record<string, any> }[];
    const mine = sent.find((s) => s.body.to === to)!;
    expect(mine.id).toBe(result.id);
    expect(mine.body).toMatchObject({ from: "Tutorly <no-reply@tutorly.example>", subject: "Confirm your email address", text: "Open the link", headers: { "Message-ID": "<out-1@tutorly.example>", Date: "Mon, 01 Mar 2027 09:30:00 +0000" } });
  });

  it("is delivered once when the outbox sends it again after losing the first answer", async () => {
    const to = uniqueEmail();
    const first = await sendEmail(httpEnv(), { to, subject: "Booking confirmed", text: "See you Monday" }, { id: `out-${to}`, now: at });
    const again = await sendEmail(httpEnv(), { to, subject: "Booking confirmed", text: "See you Monday" }, { id: `out-${to}`, now: at });
    expect(again.id).toBe(first.id);
    const sent = (await (await fetch(`${env.EMAIL_FAKE_URL}/__/sent`)).json()) as { body: Record<string, unknown> }[];
    expect(sent.filter((m) => m.body.to === to)).toHaveLength(1);
  });

  it("throws on a refusal, so the outbox tries again later", async () => {
    await expect(sendEmail({ ...httpEnv(), EMAIL_HTTP_TOKEN: "wrong" }, { to: uniqueEmail(), subject: "x", text: "y" })).rejects.toThrow(/401/);
    await fetch(`${env.EMAIL_FAKE_URL}/__/fail`, { method: "POST" });
    await expect(sendEmail(httpEnv(), { to: uniqueEmail(), subject: "x", text: "y" })).rejects.toThrow(/503/);
  });

  it("delivers the outbox: a signup's verification email reaches the provider", async () => {
    const email = uniqueEmail("outbox");
    const app = (await import("../../worker/index")).app;
    const { createExecutionContext } = await import("cloudflare:test");
    const client = new Client(undefined, (req) => app.fetch(req, httpEnv(), createExecutionContext()) as Promise<Response>);
    await client.post("/api/auth/signup", { email, password: "correct horse battery", name: "Out Box", role: "student", timezone: "Europe/Rome" });
    const sent = (await (await fetch(`${env.EMAIL_FAKE_URL}/__/sent`)).json()) as { body: Record<string, any> }[];
    const mine = sent.find((s) => s.body.to === email)!;
    expect(mine.body.subject).toBe("Confirm your email address");
    expect(mine.body.text).toMatch(/verify-email\?token=[\w-]{43}/);
    expect(mine.body.text).toMatch(/\(Europe\/Rome\)/);
    const row = await env.DB.prepare("SELECT status, provider FROM email_outbox WHERE to_email = ?").bind(email).first();
    expect(row).toEqual({ status: "sent", provider: "http" });
  });
});

describe("the cloudflare sender", () => {
  it("hands the raw RFC 5322 message to the send_email binding", async () => {
    const result = await sendEmail({ ...env, EMAIL_PROVIDER: "cloudflare", EMAIL_FROM: "Tutorly <no-reply@tutorly.example>" }, { to: "ada@example.com", toName: "Ada", subject: "Your Tutorly password was changed", text: "Hi Ada" }, { id: "cf-1", now: at });
    expect(result).toEqual({ provider: "cloudflare", id: "<cf-1@tutorly.example>" });
  });

  it("fails loudly without the binding", async () => {
    await expect(sendEmail({ ...env, EMAIL_PROVIDER: "cloudflare", EMAIL: undefined as unknown as SendEmail }, { to: "ada@example.com", subject: "x", text: "y" })).rejects.toThrow(/EMAIL send_email binding/);
  });
});
