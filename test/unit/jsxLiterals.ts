import { readFileSync } from "node:fs";
import ts from "typescript";

/**
 * No visible English is written into the SPA's components: what a person reads comes from the catalogs (t/tx).
 * The scan reads each .tsx file's syntax and reports
 *  - JSX text with letters in it ("<h1>Billing</h1>"),
 *  - visible attributes given a literal (aria-label, placeholder, title, alt, label, …),
 *  - string literals that read as prose anywhere in a component: two or more words starting with a capital, or
 *    ending in a full stop ("Session moved.", setFlash("Couldn't save")).
 * Brand names and things that are not words (codes, units, sample addresses) are allowed below. Files left out are
 * listed with their reason in test/unit/literals.test.ts.
 */
/** Words that are the same in every language: names of products and services, symbols. */
const ALLOWED = new Set(["Tutorly", "Stripe", "Calendly", "Google", "Google Calendar", "Outlook", "Apple Calendar", "iCal", "ICS", "VAPID", "D1", "SPA", "API", "Cloudflare", "Cloudflare Realtime", "Markdown", "UTC", "Z", "ID", "OK", "T"]);

export const VISIBLE_ATTRIBUTES = new Set(["aria-label", "aria-description", "aria-valuetext", "aria-roledescription", "placeholder", "title", "alt", "label", "legend", "caption", "heading", "confirmLabel", "cancelLabel", "pendingLabel", "description", "hint", "empty", "emptyText", "message", "text", "intro", "summary"]);

const hasLetters = (s: string) => /\p{L}/u.test(s);
const BRANDS = new RegExp(`\\b(${[...ALLOWED].sort((a, b) => b.length - a.length).join("|")})\\b`, "g");
const allowed = (s: string) => {
  const v = s.trim();
  // Not words: codes and tag names ("h3"), addresses, links.
  return !hasLetters(v.replace(BRANDS, "")) || /^[a-z]+\d+$/.test(v) || /^[\w.+-]+@[\w.-]+$/.test(v) || /^https?:\/\//.test(v);
};
/** Prose: two or more words with a capital first, or a sentence's full stop/question mark at the end. */
const prose = (s: string) => {
  const v = s.trim();
  if (allowed(v) || !/\p{L}{3,}/u.test(v)) return false;
  if (/^[a-z0-9_.:/-]+$/i.test(v) && !/\s/.test(v)) return /^[A-Z][a-z]+[.!?]$/.test(v);
  return /^[A-Z][a-z']*(\s+\S+)+/.test(v) || /[a-z][.?!]$/.test(v) || /^[A-Z][a-z]+:?$/.test(v);
};

export function literalsIn(path: string, text = readFileSync(path, "utf8")): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: string[] = [];
  const where = (n: ts.Node) => `${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node, inJsx: boolean): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return;
    if (ts.isJsxText(n)) {
      const v = n.text.replace(/\s+/g, " ").trim();
      if (v && !allowed(v)) out.push(`${where(n)}: text "${v}"`);
      return;
    }
    if (ts.isJsxAttribute(n)) {
      const name = n.name.getText(file);
      if (name === "class" || name === "classList" || name === "id" || name === "href" || name === "type" || name === "name" || name === "for" || name === "role" || name === "autocomplete" || name === "inputmode" || name === "pattern" || name === "lang" || name === "dir" || name.startsWith("data-")) return;
      const init = n.initializer;
      if (init && ts.isStringLiteral(init) && VISIBLE_ATTRIBUTES.has(name) && !allowed(init.text)) out.push(`${where(n)}: ${name}="${init.text}"`);
      // A visible attribute's expression is read as text shown; others (handlers, refs) as code.
      if (init) ts.forEachChild(init, (c) => visit(c, VISIBLE_ATTRIBUTES.has(name)));
      return;
    }
    if (ts.isCallExpression(n)) {
      // t("ns.key") / tx(...) keys; document.querySelector("…"), console.*, new Error(…) for developers are not on screen.
      const callee = n.expression.getText(file);
      if (/^(t|tx|need|needAll|lazyRoute|console\.\w+|.*querySelector(All)?|.*getElementById|.*addEventListener|.*removeEventListener|.*setAttribute|.*getItem|.*setItem|.*removeItem)$/.test(callee)) {
        if (callee === "t" || callee === "tx") n.arguments.slice(1).forEach((a) => visit(a, inJsx));
        return;
      }
    }
    if (ts.isNewExpression(n) && /Error$/.test(n.expression.getText(file))) return;
    if (ts.isThrowStatement(n)) return;
    if (ts.isPropertyAssignment(n) && /^(class|id|key|kind|code|status|type|role|path|href|name|zone)$/.test(n.name.getText(file))) return;
    if (ts.isBinaryExpression(n) && /^(===|!==|==|!=)$/.test(n.operatorToken.getText(file))) return;
    if (ts.isCaseClause(n)) {
      n.statements.forEach((s) => visit(s, inJsx));
      return;
    }
    if (ts.isTypeNode(n) || ts.isTypeAliasDeclaration(n) || ts.isInterfaceDeclaration(n)) return;
    // Inside JSX children any two words are shown text ("of credit per lesson"), capitalized or not.
    const shownWords = (s: string) => inJsx && !allowed(s) && (/\p{L}{2,}[\s,]+\p{L}{2,}/u.test(s) || /^\p{Lu}\p{Ll}{2,}$/u.test(s.trim()));
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && (prose(n.text) || shownWords(n.text))) {
      out.push(`${where(n)}: "${n.text}"`);
      return;
    }
    if (ts.isTemplateExpression(n)) {
      const parts = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(" ");
      const v = parts.replace(/\s+/g, " ").trim();
      if (prose(v) || (!allowed(v) && /\p{L}{2,}\s+\p{L}{2,}/u.test(v))) out.push(`${where(n)}: \`${n.getText(file).slice(1, -1)}\``);
    }
    ts.forEachChild(n, (c) => visit(c, inJsx || ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)));
  };
  visit(file, false);
  return out;
}

