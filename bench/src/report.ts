/** One line of the results table: a measured value, and its target where the issue sets one. */
export interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly value: number | null;
  readonly unit: string;
  /** `>=` or `<=` a target; undefined for context figures. */
  readonly target?: { readonly op: ">=" | "<="; readonly value: number };
}

const fmt = (n: number | null, unit: string) =>
  n === null || Number.isNaN(n)
    ? "n/a"
    : `${n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(unit === "" ? 3 : 1)}${unit ? ` ${unit}` : ""}`;

export function verdict(row: Row): "met" | "missed" | "" {
  if (!row.target || row.value === null || Number.isNaN(row.value)) return "";
  return (row.target.op === ">=" ? row.value >= row.target.value : row.value <= row.target.value) ? "met" : "missed";
}

export function table(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.scenario,
    r.metric,
    fmt(r.value, r.unit),
    r.target ? `${r.target.op} ${fmt(r.target.value, r.unit)}` : "",
    verdict(r),
  ]);
  const header = ["scenario", "metric", "value", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/**
 * A bar per target: how far the measurement got towards it (1.0 is the target, longer is
 * better whichever way the target points), so one picture shows what is met and by how much.
 */
export function chart(rows: readonly Row[], title: string): string {
  const targeted = rows.filter((r) => r.target && r.value !== null && !Number.isNaN(r.value));
  const score = (r: Row) => (r.target!.op === ">=" ? r.value! / r.target!.value : r.target!.value / Math.max(r.value!, 1e-9));
  const width = 760;
  const left = 300;
  const barMax = width - left - 70;
  const scale = Math.max(2, ...targeted.map(score));
  const x = (v: number) => left + (Math.min(v, scale) / scale) * barMax;
  const rowHeight = 26;
  const height = 60 + targeted.length * rowHeight + 30;
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const bars = targeted
    .map((r, i) => {
      const y = 50 + i * rowHeight;
      const s = score(r);
      const colour = s >= 1 ? "#2e7d32" : "#c62828";
      return [
        `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escape(`${r.scenario} ${r.metric}`)}</text>`,
        `<rect x="${left}" y="${y + 3}" width="${(x(s) - left).toFixed(1)}" height="16" fill="${colour}"/>`,
        `<text x="${(x(s) + 4).toFixed(1)}" y="${y + 15}" font-size="11">${s.toFixed(2)}×</text>`,
      ].join("");
    })
    .join("\n");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="40" font-size="11" fill="#555">share of each target reached (1.0× = target; green met, red missed)</text>`,
    bars,
    `<line x1="${x(1)}" y1="45" x2="${x(1)}" y2="${height - 25}" stroke="#333" stroke-dasharray="4 3"/>`,
    `<text x="${x(1)}" y="${height - 10}" text-anchor="middle" font-size="11">target</text>`,
    `</svg>`,
  ].join("\n");
}
