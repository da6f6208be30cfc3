import { z } from "zod";
import { RoleSchema, TimeZoneSchema } from "./common";
import { ownWords } from "./humanErrors";

// Refusals here say nothing of their own where the general words fit ("Use at least 8 characters."), and name
// their words from the error table (humanErrors.ts) where they do not: each is said in the asker's language.

/** An address as typed or pasted: surrounding spaces dropped before it is checked, stored in lower case. */
export const EmailSchema = z
  .string()
  .trim()
  .pipe(z.email().max(254))
  .transform((s) => s.toLowerCase());

export const PasswordSchema = z.string().min(8).max(200);

/**
 * A person's name as shown and put in email headers: no control characters at all (CR/LF could otherwise
 * start a header of their own).
 */
/**
 * Controls, line and paragraph separators, and direction overrides or isolates: a name shows in others' emails and
 * pages, where these could start a new line or reorder the text around it.
 */
export const NOT_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export const NameSchema = z
  .string()
  .trim()
  .min(1, ownWords("nameRequired"))
  .max(100)
  .refine((s) => !NOT_IN_NAMES.test(s), ownWords("nameNoLineBreaks"));

/** A BCP 47 language tag such as `en`, `en-GB` or `es-419`; the app formats dates and numbers for it. */
export const LocaleSchema = z
  .string()
  .max(35)
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, ownWords("localeFormat"))
  .refine(isKnownLocale, ownWords("localeUnknown"))
  .transform((s) => Intl.getCanonicalLocales(s)[0]!);

function isKnownLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export const SignupSchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  name: NameSchema,
  role: z.enum(["student", "tutor"], ownWords("roleChoice")),
  timezone: TimeZoneSchema,
  /** The language the visitor is using; without it the server reads Accept-Language. */
  locale: LocaleSchema.optional(),
});
export type SignupInput = z.input<typeof SignupSchema>;

export const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, ownWords("passwordRequired")).max(200),
});
export type LoginInput = z.input<typeof LoginSchema>;

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  timezone: z.string(),
  locale: z.string(),
  /** False until the address was confirmed by its link: such an account browses and buys but books nobody. */
  emailVerified: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;

/** `PATCH /api/me`: any of these; learning goals are for students. */
export const ProfileUpdateSchema = z
  .object({
    name: NameSchema.optional(),
    timezone: TimeZoneSchema.optional(),
    locale: LocaleSchema.optional(),
    learningGoals: z.string().trim().max(1000).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), ownWords("changeOneField"));
export type ProfileUpdateInput = z.input<typeof ProfileUpdateSchema>;

export const ChangePasswordSchema = z.object({
  current: z.string().min(1, ownWords("currentPasswordRequired")).max(200),
  password: PasswordSchema,
});
export type ChangePasswordInput = z.input<typeof ChangePasswordSchema>;

/** Changing the address needs the password too: a borrowed session alone cannot move the account away. */
export const ChangeEmailSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, ownWords("passwordRequired")).max(200),
});
export type ChangeEmailInput = z.input<typeof ChangeEmailSchema>;

export const DeleteAccountSchema = z.object({ password: z.string().min(1, ownWords("passwordRequired")).max(200) });

/** Tokens mailed in links: 256-bit base64url. */
export const MailTokenSchema = z.string().regex(/^[\w-]{43}$/, ownWords("linkInvalid"));

export const PasswordResetRequestSchema = z.object({ email: EmailSchema });
export const PasswordResetConfirmSchema = z.object({ token: MailTokenSchema, password: PasswordSchema });
export type PasswordResetConfirmInput = z.input<typeof PasswordResetConfirmSchema>;
export const VerifyEmailSchema = z.object({ token: MailTokenSchema });

export const AdminInviteSchema = z.object({ email: EmailSchema });
export const AcceptInviteSchema = z.object({ token: MailTokenSchema, name: NameSchema, password: PasswordSchema, timezone: TimeZoneSchema, locale: LocaleSchema.optional() });
export type AcceptInviteInput = z.input<typeof AcceptInviteSchema>;

export const SuspendSchema = z.object({ reason: z.string().trim().min(1, ownWords("reasonRequired")).max(500) });
