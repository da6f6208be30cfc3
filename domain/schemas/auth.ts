import { z } from "zod";
import { RoleSchema, TimeZoneSchema } from "./common";

export const EmailSchema = z
  .email({ message: "Enter a valid email address" })
  .max(254)
  .transform((s) => s.trim().toLowerCase());

export const PasswordSchema = z
  .string()
  .min(8, { message: "Use at least 8 characters" })
  .max(200, { message: "Use at most 200 characters" });

export const SignupSchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  name: z.string().trim().min(1, { message: "Tell us your name" }).max(100),
  role: z.enum(["student", "tutor"], { message: "Choose student or tutor" }),
  timezone: TimeZoneSchema,
});
export type SignupInput = z.input<typeof SignupSchema>;

export const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, { message: "Enter your password" }).max(200),
});
export type LoginInput = z.input<typeof LoginSchema>;

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  timezone: z.string(),
});
export type User = z.infer<typeof UserSchema>;
