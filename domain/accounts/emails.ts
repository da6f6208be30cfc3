import { serverText } from "../i18n/server";
import { formatInZone } from "../notifications/messages";
import { NOT_IN_NAMES } from "../schemas/auth";

/**
 * The words of account emails, for one recipient: instants in THEIR zone and locale, with the zone named.
 * Pure: links, zones and instants are inputs.
 */
/** `name` null: greeted by no name, as an address nobody there has confirmed is (the name is the requester's word). */
export type Recipient = { name: string | null; timezone: string; locale: string };

export type AccountEmail =
  | { kind: "verify_email"; link: string; expiresAt: string }
  | { kind: "email_change"; link: string; expiresAt: string; newEmail: string }
  | { kind: "email_change_notice"; newEmail: string; at: string }
  | { kind: "email_changed"; newEmail: string; at: string }
  /** Someone signed up (or asked to move an account) to an address that already has an account. */
  | { kind: "already_registered"; loginLink: string; resetLink: string }
  | { kind: "password_reset"; link: string; expiresAt: string }
  /**
   * A reset asked for an address nobody has confirmed: each account signed up with it (oldest first) with its own link,
   * for the inbox's owner to pick theirs. Each signup time is in its account's own zone, as its signup set it.
   */
  | { kind: "password_reset_choice"; expiresAt: string; accounts: { name: string; role: "student" | "tutor" | "admin"; timezone: string; signedUpAt: string; link: string }[] }
  | { kind: "password_changed"; at: string; resetLink: string }
  | { kind: "admin_invite"; link: string; expiresAt: string; invitedBy: string }
  /** `billingPaused`: the student's plan stops billing while they are suspended (they cannot sign in to cancel it). */
  | { kind: "account_suspended"; at: string; reason: string; billingPaused?: boolean }
  | { kind: "account_restored"; at: string }
  | { kind: "account_deleted"; at: string; cancelledSessions: number };

const firstName = (name: string) => name.trim().split(/\s+/)[0];

/**
 * A name someone else chose, shown to the address's reader: without characters that could break out of its line or
 * reorder the text around it (names saved before the sign-up form refused them), isolated so a right-to-left name
 * reads as itself and leaves the rest of the line in its order.
 */
const strangersName = (name: string) => `\u2068${name.replace(new RegExp(NOT_IN_NAMES, "g"), "")}\u2069`;

/** An email's text: the greeting (by no name when `name` is null) and sign-off in the reader's language around its lines. */
export function emailText(locale: string | null | undefined, name: string | null, lines: string[]): string {
  const s = serverText(locale);
  const greeting = name === null ? s("email.hello") : s("email.hi", { name: firstName(name) || s("email.there") });
  return [greeting, "", ...lines, "", s("email.signoff")].join("\n");
}

/** The account email in the recipient's language, instants in their zone and locale. */
export function renderAccountEmail(e: AccountEmail, to: Recipient): { subject: string; text: string } {
  const s = serverText(to.locale);
  const when = (iso: string) => formatInZone(iso, to.timezone, to.locale);
  const body = (lines: string[]) => emailText(to.locale, to.name, lines);
  switch (e.kind) {
    case "verify_email":
      return { subject: s("account.verify.subject"), text: body([s("account.verify.intro"), "", e.link, "", s("account.verify.after", { when: when(e.expiresAt) })]) };
    case "email_change":
      return {
        subject: s("account.emailChange.subject"),
        text: body([s("account.emailChange.intro", { email: e.newEmail }), "", e.link, "", s("account.emailChange.after", { when: when(e.expiresAt) })]),
      };
    case "email_change_notice":
      return {
        subject: s("account.emailChangeNotice.subject"),
        text: body([s("account.emailChangeNotice.body", { when: when(e.at), email: e.newEmail }), s("account.emailChangeNotice.warn")]),
      };
    case "email_changed":
      return { subject: s("account.emailChanged.subject"), text: body([s("account.emailChanged.body", { when: when(e.at), email: e.newEmail }), s("account.emailChanged.warn")]) };
    case "already_registered":
      return {
        subject: s("account.alreadyRegistered.subject"),
        text: body([
          s("account.alreadyRegistered.body"),
          "",
          s("account.alreadyRegistered.signIn", { link: e.loginLink }),
          s("account.alreadyRegistered.forgot", { link: e.resetLink }),
          "",
          s("account.alreadyRegistered.ignore"),
        ]),
      };
    case "password_reset":
      return { subject: s("account.passwordReset.subject"), text: body([s("account.passwordReset.intro"), "", e.link, "", s("account.passwordReset.after", { when: when(e.expiresAt) })]) };
    case "password_reset_choice":
      return {
        subject: s("account.passwordReset.subject"),
        text: body([
          s("account.passwordReset.choose"),
          "",
          ...e.accounts.flatMap((a, i) => [
            s("account.passwordReset.account", { n: i + 1, name: strangersName(a.name), role: s(`account.passwordReset.roles.${a.role}`), when: formatInZone(a.signedUpAt, a.timezone, to.locale) }),
            a.link,
            "",
          ]),
          s("account.passwordReset.notYours"),
          s("account.passwordReset.chooseAfter", { when: when(e.expiresAt) }),
        ]),
      };
    case "password_changed":
      return {
        subject: s("account.passwordChanged.subject"),
        text: body([s("account.passwordChanged.body", { when: when(e.at) }), s("account.passwordChanged.warn", { link: e.resetLink })]),
      };
    case "admin_invite":
      return {
        subject: s("account.adminInvite.subject"),
        text: body([s("account.adminInvite.intro", { by: e.invitedBy }), "", e.link, "", s("account.adminInvite.after", { when: when(e.expiresAt) })]),
      };
    case "account_suspended":
      return {
        subject: s("account.suspended.subject"),
        text: body([s("account.suspended.body", { when: when(e.at), reason: e.reason }), ...(e.billingPaused ? [s("account.suspended.billingPaused")] : []), s("account.suspended.after")]),
      };
    case "account_restored":
      return { subject: s("account.restored.subject"), text: body([s("account.restored.body", { when: when(e.at) })]) };
    case "account_deleted":
      return {
        subject: s("account.deleted.subject"),
        text: body([
          s("account.deleted.body", { when: when(e.at) }) + (e.cancelledSessions ? s("account.deleted.cancelled", { count: e.cancelledSessions }) : ""),
          s("account.deleted.kept"),
        ]),
      };
  }
}
