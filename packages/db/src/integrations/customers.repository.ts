import type pg from "pg";
import { newId } from "@hookline/core";
import type { Database, PrismaClient } from "../client.js";
import { Prisma, type Customer } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { deleteCustomerData } from "./customer-deletion.js";
import { lookUpCustomers, type NamedCustomers } from "./customer-lookups.js";

export type { Customer } from "../generated/prisma/client.js";

const TEST_CUSTOMER_NAME = "Test customer";
const isTaken = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** The tenant's built-in test customer (made if missing, under a lock per tenant). */
export async function ensureTestCustomer(prisma: PrismaClient, tenantId: string): Promise<Customer> {
  const existing = await prisma.customer.findFirst({ where: { tenantId, isTest: true } });
  if (existing) return existing;
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hookline:test-customer:${tenantId}`}, 0))`;
    const found = await tx.customer.findFirst({ where: { tenantId, isTest: true } });
    return found ?? tx.customer.create({ data: { id: newId("customer"), tenantId, name: TEST_CUSTOMER_NAME, isTest: true } });
  });
}

/** Gives every tenant without one its test customer (at API start, as environments). Returns how many. */
export async function provisionTestCustomers(db: Pick<Database, "prisma">): Promise<number> {
  const tenants = await db.prisma.tenant.findMany({ where: { customers: { none: { isTest: true } } }, select: { id: true } });
  for (const { id } of tenants) await ensureTestCustomer(db.prisma, id);
  return tenants.length;
}

export function customerRepository(prisma: PrismaClient, pool: pg.Pool, tenantId: string) {
  return {
    async create(input: { name: string; externalId: string | null }): Promise<Customer | "external_id_taken"> {
      try {
        return await prisma.customer.create({ data: { id: newId("customer"), tenantId, name: input.name, externalId: input.externalId } });
      } catch (error) {
        if (isTaken(error)) return "external_id_taken";
        throw error;
      }
    },

    find(id: string): Promise<Customer | null> {
      return prisma.customer.findFirst({ where: { id, tenantId } });
    },

    /** Customers in creation order, the test customer among them (made on first listing if missing). */
    async list(page: PageRequest): Promise<Page<Customer>> {
      if (page.after === undefined) await ensureTestCustomer(prisma, tenantId);
      const { idAfter, ...rest } = pageQuery(page);
      return toPage(await prisma.customer.findMany({ where: { tenantId, ...idAfter }, ...rest }), page.limit);
    },

    async update(
      id: string,
      patch: { name?: string | undefined; externalId?: string | null | undefined },
    ): Promise<Customer | "not_found" | "external_id_taken"> {
      try {
        const { count } = await prisma.customer.updateMany({
          where: { id, tenantId },
          data: {
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.externalId !== undefined && { externalId: patch.externalId }),
          },
        });
        if (count === 0) return "not_found";
      } catch (error) {
        if (isTaken(error)) return "external_id_taken";
        throw error;
      }
      return (await prisma.customer.findFirst({ where: { id, tenantId } })) ?? "not_found";
    },

    /**
     * With its endpoints (their subscriptions, deliveries and attempts), the events published for
     * it, and its instances (and their executions), a batch at a time (see customer-deletion.ts).
     * The test customer stays.
     */
    async delete(id: string): Promise<"deleted" | "not_found" | "is_test"> {
      const customer = await prisma.customer.findFirst({ where: { id, tenantId }, select: { isTest: true } });
      if (!customer) return "not_found";
      if (customer.isTest) return "is_test";
      await deleteCustomerData(prisma, tenantId, id);
      return "deleted";
    },

    /** Which of the named customers (ids, external ids) the tenant has, for a publish; batched with other publishes. */
    forPublish(ids: readonly string[], externalIds: readonly string[]): Promise<NamedCustomers> {
      return lookUpCustomers(pool, { tenantId, ids, externalIds });
    },

    testCustomer: () => ensureTestCustomer(prisma, tenantId),
  };
}

export type CustomerRepository = ReturnType<typeof customerRepository>;
