import type { SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import { sealVariable } from "./environment-secrets.js";

/** A variable as the tenant sees it: a secret one never shows its value again. */
export interface EnvironmentVariable {
  readonly name: string;
  readonly secret: boolean;
  /** Null for a secret variable. */
  readonly value: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Variables one environment may hold; workflows get them all on every call. */
export const MAX_VARIABLES_PER_ENVIRONMENT = 200;

const shown = (row: { name: string; secret: boolean; value: string; createdAt: Date; updatedAt: Date }): EnvironmentVariable => ({
  name: row.name,
  secret: row.secret,
  value: row.secret ? null : row.value,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export function environmentVariableRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const environmentExists = async (environmentId: string) =>
    (await prisma.environment.count({ where: { id: environmentId, tenantId } })) > 0;

  return {
    /** Null when the environment is not the tenant's. */
    async list(environmentId: string): Promise<EnvironmentVariable[] | null> {
      if (!(await environmentExists(environmentId))) return null;
      const rows = await prisma.environmentVariable.findMany({ where: { tenantId, environmentId }, orderBy: { name: "asc" } });
      return rows.map(shown);
    },

    /** Creates or replaces one variable; a secret value is sealed before it is stored. */
    async put(
      environmentId: string,
      name: string,
      input: { value: string; secret: boolean },
    ): Promise<{ variable: EnvironmentVariable; created: boolean } | "not_found" | "too_many"> {
      if (!(await environmentExists(environmentId))) return "not_found";
      const existing = await prisma.environmentVariable.findFirst({ where: { tenantId, environmentId, name }, select: { name: true } });
      if (!existing && (await prisma.environmentVariable.count({ where: { tenantId, environmentId } })) >= MAX_VARIABLES_PER_ENVIRONMENT) {
        return "too_many";
      }
      const value = input.secret ? sealVariable(cipher, environmentId, name, input.value) : input.value;
      const row = await prisma.environmentVariable.upsert({
        where: { environmentId_name: { environmentId, name } },
        create: { tenantId, environmentId, name, value, secret: input.secret },
        update: { value, secret: input.secret },
      });
      return { variable: shown(row), created: !existing };
    },

    async delete(environmentId: string, name: string): Promise<boolean> {
      const { count } = await prisma.environmentVariable.deleteMany({ where: { tenantId, environmentId, name } });
      return count > 0;
    },
  };
}

export type EnvironmentVariableRepository = ReturnType<typeof environmentVariableRepository>;
