import Table from "cli-table3";

/**
 * What commands print. People get aligned columns; scripts pass `--json` and get exactly what the
 * API answered, one JSON document on stdout (a list as an array), nothing else on stdout.
 */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

export interface Output {
  readonly json: boolean;
  /** One record: a JSON document, or `field  value` lines. */
  record(value: object): void;
  /** Many records: a JSON array, or a table with these columns. */
  list<T extends object>(rows: readonly T[], columns: readonly Column<T>[]): void;
  /** A sentence for people (stderr when --json, so stdout stays parseable). */
  say(message: string): void;
  /** A line that rewrites itself while a long operation runs; only on a terminal. */
  progress(message: string): void;
  /** Ends a progress line. */
  done(): void;
  /** What a `delete` says: `{ <key>: …, deleted: true }` as JSON, `deleted …` for people. */
  deleted(key: "id" | "name", value: string): void;
}

const text = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(text).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
};

/** No borders: output that reads like `kubectl get` and pastes cleanly. */
const BORDERLESS = {
  chars: {
    top: "",
    "top-mid": "",
    "top-left": "",
    "top-right": "",
    bottom: "",
    "bottom-mid": "",
    "bottom-left": "",
    "bottom-right": "",
    left: "",
    "left-mid": "",
    mid: "",
    "mid-mid": "",
    right: "",
    "right-mid": "",
    middle: "  ",
  },
  style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
};

export function createOutput(options: { json: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream }): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const write = (line: string) => void stdout.write(`${line}\n`);
  let progressShown = false;
  return {
    json: options.json,
    record(value) {
      if (options.json) return write(JSON.stringify(value, null, 2));
      const entries = Object.entries(value);
      const width = Math.max(0, ...entries.map(([key]) => key.length));
      for (const [key, field] of entries) write(`${key.padEnd(width)}  ${text(field)}`);
    },
    list(rows, columns) {
      if (options.json) return write(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return void stderr.write("(none)\n");
      const table = new Table({ ...BORDERLESS, head: columns.map((column) => column.header.toUpperCase()) });
      for (const row of rows) table.push(columns.map((column) => text(column.value(row))));
      // cli-table3 pads the last column too; trailing spaces are noise in a terminal and in diffs.
      write(
        table
          .toString()
          .split("\n")
          .map((line) => line.trimEnd())
          .join("\n"),
      );
    },
    say(message) {
      (options.json ? stderr : stdout).write(`${message}\n`);
    },
    progress(message) {
      if (!stderr.isTTY) return;
      stderr.write(`\r\x1b[2K${message}`);
      progressShown = true;
    },
    done() {
      if (progressShown) stderr.write("\n");
      progressShown = false;
    },
    deleted(key, value) {
      if (options.json) write(JSON.stringify({ [key]: value, deleted: true }, null, 2));
      else write(`deleted ${value}`);
    },
  };
}
