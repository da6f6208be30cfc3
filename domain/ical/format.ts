/**
 * RFC 5545 content lines written straight to UTF-8 bytes: TEXT escaping, parameter quoting, UTC date-times
 * and folding at 75 octets happen in one pass with no intermediate strings. Feeds are rendered on every
 * calendar poll and a busy tutor's year is thousands of events, so this is the hot path of the ≤ 50 ms
 * budget (see feed.bench-case.ts); building strings per line spent most of that in the garbage collector.
 */

const MAX_OCTETS = 75;
const CR = 13;
const LF = 10;
const SPACE = 32;
const BACKSLASH = 92;
const RAW = 0;
const TEXT = 1;
const PARAM = 2;
type Mode = typeof RAW | typeof TEXT | typeof PARAM;

/** A growing byte buffer of content lines. Each line is begun by `name`, given parameters, a value, then `end`. */
export class IcsWriter {
  private buf = new Uint8Array(16 * 1024);
  private len = 0;
  /** Octets on the current physical line (a continuation line starts at 1, its leading space). */
  private col = 0;

  private ensure(extra: number) {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Writes one code point, folding first when it would not fit on the current physical line. */
  private cp(c: number) {
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    this.ensure(size + 3);
    const b = this.buf;
    if (this.col + size > MAX_OCTETS) {
      b[this.len++] = CR;
      b[this.len++] = LF;
      b[this.len++] = SPACE;
      this.col = 1;
    }
    if (size === 1) b[this.len++] = c;
    else if (size === 2) {
      b[this.len++] = 0xc0 | (c >> 6);
      b[this.len++] = 0x80 | (c & 0x3f);
    } else if (size === 3) {
      b[this.len++] = 0xe0 | (c >> 12);
      b[this.len++] = 0x80 | ((c >> 6) & 0x3f);
      b[this.len++] = 0x80 | (c & 0x3f);
    } else {
      b[this.len++] = 0xf0 | (c >> 18);
      b[this.len++] = 0x80 | ((c >> 12) & 0x3f);
      b[this.len++] = 0x80 | ((c >> 6) & 0x3f);
      b[this.len++] = 0x80 | (c & 0x3f);
    }
    this.col += size;
  }

  /**
   * Writes `s` code point by code point. `mode` decides what special characters become: in TEXT, `\ ; ,`
   * are escaped and line breaks written as `\n`; in a quoted parameter, `"` becomes `'` and line breaks a
   * space; raw values (URIs, numbers) only lose line breaks. Other control characters (but TAB) are dropped,
   * and a lone surrogate becomes U+FFFD, so nothing can end a line or corrupt the UTF-8.
   */
  private str(s: string, mode: Mode) {
    // Room for the worst case (3 octets per UTF-16 unit, plus a fold every 74 octets) up front; the loop
    // keeps its cursor in locals, which is what makes it fast.
    this.ensure(s.length * 4 + 8);
    const b = this.buf;
    let len = this.len;
    let col = this.col;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      // Printable ASCII that needs no escaping in any mode: the overwhelmingly common case.
      if (c >= 0x20 && c < 0x7f && c !== 34 && c !== BACKSLASH && c !== 59 && c !== 44) {
        if (col === MAX_OCTETS) {
          b[len++] = CR;
          b[len++] = LF;
          b[len++] = SPACE;
          col = 1;
        }
        b[len++] = c;
        col++;
        continue;
      }
      let escape = false;
      if (c < 0x20 || c === 0x7f) {
        if (c === CR || c === LF) {
          if (c === CR && s.charCodeAt(i + 1) === LF) i++;
          if (mode === TEXT) {
            escape = true;
            c = 110; // \n
          } else if (mode === PARAM) c = SPACE;
          else continue;
        } else if (c !== 9) continue;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const low = s.charCodeAt(i + 1);
        if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        } else c = 0xfffd;
      } else if (mode === TEXT) escape = c === BACKSLASH || c === 59 || c === 44;
      else if (mode === PARAM && c === 34) c = 39; // " → '
      const size = (escape ? 1 : 0) + (c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
      if (col + size > MAX_OCTETS) {
        b[len++] = CR;
        b[len++] = LF;
        b[len++] = SPACE;
        col = 1;
      }
      col += size;
      if (escape) b[len++] = BACKSLASH;
      if (c < 0x80) b[len++] = c;
      else if (c < 0x800) {
        b[len++] = 0xc0 | (c >> 6);
        b[len++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        b[len++] = 0xe0 | (c >> 12);
        b[len++] = 0x80 | ((c >> 6) & 0x3f);
        b[len++] = 0x80 | (c & 0x3f);
      } else {
        b[len++] = 0xf0 | (c >> 18);
        b[len++] = 0x80 | ((c >> 12) & 0x3f);
        b[len++] = 0x80 | ((c >> 6) & 0x3f);
        b[len++] = 0x80 | (c & 0x3f);
      }
    }
    this.len = len;
    this.col = col;
  }

  /** Starts a content line with its property name (ASCII letters, digits and `-`). */
  name(name: string): this {
    this.str(name, RAW);
    return this;
  }

  /** `;KEY=value`, quoted when the value holds `:`, `;` or `,`. */
  param(key: string, value: string): this {
    this.cp(59);
    this.str(key, RAW);
    this.cp(61);
    const quote = /[:;,]/.test(value);
    if (quote) this.cp(34);
    this.str(value, PARAM);
    if (quote) this.cp(34);
    return this;
  }

  /** `:` and a TEXT value, escaped. */
  text(value: string): this {
    this.cp(58);
    this.str(value, TEXT);
    return this;
  }

  /** `:` and a list of TEXT values (e.g. CATEGORIES), each escaped, separated by unescaped commas. */
  textList(values: string[]): this {
    this.cp(58);
    values.forEach((v, i) => {
      if (i) this.cp(44);
      this.str(v, TEXT);
    });
    return this;
  }

  /** `:` and a value that needs no escaping (a URI, number or enumeration). */
  raw(value: string): this {
    this.cp(58);
    this.str(value, RAW);
    return this;
  }

  /** `:` and an instant as a UTC DATE-TIME, e.g. `20270301T090000Z`. */
  utc(ms: number): this {
    this.cp(58);
    const d = new Date(ms);
    this.digits(d.getUTCFullYear(), 4);
    this.digits(d.getUTCMonth() + 1, 2);
    this.digits(d.getUTCDate(), 2);
    this.cp(84); // T
    this.digits(d.getUTCHours(), 2);
    this.digits(d.getUTCMinutes(), 2);
    this.digits(d.getUTCSeconds(), 2);
    this.cp(90); // Z
    return this;
  }

  private digits(n: number, width: number) {
    for (let p = 10 ** (width - 1); p >= 1; p /= 10) this.cp(48 + (Math.floor(n / p) % 10));
  }

  /** Ends the content line with CRLF. */
  end(): this {
    this.ensure(2);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
    this.col = 0;
    return this;
  }

  /** A whole line `NAME:value` with a TEXT value. */
  textLine(name: string, value: string): this {
    return this.name(name).text(value).end();
  }

  /** A whole line `NAME:value` with a value that needs no escaping. */
  rawLine(name: string, value: string): this {
    return this.name(name).raw(value).end();
  }

  /** A whole line `NAME:date-time` in UTC. */
  utcLine(name: string, ms: number): this {
    return this.name(name).utc(ms).end();
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  toString(): string {
    return new TextDecoder().decode(this.buf.subarray(0, this.len));
  }
}

/** A positive duration in whole minutes as an RFC 5545 DURATION, e.g. `PT1H` or `PT1H30M`. */
export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ""}${m || !h ? `${m}M` : ""}`;
}

export const CRLF = "\r\n";
