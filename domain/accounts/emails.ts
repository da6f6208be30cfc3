import { formatInZone } from "../notifications/messages";

/**
 * The words of account emails, for one recipient: instants in THEIR zone and locale, with the zone named.
 * Pure: links, zones and instants are inputs.
 */
export type Recipient = { name: string; timezone: string; locale: string };

export type AccountEmail =
  | { kind: "verify_email"; link: string; expiresAt: string }
  | { kind: "email_change"; link: string; expiresAt: string; newEmail: string }
  | { kind: "email_change_notice"; newEmail: string; at: string }
  | { kind: "email_changed"; newEmail: string; at: string }
  /** Someone signed up (or asked to move an account) to an address that already has an account. */
  | { kind: "already_registered"; loginLink: string; resetLink: string }
  | { kind: "password_reset"; link: string; expiresAt: string }
  | { kind: "password_changed"; at: string; resetLink: string }
  | { kind: "admin_invite"; link: string; expiresAt: string; invitedBy: string }
  | { kind: "account_suspended"; at: string; reason: string }
  | { kind: "account_restored"; at: string }
  | { kind: "account_deleted"; at: string; cancelledSessions: number };

const firstName = (name: string) => name.trim().split(/\s+/)[0] || "there";

export function renderAccountEmail(e: AccountEmail, to: Recipient): { subject: string; text: string } {
  const when = (iso: string) => formatInZone(iso, to.timezone, to.locale);
  const body = (lines: string[]) => [`Hi ${firstName(to.name)},`, "", ...lines, "", "— Tutorly"].join("\n");
  switch (e.kind) {
    case "verify_email":
      return {
        subject: "Confirm your email address",
        text: body([
          "Welcome to Tutorly! Please confirm this is your email address:",
          "",
          e.link,
          "",
          `The link works until ${when(e.expiresAt)}. Until you confirm, you can look around and buy credits, but not book sessions.`,
        ]),
      };
    case "email_change":
      return {
        subject: "Confirm your new email address",
        text: body([`You asked to use ${e.newEmail} for your Tutorly account. Confirm it here:`, "", e.link, "", `The link works until ${when(e.expiresAt)}. Until then your old address stays in use.`]),
      };
    case "email_change_notice":
      return {
        subject: "Your Tutorly email address is about to change",
        text: body([`On ${when(e.at)} someone signed in to your account asked to move it to ${e.newEmail}.`, "If this was not you, change your password now: nothing changes until the new address is confirmed."]),
      };
    case "email_changed":
      return { subject: "Your Tutorly email address was changed", text: body([`On ${when(e.at)} your account moved to ${e.newEmail}. Emails now go there.`, "If this was not you, contact us by replying to this email."]) };
    case "already_registered":
      return {
        subject: "You already have a Tutorly account",
        text: body([
          "Someone (probably you) just tried to sign up with this email address, but you already have an account.",
          "",
          `Sign in: ${e.loginLink}`,
          `Forgot your password? ${e.resetLink}`,
          "",
          "If it was not you, you can ignore this email: nothing changed on your account.",
        ]),
      };
    case "password_reset":
      return {
        subject: "Reset your Tutorly password",
        text: body(["Someone asked to reset the password of your Tutorly account. Choose a new one here:", "", e.link, "", `The link works once, until ${when(e.expiresAt)}. If you did not ask, ignore this email: your password stays as it is.`]),
      };
    case "password_changed":
      return { subject: "Your Tutorly password was changed", text: body([`Your password was changed on ${when(e.at)}, and other devices were signed out.`, `If this was not you, reset it now: ${e.resetLink}`]) };
    case "admin_invite":
      return {
        subject: "You are invited to run Tutorly",
        text: body([`${e.invitedBy} invited you to be an administrator of Tutorly. Create your admin account here:`, "", e.link, "", `The link works once, until ${when(e.expiresAt)}.`]),
      };
    case "account_suspended":
      return { subject: "Your Tutorly account is suspended", text: body([`Your account was suspended on ${when(e.at)}: ${e.reason}`, "You are signed out everywhere. Reply to this email if you think this is a mistake."]) };
    case "account_restored":
      return { subject: "Your Tutorly account is active again", text: body([`Your account was restored on ${when(e.at)}. You can sign in again.`]) };
    case "account_deleted":
      return {
        subject: "Your Tutorly account was deleted",
        text: body([
          `Your account was deleted on ${when(e.at)}.${e.cancelledSessions ? ` ${e.cancelledSessions} upcoming session${e.cancelledSessions === 1 ? " was" : "s were"} cancelled first.` : ""}`,
          "Your personal data is erased; records the law requires (payments, credits, earnings) are kept without your name.",
        ]),
      };
  }
}
