import { For, Match, Switch } from "solid-js";
import { Dynamic } from "solid-js/web";
import { type Inline, parseMarkdown } from "../../../../domain/video/markdown";

function Inlines(props: { parts: Inline[] }) {
  return (
    <For each={props.parts}>
      {(p) => (
        <Switch fallback={p.text}>
          <Match when={p.kind === "strong"}>
            <strong>{p.text}</strong>
          </Match>
          <Match when={p.kind === "em"}>
            <em>{p.text}</em>
          </Match>
          <Match when={p.kind === "code"}>
            <code>{p.text}</code>
          </Match>
          <Match when={p.kind === "link" && p}>
            {(l) => (
              <a href={l().href} target="_blank" rel="noopener noreferrer">
                {l().text}
              </a>
            )}
          </Match>
        </Switch>
      )}
    </For>
  );
}

/** Markdown notes rendered as elements (domain/video/markdown.ts parses them; nothing is injected as HTML). */
export function Markdown(props: { source: string }) {
  const blocks = () => parseMarkdown(props.source);
  return (
    <div class="markdown">
      <For each={blocks()}>
        {(b) => (
          <Switch>
            <Match when={b.kind === "heading" && b}>{(h) => <Dynamic component={`h${h().level + 2}`}><Inlines parts={h().inline} /></Dynamic>}</Match>
            <Match when={b.kind === "paragraph" && b}>
              {(p) => (
                <p>
                  <Inlines parts={p().inline} />
                </p>
              )}
            </Match>
            <Match when={b.kind === "quote" && b}>
              {(q) => (
                <blockquote>
                  <Inlines parts={q().inline} />
                </blockquote>
              )}
            </Match>
            <Match when={b.kind === "code" && b}>
              {(c) => (
                <pre>
                  <code>{c().text}</code>
                </pre>
              )}
            </Match>
            <Match when={b.kind === "list" && b}>
              {(l) => (
                <Dynamic component={l().ordered ? "ol" : "ul"}>
                  <For each={l().items}>
                    {(item) => (
                      <li>
                        <Inlines parts={item} />
                      </li>
                    )}
                  </For>
                </Dynamic>
              )}
            </Match>
          </Switch>
        )}
      </For>
    </div>
  );
}
