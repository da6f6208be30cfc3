import { z } from "zod";
import { TimeZoneSchema } from "./common";
import { ownIssue, ownWords } from "./humanErrors";
import { canonicalSubject } from "../searchTerms";

/**
 * Characters that never belong in a subject: zero-width space, word joiner, byte-order mark, and the direction
 * embeddings, overrides and isolates (which can make a subject read as another). The joiners some scripts need
 * inside words (U+200C, U+200D) stay, but do not count as letters.
 */
const STRAY = /[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]/gu;
const shown = (s: string) => s.replace(/[\s\p{Cf}]/gu, "").length;

/** Subjects are compared case-insensitively; stored lower-case and trimmed, one space between words. */
export const SubjectSchema = z
  .string()
  .transform((s) => s.replace(STRAY, "").trim().toLowerCase().replace(/\s+/g, " "))
  .pipe(
    z
      .string()
      .max(40, ownWords("subjectMaxChars", { n: 40 }))
      .refine((s) => shown(s) >= 2, ownWords("subjectMinLetters", { n: 2 })),
  );

/**
 * A subject a tutor teaches, as saved: a common subject typed by its Spanish or Arabic name ("Matemáticas",
 * "الرياضيات") is stored as the English subject the pages translate ("mathematics"), so the tutor is found with
 * everyone else who teaches it and the chip reads in each viewer's language (domain/searchTerms.ts).
 */
export const TutorSubjectSchema = SubjectSchema.transform(canonicalSubject);

/**
 * What separates subjects typed as one list: the comma and semicolon, and the ones other scripts write (Arabic «،»
 * and «؛», the ideographic «、», the full-width «，» and «；», the small-form commas). The form's hint says "separated by
 * commas" in each language, so a tutor writes their own language's comma, and a subject never contains one.
 */
const SUBJECT_SEPARATORS = /[,;\u060c\u061b\u3001\uff0c\uff1b\ufe50\ufe51\ufe54]/u;

/** The subjects in a list as typed ("رياضيات، فيزياء"): split on any separator, trimmed, empty pieces dropped. */
export function splitSubjects(text: string): string[] {
  return text
    .split(SUBJECT_SEPARATORS)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Where an intro video may live: a video's own page on YouTube or Vimeo, the links a tutor copies from them. Only a
 * video's path is taken, so a link cannot be one of the sites' pages that send the visitor on elsewhere
 * (`/redirect?q=…`, `/attribution_link?u=…`, a sign-in page's `?redirect=…`).
 */
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_VIDEO = /^\/(?:channels\/[\w-]+\/|groups\/[\w-]+\/videos\/)?\d+(?:\/[0-9a-f]+)?\/?$/;
const isYouTubeVideo = (url: URL) =>
  url.pathname === "/watch" ? YOUTUBE_ID.test(url.searchParams.get("v") ?? "") : /^\/(?:shorts|embed|live)\/[A-Za-z0-9_-]{11}\/?$/.test(url.pathname);
const VIDEO_HOSTS = new Map<string, (url: URL) => boolean>([
  ["youtube.com", isYouTubeVideo],
  ["www.youtube.com", isYouTubeVideo],
  ["m.youtube.com", isYouTubeVideo],
  ["youtu.be", (url) => YOUTUBE_ID.test(url.pathname.slice(1))],
  ["vimeo.com", (url) => VIMEO_VIDEO.test(url.pathname)],
  ["www.vimeo.com", (url) => VIMEO_VIDEO.test(url.pathname)],
  ["player.vimeo.com", (url) => /^\/video\/\d+\/?$/.test(url.pathname)],
]);

/**
 * A tutor's optional intro video: an https link to a video on YouTube or Vimeo, no port or credentials, normalised by the URL
 * parser ("" is no video). Shown as a link (nothing of the video site loads on our pages).
 */
export const IntroVideoUrlSchema = z
  .string()
  .trim()
  .max(300, ownWords("videoLinkMaxChars", { n: 300 }))
  .transform((s, ctx): string | null => {
    if (s === "") return null;
    const url = URL.canParse(s) ? new URL(s) : null;
    const isVideo = url ? (VIDEO_HOSTS.get(url.hostname)?.(url) ?? false) : false;
    if (!url || url.protocol !== "https:" || url.port || url.username || url.password || !isVideo) {
      ctx.addIssue(ownIssue("videoLink"));
      return z.NEVER;
    }
    return url.href;
  });

/** Photos: what the browser uploads after resizing (at most PHOTO_SIZE_PX a side) and what the server accepts. */
export const PHOTO = { sizePx: 512, maxBytes: 1_000_000, types: ["image/jpeg", "image/png", "image/webp"] } as const;
export type PhotoType = (typeof PHOTO.types)[number];

/** The image type the bytes themselves say (their magic numbers), whatever the upload claimed; null for anything else. */
export function sniffPhotoType(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return "image/png";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

export const TutorProfileInputSchema = z.object({
  bio: z.string().trim().max(2000),
  // Refusals name their words (domain/schemas/humanErrors.ts), so a form says them in the viewer's language.
  // A subject that is itself a list ("a، b" from an API client or a pasted line) is the subjects it lists, as meant.
  subjects: z
    .array(z.string())
    .transform((list) => list.flatMap(splitSubjects))
    .pipe(z.array(TutorSubjectSchema).min(1, ownWords("subjectsMin")).max(12, ownWords("subjectsMax", { n: 12 }))),
  // Kept in cents, entered and read in dollars: the messages speak dollars.
  hourlyRateCents: z
    .number(ownWords("rateNumber"))
    .int(ownWords("rateCents"))
    .min(500, ownWords("rateMin", { amount: { usdCents: 500 } }))
    .max(100_000, ownWords("rateMax", { amount: { usdCents: 100_000 } })),
  timezone: TimeZoneSchema,
  /** Left out: unchanged; null or "": removed. */
  introVideoUrl: IntroVideoUrlSchema.nullable().optional(),
  /** Whether the tutor offers trial lessons (POLICY.trialMinutes at POLICY.trialPercent); omitted: unchanged. */
  offersTrials: z.boolean().optional(),
});
export type TutorProfileInput = z.input<typeof TutorProfileInputSchema>;

export type Tutor = {
  id: string;
  name: string;
  bio: string;
  subjects: string[];
  hourlyRateCents: number;
  timezone: string;
  /** What an hour with this tutor costs in credit-minutes (domain/credits/pricing.ts). */
  creditMinutesPerHour: number;
  rating: number | null;
  ratingCount: number;
  approved: boolean;
  /** Approved, with a confirmed address and an active account: shown in search and bookable. */
  listed: boolean;
  /** The tutor's photo (versioned, so it can be cached for good), or null: initials are shown instead. */
  photoUrl: string | null;
  /** An https YouTube or Vimeo link, or null. */
  introVideoUrl: string | null;
  /** Offers a first trial lesson (domain/credits/pricing.ts trialPrice). */
  offersTrials: boolean;
};

/**
 * What booking needs to know about a tutor, held by the tutor's calendar object and pushed to it on every change
 * (profile edit, approval, admin action, seed), so the booking path never looks the tutor up in D1. `version`
 * orders pushes: a calendar keeps the newest it was given.
 */
export const TutorFactsSchema = z.object({
  tutorId: z.string().min(1).max(64),
  name: z.string().max(200),
  approved: z.boolean(),
  /** Suspended or deleted accounts cannot be booked. */
  suspended: z.boolean(),
  /** Bookable: approved, email confirmed, account active (platform/db/listing.ts). */
  listed: z.boolean(),
  subjects: z.array(z.string().min(1).max(60)).max(40),
  hourlyRateCents: z.number().int().positive(),
  /** Offers trial lessons. Facts stored before this field existed fail to parse, so D1 is read again once. */
  offersTrials: z.boolean(),
  version: z.number().int().nonnegative(),
  /**
   * The account's status version these facts were read at (users.status_version): it orders pushes before `version`
   * does, so facts read before a suspension or restore never replace ones read after it. 0 for facts stored before it.
   */
  statusVersion: z.number().int().nonnegative().default(0),
});
export type TutorFacts = z.output<typeof TutorFactsSchema>;

/** The hourly rates tutors may set (an admin setting); profile edits outside them are refused. */
export const RateBoundsSchema = z
  .object({
    minHourlyRateCents: z.number().int().min(500).max(100_000),
    maxHourlyRateCents: z.number().int().min(500).max(100_000),
  })
  .refine((b) => b.minHourlyRateCents <= b.maxHourlyRateCents, { ...ownWords("rateBoundsOrder"), path: ["maxHourlyRateCents"] });
export type RateBounds = z.infer<typeof RateBoundsSchema>;
