import { CRLF } from "./format";

/**
 * Checks what parsers forgive but RFC 5545 requires of a published feed: CRLF line ends, physical lines of
 * at most 75 UTF-8 octets folded between characters, balanced components, and the properties every
 * calendar and event must carry. Returns the problems found (none means valid in these respects).
 */
export function lintIcs(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith(CRLF)) problems.push("does not end with CRLF");
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) problems.push("has a bare CR or LF");
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) problems.push("splits a surrogate pair");
  const encoder = new TextEncoder();
  const physical = text.split(CRLF).slice(0, -1);
  physical.forEach((line, i) => {
    const octets = encoder.encode(line).length;
    if (octets > 75) problems.push(`line ${i + 1} has ${octets} octets`);
  });
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(" ") || line.startsWith("\t")) {
      if (!lines.length) problems.push("starts with a continuation line");
      else lines[lines.length - 1] += line.slice(1);
    } else lines.push(line);
  }
  const stack: { name: string; props: Map<string, number> }[] = [];
  const required: Record<string, string[]> = { VCALENDAR: ["VERSION", "PRODID"], VEVENT: ["UID", "DTSTAMP", "DTSTART"] };
  for (const line of lines) {
    const name = /^[A-Za-z0-9-]+/.exec(line)?.[0]?.toUpperCase();
    if (!name || !/^[A-Za-z0-9-]+[;:]/.test(line)) {
      problems.push(`not a content line: ${line.slice(0, 40)}`);
      continue;
    }
    const value = line.slice(line.indexOf(":") + 1);
    if (name === "BEGIN") stack.push({ name: value.toUpperCase(), props: new Map() });
    else if (name === "END") {
      const top = stack.pop();
      if (top?.name !== value.toUpperCase()) problems.push(`END:${value} closes ${top?.name ?? "nothing"}`);
      else {
        for (const p of required[top.name] ?? []) if (top.props.get(p) !== 1) problems.push(`${top.name} has ${top.props.get(p) ?? 0} ${p}`);
        if (top.name === "VEVENT" && top.props.has("DTEND") && top.props.has("DURATION")) problems.push("VEVENT has both DTEND and DURATION");
      }
    } else {
      const props = stack[stack.length - 1]?.props;
      if (!props) problems.push(`${name} outside any component`);
      else props.set(name, (props.get(name) ?? 0) + 1);
    }
  }
  if (stack.length) problems.push(`unclosed ${stack.map((s) => s.name).join(", ")}`);
  return problems;
}
