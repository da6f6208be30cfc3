/**
 * What a message's text may be. Messages are plain text: the SPA renders them as text nodes, so a link or a tag
 * in a message is shown as typed, never turned into HTML.
 */
export const MESSAGE_MAX_CHARS = 2000;
/** Longest text kept for a conversation's preview in lists and notifications. */
export const PREVIEW_MAX_CHARS = 140;

// C0 and C1 control characters other than tab and newline, and the bidi overrides that can disguise text.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text as stored: line endings as `\n`, control characters and bidi overrides removed, at most two blank
 * lines in a row, surrounding whitespace trimmed. Length limits apply to the result.
 */
export function normalizeMessageText(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .replace(CONTROLS, "")
    .replace(/\n{4,}/g, "\n\n\n")
    .trim();
}

// Characters that take no room on screen: whitespace and Unicode's default-ignorable code points (zero-width space,
// joiners, the direction marks LRM, RLM and ALM, soft hyphen, Hangul fillers, variation selectors, tags…), so a
// message of direction marks alone is as blank as one of zero-width spaces.
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}]/gu;

/** Whether the text shows anything: a message of spaces and zero-width characters alone is blank. */
export const hasVisibleText = (text: string) => text.replace(INVISIBLE, "").length > 0;

/** One line, at most `max` characters (an ellipsis marks a cut): for previews, push notifications and emails. */
export function previewOf(text: string, max = PREVIEW_MAX_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Text folded for search: lower case, accents dropped, so "jose" finds "José" and "STRASSE" finds "straße"
 * as far as Unicode case folding goes. Stored beside each message; queries are folded the same way.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase("und")
    .replace(/ß/g, "ss");
}
