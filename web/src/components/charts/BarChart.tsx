import { For, Show, createMemo, createSignal, createUniqueId, onCleanup, onMount } from "solid-js";
import { t } from "../../i18n";

export type ChartSeries = { label: string; /** bar-brand | bar-accent | bar-danger | bar-soft */ tone: string };
export type ChartDatum = { label: string; /** Longer label for the table and tooltips. */ fullLabel?: string; values: number[] };

const M = { top: 10, right: 8, bottom: 26, left: 48 };

/** The smallest 1, 2 or 5 times a power of ten that is at least `x` (and at least 1). */
const niceStep = (x: number) => {
  if (x <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * p >= x) ?? 10) * p;
};

/**
 * Axis ticks for data up to `max`: at most four round steps, in whole `unit`s (60 for minutes shown as hours,
 * 100 for cents shown as dollars), from 0 to the first step at or above `max`.
 */
export function axisTicks(max: number, unit = 1): number[] {
  const step = niceStep(max / unit / 3) * unit;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

const MAX_BAR = 44;

/**
 * A small bar chart in plain SVG (no library): one bar per datum, its series side by side or stacked. It is drawn
 * at the container's real width so text stays legible on phones, and screen readers get a summary plus a table
 * of every value instead of the picture.
 */
export function BarChart(props: {
  title: string;
  summary: string;
  series: ChartSeries[];
  data: ChartDatum[];
  stacked?: boolean;
  height?: number;
  format?: (n: number) => string;
  /** Shown across the plot when every value is 0 (wrapped to the plot's width). */
  emptyText?: string;
  /** Ticks fall on whole multiples of this (60: hours of minutes; 100: dollars of cents). */
  unit?: number;
  /** The table's first column heading ("Week", "Day", "Credit lot"). */
  category?: string;
  testId?: string;
}) {
  const id = createUniqueId();
  const [width, setWidth] = createSignal(600);
  let box!: HTMLDivElement;
  onMount(() => {
    setWidth(box.clientWidth || 600);
    const ro = new ResizeObserver(([e]) => e && setWidth(Math.max(200, Math.round(e.contentRect.width))));
    ro.observe(box);
    onCleanup(() => ro.disconnect());
  });
  const fmt = (n: number) => (props.format ? props.format(n) : String(n));
  const height = () => props.height ?? 180;
  const plotW = () => width() - M.left - M.right;
  const plotH = () => height() - M.top - M.bottom;
  // Side-by-side bars thinner than a few pixels (30 days on a phone) read better stacked.
  const stacked = () => props.stacked || (props.series.length > 1 && plotW() / Math.max(1, props.data.length) / props.series.length < 6);
  const ticks = createMemo(() => axisTicks(Math.max(0, ...props.data.map((d) => (stacked() ? d.values.reduce((a, b) => a + b, 0) : Math.max(0, ...d.values)))), props.unit));
  const max = () => ticks()[ticks().length - 1]!;
  const band = () => plotW() / Math.max(1, props.data.length);
  const y = (v: number) => M.top + plotH() - (v / max()) * plotH();
  // Thin the x labels so they never overlap (about 7 px per character at 12 px).
  const every = createMemo(() => {
    const longest = Math.max(1, ...props.data.map((d) => d.label.length));
    return Math.max(1, Math.ceil((longest * 7 + 8) / band()));
  });

  const bars = createMemo(() =>
    props.data.flatMap((d, i) => {
      const x0 = M.left + i * band();
      const inner = Math.min(band() - Math.min(8, band() * 0.18) * 2, MAX_BAR * (stacked() ? 1 : d.values.length));
      const pad = (band() - inner) / 2;
      if (stacked()) {
        let acc = 0;
        return d.values.map((v, s) => {
          const top = y(acc + v);
          const bottom = y(acc);
          acc += v;
          return { x: x0 + pad, y: top, w: Math.max(1, inner), h: Math.max(0, bottom - top), s, i, v };
        });
      }
      const w = inner / Math.max(1, d.values.length);
      return d.values.map((v, s) => ({ x: x0 + pad + s * w, y: y(v), w: Math.max(1, w - (d.values.length > 1 ? 1 : 0)), h: Math.max(0, y(0) - y(v)), s, i, v }));
    }),
  );

  return (
    <figure class="chart" data-testid={props.testId} aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} class="chart-title">
        {props.title}
      </figcaption>
      <Show when={props.series.length > 1}>
        <ul class="chart-legend" aria-hidden="true">
          <For each={props.series}>
            {(s) => (
              <li>
                <span class={`swatch ${s.tone}`} />
                {s.label}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div ref={box} class="chart-box">
        <svg width={width()} height={height()} viewBox={`0 0 ${width()} ${height()}`} role="img" aria-label={`${props.title}. ${props.summary}`}>
          <g class="chart-grid" aria-hidden="true">
            <For each={ticks()}>
              {(t) => (
                <>
                  <line x1={M.left} x2={width() - M.right} y1={y(t)} y2={y(t)} />
                  <text x={M.left - 6} y={y(t)} dy="0.32em" text-anchor="end">
                    {t === 0 ? "0" : fmt(t)}
                  </text>
                </>
              )}
            </For>
          </g>
          <g aria-hidden="true">
            <For each={bars()}>
              {(b) => (
                <rect class={props.series[b.s]?.tone ?? "bar-brand"} x={b.x} y={b.y} width={b.w} height={b.h} rx={Math.min(3, b.w / 2)}>
                  <title>
                    {props.data[b.i]?.fullLabel ?? props.data[b.i]?.label}: {props.series[b.s]?.label} {fmt(b.v)}
                  </title>
                </rect>
              )}
            </For>
          </g>
          <g class="chart-x" aria-hidden="true">
            <For each={props.data}>
              {(d, i) => (
                <Show when={i() % every() === 0}>
                  <text x={M.left + (i() + 0.5) * band()} y={height() - 8} text-anchor="middle">
                    {d.label}
                  </text>
                </Show>
              )}
            </For>
          </g>
        </svg>
        {/* Over the plot in HTML, not SVG text: SVG text never wraps, and a long message ran off a phone's chart. */}
        <Show when={props.emptyText && props.data.every((d) => d.values.every((v) => !v))}>
          <p class="chart-empty" style={{ top: `${M.top}px`, left: `${M.left}px`, width: `${plotW()}px`, height: `${plotH()}px` }} aria-hidden="true">
            {props.emptyText}
          </p>
        </Show>
      </div>
      {/* A table ignores the height and overflow of .sr-only, so its box is what gets hidden. */}
      <div class="sr-only">
      <table>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{props.category ?? t("core.chart.period")}</th>
            <For each={props.series}>{(s) => <th scope="col">{s.label}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.data}>
            {(d) => (
              <tr>
                <th scope="row">{d.fullLabel ?? d.label}</th>
                <For each={d.values}>{(v) => <td>{fmt(v)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      </div>
    </figure>
  );
}
