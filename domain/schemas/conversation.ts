import { z } from "zod";
import { MESSAGE_MAX_CHARS, hasVisibleText, normalizeMessageText } from "../messaging/text";
import { ownWords } from "./humanErrors";

const Id = z.string().trim().min(1).max(64);

/** A student names the tutor, a tutor names the student; exactly one of the two. */
export const StartConversationSchema = z.union([z.object({ tutorId: Id }).strict(), z.object({ studentId: Id }).strict()], ownWords("conversationWith"));
export type StartConversationInput = z.input<typeof StartConversationSchema>;

export const MessageTextSchema = z
  .string(ownWords("messageRequired"))
  .max(MESSAGE_MAX_CHARS * 2, ownWords("messageMaxChars", { n: MESSAGE_MAX_CHARS }))
  .transform(normalizeMessageText)
  .pipe(
    z
      .string()
      .min(1, ownWords("messageRequired"))
      .max(MESSAGE_MAX_CHARS, ownWords("messageMaxChars", { n: MESSAGE_MAX_CHARS }))
      .refine(hasVisibleText, ownWords("messageRequired")),
  );

export const SendMessageSchema = z.object({ text: MessageTextSchema });
export type SendMessageInput = z.input<typeof SendMessageSchema>;

/** `cursor` pages back in time (from a previous answer's `nextCursor`); `q` searches the conversation. */
export const HistoryQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, ownWords("cursorInvalid"))
    .optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const BlockSchema = z.object({ blocked: z.boolean().default(true) });

export const REPORT_REASONS = ["spam", "harassment", "inappropriate", "off_platform_payment", "other"] as const;
export const ReportSchema = z.object({
  reason: z.enum(REPORT_REASONS, ownWords("reportReason")),
  details: z.string().trim().max(1000).optional(),
  /** Also block the other person (what most people want when they report). */
  block: z.boolean().default(false),
});
export type ReportInput = z.input<typeof ReportSchema>;

export const ResolveReportSchema = z.object({
  resolution: z.enum(["dismissed", "actioned"]),
  note: z.string().trim().max(1000).optional(),
});

/** One message as the API and the live feed carry it. */
export const MessageSchema = z.object({
  id: z.string(),
  /** Its place in the conversation: strictly increasing, never reused. */
  seq: z.number().int().positive(),
  senderId: z.string(),
  text: z.string(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;
