import ICAL from "ical.js";

/**
 * Reads an ICS text the way real exports need: ical.js refuses a whole file over one bad line (an Exchange
 * `DTSTART;TZID="Eastern Standard Time:20270101T090000` whose quote swallows the value, a stray line without a
 * colon, a VEVENT that never ends), so the file is cut into its components first and each is parsed on its
 * own. A component that does not parse is left out: a VEVENT counts as skipped, a broken VTIMEZONE only loses
 * its definition (its name may still resolve), a broken calendar property is dropped.
 */
export type TolerantParse = { calendars: ICAL.Component[]; skipped: number };

type Block = { name: string; lines: string[] };

/** Components that only ever sit directly in a VCALENDAR. */
const TOP_LEVEL = new Set(["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE"]);

/** Throws only when the text holds no VCALENDAR at all (an HTML login page, say). */
export function parseTolerant(text: string): TolerantParse {
  const lines = text.replace(/^\uFEFF/, "").replace(/\r?\n[ \t]/g, "").split(/\r\n|\n|\r/);
  const calendars: ICAL.Component[] = [];
  let skipped = 0;
  let calendar: { props: unknown[]; comps: unknown[] } | null = null;
  let block: Block | null = null;
  let depth = 0;

  const closeBlock = (b: Block, complete: boolean) => {
    const parsed = complete ? parseBlock(b) : null;
    if (parsed) calendar!.comps.push(parsed);
    else if (b.name === "VEVENT") skipped++;
  };
  const closeCalendar = () => {
    if (block) closeBlock(block, false);
    calendars.push(new ICAL.Component(["vcalendar", calendar!.props, calendar!.comps] as never));
    calendar = null;
    block = null;
    depth = 0;
  };

  for (const line of lines) {
    const marker = /^(BEGIN|END):([A-Za-z0-9-]+)\s*$/.exec(line);
    const kind = marker?.[1]!.toUpperCase();
    const name = marker?.[2]!.toUpperCase();
    if (!calendar) {
      if (kind === "BEGIN" && name === "VCALENDAR") calendar = { props: [], comps: [] };
      continue;
    }
    if (kind === "END" && name === "VCALENDAR") {
      closeCalendar();
      continue;
    }
    // A component that cannot nest starting inside another: the open one never ended.
    if (block && depth === 1 && kind === "BEGIN" && TOP_LEVEL.has(name!)) {
      closeBlock(block, false);
      block = null;
    }
    if (block) {
      block.lines.push(line);
      if (kind === "BEGIN") depth++;
      else if (kind === "END" && --depth === 0) {
        closeBlock(block, name === block.name);
        block = null;
      }
      continue;
    }
    if (kind === "BEGIN") {
      block = { name: name!, lines: [line] };
      depth = 1;
    } else if (line.trim()) {
      const prop = parseProperty(line);
      if (prop) calendar.props.push(prop);
    }
  }
  if (calendar) closeCalendar();
  if (!calendars.length) throw new Error("Not an iCalendar file");
  return { calendars, skipped };
}

function parseBlock(b: Block): unknown[] | null {
  try {
    const jcal = ICAL.parse(b.lines.join("\r\n")) as unknown[];
    return Array.isArray(jcal) && typeof jcal[0] === "string" && jcal[0].toUpperCase() === b.name ? jcal : null;
  } catch {
    return null;
  }
}

function parseProperty(line: string): unknown[] | null {
  try {
    return ICAL.parse.property(line) as unknown[];
  } catch {
    return null;
  }
}
