/**
 * The small part of Markdown the notes pad previews: headings, paragraphs, bullet and numbered lists, quotes,
 * fenced code, and inline bold, italic, code and links. It produces a tree, not HTML, so the SPA renders it as
 * elements and nobody's notes can inject markup; links keep only http(s) and mailto addresses.
 */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "strong"; text: string }
  | { kind: "em"; text: string }
  | { kind: "code"; text: string }
  | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; inline: Inline[] }
  | { kind: "paragraph"; inline: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "quote"; inline: Inline[] }
  | { kind: "code"; text: string };

const INLINE = /(\*\*([^*]+)\*\*)|(\*([^*\s][^*]*)\*|_([^_\s][^_]*)_)|(`([^`]+)`)|(\[([^\]]+)\]\(([^)\s]+)\))/g;
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > at) out.push({ kind: "text", text: text.slice(at, m.index) });
    if (m[1]) out.push({ kind: "strong", text: m[2]! });
    else if (m[3]) out.push({ kind: "em", text: (m[4] ?? m[5])! });
    else if (m[6]) out.push({ kind: "code", text: m[7]! });
    else if (SAFE_HREF.test(m[10]!)) out.push({ kind: "link", text: m[9]!, href: m[10]! });
    else out.push({ kind: "text", text: m[9]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at) });
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", inline: parseInline(paragraph.join(" ")) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let m: RegExpExecArray | null;
    if (line.startsWith("```")) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.startsWith("```")) code.push(lines[i]!);
      blocks.push({ kind: "code", text: code.join("\n") });
    } else if ((m = /^(#{1,3})\s+(.*)$/.exec(line))) {
      flush();
      blocks.push({ kind: "heading", level: m[1]!.length as 1 | 2 | 3, inline: parseInline(m[2]!.trim()) });
    } else if ((m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line))) {
      flush();
      const ordered = /\d/.test(m[1]!);
      const last = blocks[blocks.length - 1];
      const item = parseInline(m[2]!);
      if (last?.kind === "list" && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: "list", ordered, items: [item] });
    } else if ((m = /^>\s?(.*)$/.exec(line))) {
      flush();
      blocks.push({ kind: "quote", inline: parseInline(m[1]!) });
    } else if (!line.trim()) flush();
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}
