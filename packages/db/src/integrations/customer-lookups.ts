import type pg from "pg";
import { batcher, perPool } from "../batcher.js";
import { prepared } from "../prepared.js";

/** The customers one publish request names, by id and by the tenant's external id. */
export interface CustomerAsk {
  readonly tenantId: string;
  readonly ids: readonly string[];
  readonly externalIds: readonly string[];
}

/** Of the customers asked, those the tenant has: ids that exist, and the id of each external id found. */
export interface NamedCustomers {
  readonly ids: ReadonlySet<string>;
  readonly byExternalId: ReadonlyMap<string, string>;
}

type CustomerRow = { tenant_id: string; id: string; external_id: string | null };

/**
 * Publishes that name a customer ask for it here, beside the registry's statement and at the same
 * time (see admission in @hookline/publishing): the questions of publishes that arrive together,
 * of any tenants, are answered by one statement, found through the unique (tenant_id, id) and
 * (tenant_id, external_id) indexes. A publish that names no customer never asks.
 */
const customerLookups = perPool((pool) =>
  batcher<CustomerAsk, NamedCustomers>(
    async (asks) => {
      const refs = asks.flatMap((ask) => [
        ...ask.ids.map((id) => ({ tenantId: ask.tenantId, id, externalId: null })),
        ...ask.externalIds.map((externalId) => ({ tenantId: ask.tenantId, id: null, externalId })),
      ]);
      const { rows } = await prepared<CustomerRow>(
        pool,
        "publish-customers",
        `SELECT DISTINCT c.tenant_id, c.id, c.external_id
         FROM unnest($1::text[], $2::text[], $3::text[]) AS a(tenant_id, id, external_id)
         JOIN customers c ON c.tenant_id = a.tenant_id AND (c.id = a.id OR c.external_id = a.external_id)`,
        [refs.map((r) => r.tenantId), refs.map((r) => r.id), refs.map((r) => r.externalId)],
      );
      return asks.map(({ tenantId }) => {
        const mine = rows.filter((row) => row.tenant_id === tenantId);
        return {
          ids: new Set(mine.map((row) => row.id)),
          byExternalId: new Map(mine.flatMap((row) => (row.external_id === null ? [] : [[row.external_id, row.id] as const]))),
        };
      });
    },
    { maxBatch: 200, maxConcurrent: 3 },
  ),
);

/** The customers of one tenant among those named, in a statement shared with other publishes that arrive together. */
export function lookUpCustomers(pool: pg.Pool, ask: CustomerAsk): Promise<NamedCustomers> {
  return customerLookups(pool)(ask);
}
