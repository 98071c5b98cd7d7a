import { createRequire } from "node:module";
import type pg from "pg";

/**
 * Two descriptions of the same database shape: one derived from schema.prisma (through Prisma's
 * own schema parser, compiled to wasm, which needs no engine download) and one read from a
 * database the SQL migrations built. A test compares them. A partitioned table counts once, as
 * its parent: its partitions, their indexes and their copies of its foreign keys are its own.
 */
export interface Shape {
  tables: Record<string, Record<string, string>>;
  primaryKeys: Record<string, string>;
  indexes: string[];
  foreignKeys: string[];
  enums: Record<string, string>;
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum";
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  type: string;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[];
    indexes: { model: string; type: "id" | "normal" | "unique" | "fulltext"; fields: { name: string }[]; dbName?: string | null }[];
  };
}

const require = createRequire(import.meta.url);

export function shapeFromSchema(schema: string): Shape {
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] }))) as Dmmf;
  const { models, enums, indexes } = dmmf.datamodel;
  const enumDbName = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };

  const shape: Shape = { tables: {}, primaryKeys: {}, indexes: [], foreignKeys: [], enums: {} };
  for (const e of enums) shape.enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name).join(",");
  for (const model of models) {
    const table = model.dbName ?? model.name;
    const columns: Record<string, string> = {};
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          const from = field.relationFromFields.map((f) => columnOf(model.name, f)).join(",");
          const to = (field.relationToFields ?? []).map((f) => columnOf(field.type, f)).join(",");
          shape.foreignKeys.push(
            `${table}(${from}) -> ${tableOf.get(field.type)}(${to}) on delete ${(field.relationOnDelete ?? "Restrict").toLowerCase()}`,
          );
        }
        continue;
      }
      const base = field.kind === "enum" ? String(enumDbName.get(field.type)) : sqlType(field);
      const type = field.isList ? `${base}[]` : base;
      // Prisma creates list columns without NOT NULL.
      const nullable = !field.isRequired || field.isList;
      const dbDefault = field.hasDefaultValue && !isAppGenerated(field.default);
      columns[field.dbName ?? field.name] = `${type}${nullable ? " null" : " not null"}${dbDefault ? " default" : ""}`;
    }
    shape.tables[table] = columns;
  }
  for (const index of indexes) {
    const table = String(tableOf.get(index.model));
    const cols = index.fields.map((f) => columnOf(index.model, f.name)).join(",");
    if (index.type === "id") shape.primaryKeys[table] = cols;
    else shape.indexes.push(`${table}(${cols})${index.type === "unique" ? " unique" : ""}`);
  }
  shape.indexes.sort();
  shape.foreignKeys.sort();
  return shape;
}

function isAppGenerated(value: unknown): boolean {
  const name = (value as { name?: string } | undefined)?.name;
  return name === "cuid" || name === "uuid" || name === "nanoid" || name === "ulid";
}

function sqlType(field: DmmfField): string {
  const native = field.nativeType;
  if (native) {
    const [name, args] = native;
    const precision = args.length ? `(${args.join(",")})` : "";
    switch (name) {
      case "Timestamptz":
        return `timestamp${precision} with time zone`;
      case "Timestamp":
        return `timestamp${precision} without time zone`;
      case "VarChar":
        return `character varying${precision}`;
      case "Uuid":
        return "uuid";
      case "SmallInt":
        return "smallint";
      default:
        return name.toLowerCase() + precision;
    }
  }
  const defaults: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    DateTime: "timestamp(3) without time zone",
    Json: "jsonb",
    Bytes: "bytea",
    Float: "double precision",
    Decimal: "numeric(65,30)",
  };
  return defaults[field.type] ?? `unknown:${field.type}`;
}

const ON_DELETE: Record<string, string> = { a: "noaction", r: "restrict", c: "cascade", n: "setnull", d: "setdefault" };

export async function shapeFromDatabase(client: pg.Client): Promise<Shape> {
  const shape: Shape = { tables: {}, primaryKeys: {}, indexes: [], foreignKeys: [], enums: {} };
  const columns = await client.query<{ table: string; column: string; type: string; notnull: boolean; hasdefault: boolean }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS notnull, a.atthasdef AS hasdefault
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relname <> '_prisma_migrations'
    ORDER BY c.relname, a.attnum`);
  for (const row of columns.rows) {
    const type = row.type.replace(/^"(.*)"(\[\])?$/, "$1$2");
    (shape.tables[row.table] ??= {})[row.column] = `${type}${row.notnull ? " not null" : " null"}${row.hasdefault ? " default" : ""}`;
  }
  const indexes = await client.query<{ table: string; cols: string; unique: boolean; primary: boolean }>(`
    SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
           string_agg(a.attname, ',' ORDER BY k.ord) AS cols
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations' AND NOT t.relispartition
    GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`);
  for (const row of indexes.rows) {
    if (row.primary) shape.primaryKeys[row.table] = row.cols;
    else shape.indexes.push(`${row.table}(${row.cols})${row.unique ? " unique" : ""}`);
  }
  const fks = await client.query<{ table: string; cols: string; ref: string; refcols: string; ondelete: string }>(`
    SELECT t.relname AS table, r.relname AS ref, c.confdeltype AS ondelete,
      (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS cols,
      (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord)
         JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS refcols
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conparentid = 0`);
  for (const row of fks.rows) {
    shape.foreignKeys.push(`${row.table}(${row.cols}) -> ${row.ref}(${row.refcols}) on delete ${ON_DELETE[row.ondelete]}`);
  }
  const enums = await client.query<{ name: string; vals: string }>(`
    SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS vals
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  for (const row of enums.rows) shape.enums[row.name] = row.vals;
  shape.indexes.sort();
  shape.foreignKeys.sort();
  return shape;
}
