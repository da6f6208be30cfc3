// The browser build: it writes CRLF line ends (RFC 5322) and needs no Node APIs; the Node build uses os.EOL.
import { createMimeMessage } from "mimetext/browser";
import { z } from "zod";

/** A file sent with an email (UTF-8 text content, e.g. a text/calendar invitation). */
export const AttachmentSchema = z.object({ filename: z.string().min(1).max(100), contentType: z.string().min(1).max(200), content: z.string().max(200_000) });
export type Attachment = z.infer<typeof AttachmentSchema>;
/** Attachments as stored with an outbox row (JSON). */
export const AttachmentsSchema = z.array(AttachmentSchema).max(5);

/** What the app sends: one plain-text email to one person, maybe with files (a calendar invitation). */
export type Email = { to: string; toName?: string; subject: string; text: string; attachments?: Attachment[] };

/** UTF-8 text as base64 (attachments travel base64-encoded). */
export function base64(text: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * An email as it leaves: the headers providers want separately, and its RFC 5322 text, built only for a provider
 * that takes raw messages (an HTTP provider is given the parts).
 */
export type BuiltEmail = { from: { addr: string; name?: string }; to: string; subject: string; text: string; messageId: string; date: string; raw: () => string };

/** `Name <addr>` or a bare address, as `EMAIL_FROM` is written. */
export function parseMailbox(value: string): { addr: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (m) return { addr: m[2]!, ...(m[1] ? { name: m[1].replace(/^"|"$/g, "") } : {}) };
  return { addr: value.trim() };
}

/**
 * Header values never carry control characters: a display name is refused with CR/LF by the schemas already,
 * and whatever slips through (an older row, an outside value) is flattened here, so no input can start a
 * header of its own.
 */
const headerSafe = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

/**
 * Builds the message with mimetext (RFC 5322): Date, a Message-ID under the sender's domain, the subject
 * encoded as an RFC 2047 word, and a UTF-8 plain-text body.
 */
export function buildEmail(from: string, email: Email, opts: { id: string; date: Date }): BuiltEmail {
  const sender = parseMailbox(from);
  const subject = headerSafe(email.subject);
  const domain = sender.addr.split("@")[1] ?? "tutorly.dev";
  const messageId = `<${opts.id}@${domain}>`;
  const date = opts.date.toUTCString().replace(/GMT$/, "+0000");
  const raw = () => {
    const msg = createMimeMessage();
    msg.setSender(sender.name ? { addr: sender.addr, name: headerSafe(sender.name) } : sender.addr);
    msg.setRecipient(email.toName ? { addr: email.to, name: headerSafe(email.toName) } : email.to);
    msg.setSubject(subject);
    msg.setHeader("Message-ID", messageId);
    msg.setHeader("Date", date);
    msg.addMessage({ contentType: "text/plain", data: email.text, charset: "utf-8" });
    for (const a of email.attachments ?? []) msg.addAttachment({ filename: headerSafe(a.filename).replace(/"/g, ""), contentType: a.contentType, data: base64(a.content) });
    return msg.asRaw();
  };
  return { from: sender, to: email.to, subject, text: email.text, messageId, date, raw };
}
