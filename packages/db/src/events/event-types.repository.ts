import type pg from "pg";
import type { PrismaClient } from "../client.js";
import { Prisma, type EventType } from "../generated/prisma/client.js";
import type { Page, PageRequest } from "../pagination.js";
import { prepared } from "../prepared.js";
import { batcher, perPool } from "../batcher.js";

export type { EventType } from "../generated/prisma/client.js";

export interface EventTypeFields {
  readonly description?: string | undefined;
  /** A JSON Schema for `data`; null removes it. */
  readonly schema?: unknown;
  readonly deprecated?: boolean | undefined;
  readonly archived?: boolean | undefined;
}

const jsonOrNull = (value: unknown) => (value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue));

/** What publishing needs of a registered type. */
export type RegisteredType = Pick<EventType, "name" | "schema" | "deprecated" | "archived" | "updatedAt">;

/** The registry as a publish sees it: strict mode, and the registered types among the names asked. */
export interface PublishRegistry {
  readonly strict: boolean;
  readonly types: ReadonlyMap<string, RegisteredType>;
}

type RegistryRow = {
  tenant_id: string;
  strict: boolean;
  name: string | null;
  schema: unknown;
  deprecated: boolean;
  archived: boolean;
  updated_at: Date;
};

/**
 * Every publish asks the registry about its event types; the questions of publishes that arrive
 * together (of any tenants) are answered by one statement of plain SQL, sent after all of them
 * arrived, so none sees the registry as it was before it came. Each caller gets its tenant's
 * strict mode and, of the types asked by anyone, those of its tenant it named.
 */
const registryLookups = perPool((pool) =>
  batcher<{ tenantId: string; names: readonly string[] }, PublishRegistry>(
    async (asks) => {
      const { rows } = await prepared<RegistryRow>(
        pool,
        "publish-registries",
        `SELECT t.id AS tenant_id, t.strict_event_types AS strict, et.name, et.schema, et.deprecated, et.archived, et.updated_at
         FROM tenants t LEFT JOIN event_types et ON et.tenant_id = t.id AND et.name = ANY($2::text[])
         WHERE t.id = ANY($1::text[])`,
        [[...new Set(asks.map((ask) => ask.tenantId))], [...new Set(asks.flatMap((ask) => ask.names))]],
      );
      const strict = new Map<string, boolean>();
      const registered = new Map<string, RegistryRow>();
      for (const row of rows) {
        strict.set(row.tenant_id, row.strict);
        if (row.name !== null) registered.set(`${row.tenant_id}\u0000${row.name}`, row);
      }
      return asks.map(({ tenantId, names }) => {
        const types = new Map<string, RegisteredType>();
        for (const name of names) {
          const row = registered.get(`${tenantId}\u0000${name}`);
          if (row)
            types.set(name, {
              name,
              schema: row.schema as EventType["schema"],
              deprecated: row.deprecated,
              archived: row.archived,
              updatedAt: row.updated_at,
            });
        }
        return { strict: strict.get(tenantId) ?? false, types };
      });
    },
    { maxBatch: 200, maxConcurrent: 3 },
  ),
);

/** The event-type registry of one tenant, keyed by name. */
export function eventTypeRepository(prisma: PrismaClient, pool: pg.Pool, tenantId: string) {
  return {
    /** Strict mode and the named types, in a statement shared with other publishes that arrive together. */
    forPublish(names: readonly string[]): Promise<PublishRegistry> {
      return registryLookups(pool)({ tenantId, names });
    },

    async create(name: string, fields: EventTypeFields): Promise<EventType | "exists"> {
      try {
        return await prisma.eventType.create({
          data: {
            tenantId,
            name,
            description: fields.description ?? "",
            ...(fields.schema !== undefined && { schema: jsonOrNull(fields.schema) }),
            deprecated: fields.deprecated ?? false,
            archived: fields.archived ?? false,
          },
        });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "exists";
        throw error;
      }
    },

    find(name: string): Promise<EventType | null> {
      return prisma.eventType.findUnique({ where: { tenantId_name: { tenantId, name } } });
    },

    /** The names of every registered, unarchived type, for strict-mode checks of subscriptions. */
    async activeNames(): Promise<string[]> {
      const rows = await prisma.eventType.findMany({ where: { tenantId, archived: false }, select: { name: true } });
      return rows.map((row) => row.name);
    },

    /** Every unarchived type that has a JSON Schema, by name: what a test event may sample its data from. */
    withSchemas(): Promise<Pick<EventType, "name" | "schema">[]> {
      return prisma.eventType.findMany({
        where: { tenantId, archived: false, NOT: { schema: { equals: Prisma.DbNull } } },
        select: { name: true, schema: true },
        orderBy: { name: "asc" },
      });
    },

    async list(page: PageRequest): Promise<Page<EventType>> {
      const rows = await prisma.eventType.findMany({
        where: { tenantId, ...(page.after !== undefined && { name: { gt: page.after } }) },
        orderBy: { name: "asc" },
        take: page.limit + 1,
      });
      if (rows.length <= page.limit) return { items: rows };
      const items = rows.slice(0, page.limit);
      return { items, nextAfter: items[items.length - 1]?.name };
    },

    async update(name: string, fields: EventTypeFields): Promise<EventType | null> {
      const { count } = await prisma.eventType.updateMany({
        where: { tenantId, name },
        data: {
          ...(fields.description !== undefined && { description: fields.description }),
          ...(fields.schema !== undefined && { schema: jsonOrNull(fields.schema) }),
          ...(fields.deprecated !== undefined && { deprecated: fields.deprecated }),
          ...(fields.archived !== undefined && { archived: fields.archived }),
        },
      });
      return count === 0 ? null : this.find(name);
    },

    async delete(name: string): Promise<boolean> {
      const { count } = await prisma.eventType.deleteMany({ where: { tenantId, name } });
      return count > 0;
    },
  };
}

export type EventTypeRepository = ReturnType<typeof eventTypeRepository>;
