import type { ComponentChildren, VNode } from "preact";
import { useLocation } from "preact-iso";
import { formatTime, pretty, relative } from "./format.js";

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={`${relative(iso)} · ${iso}`}>
      {formatTime(iso)}
    </time>
  );
}

/** A status as a coloured label; the word is always there, colour only repeats it. */
export function Badge({ status }: { status: string }) {
  return <span class={`badge badge-${status.toLowerCase().replace(/[^a-z0-9]/g, "-")}`}>{status.toLowerCase()}</span>;
}

/** An id, in monospace, linking to its own page. */
export function IdLink({ href, id }: { href: string; id: string }) {
  return (
    <a class="mono" href={href}>
      {id}
    </a>
  );
}

export function ErrorNote({ message }: { message: string | undefined }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

/** JSON as text: whatever it holds (markup included) is shown, never interpreted. */
export function Json({ value }: { value: unknown }) {
  return <pre class="json">{pretty(value)}</pre>;
}

export function Loading({ when }: { when: boolean }) {
  return when ? <p class="muted loading">Loading…</p> : null;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty muted">{children}</p>;
}

/**
 * A list as a table: a heading row and a row per item, or the empty note when there are none.
 * Nothing while the items are not there yet (the page shows its loading and error states).
 */
export function DataTable<T>(props: {
  items: readonly T[] | undefined;
  headings: readonly string[];
  row: (item: T) => VNode;
  class?: string;
  empty?: ComponentChildren;
}) {
  const { items, headings, row, empty } = props;
  if (items === undefined) return null;
  if (items.length === 0) return empty === undefined ? null : <Empty>{empty}</Empty>;
  return (
    <table class={props.class}>
      <thead>
        <tr>
          {headings.map((heading) => (
            <th key={heading}>{heading}</th>
          ))}
        </tr>
      </thead>
      <tbody>{items.map(row)}</tbody>
    </table>
  );
}

export function PageHeader({ title, children }: { title: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1>{title}</h1>
      <div class="actions">{children}</div>
    </header>
  );
}

/** The page's query string as a record, and a way to change some of it (the URL is the state). */
export function useQuery(): [Record<string, string>, (patch: Record<string, string | undefined>) => void] {
  const location = useLocation();
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(location.query);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === "") next.delete(key);
      else next.set(key, value);
    }
    const search = next.toString();
    location.route(`${location.path}${search ? `?${search}` : ""}`);
  };
  return [location.query, set];
}

/** Cursor pagination: the cursor lives in the URL, so a page can be linked to. */
export function Pager({ nextCursor }: { nextCursor: string | undefined }) {
  const [query, setQuery] = useQuery();
  if (!nextCursor && !query.cursor) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {query.cursor ? (
        <button type="button" class="link" onClick={() => setQuery({ cursor: undefined })}>
          ← First page
        </button>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <button type="button" class="link" onClick={() => setQuery({ cursor: nextCursor })}>
          Next page →
        </button>
      ) : null}
    </nav>
  );
}

export interface Bar {
  readonly label: string;
  readonly ok: number;
  readonly failed: number;
}

/**
 * Stacked bars drawn as SVG: no chart library, no canvas, nothing a strict content policy would
 * have to allow. Each bar has a title with its numbers, for hover and for screen readers.
 */
export function BarChart({ bars, height = 140 }: { bars: readonly Bar[]; height?: number }) {
  const max = Math.max(1, ...bars.map((b) => b.ok + b.failed));
  const width = Math.max(bars.length * 8, 240);
  const step = width / Math.max(bars.length, 1);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label="Attempts per minute">
      {bars.map((bar, i) => {
        const okHeight = (bar.ok / max) * (height - 4);
        const failedHeight = (bar.failed / max) * (height - 4);
        const x = i * step + 1;
        return (
          <g key={bar.label}>
            <title>{`${bar.label}: ${bar.ok} succeeded, ${bar.failed} failed`}</title>
            <rect class="bar-ok" x={x} y={height - okHeight} width={Math.max(step - 2, 1)} height={okHeight} />
            <rect class="bar-failed" x={x} y={height - okHeight - failedHeight} width={Math.max(step - 2, 1)} height={failedHeight} />
          </g>
        );
      })}
    </svg>
  );
}
