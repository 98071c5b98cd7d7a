import type { PrismaClient } from "../client.js";
import type { ExecutionOutcome, Prisma } from "../generated/prisma/client.js";
import { toPage, type Page, type PageRequest } from "../pagination.js";

export type { ExecutionOutcome } from "../generated/prisma/client.js";

export interface ExecutionLogLine {
  readonly level: string;
  readonly message: string;
  /** Milliseconds since the execution started. */
  readonly at: number;
}

export interface ExecutionError {
  readonly name: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** One call of an inbound endpoint, as recorded. */
export interface Execution {
  readonly id: string;
  readonly endpointId: string;
  readonly environmentId: string;
  readonly workflowVersion: number | null;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly requestHeaders: Record<string, string>;
  readonly bodySize: number;
  readonly bodyHead: string;
  readonly status: number;
  readonly durationMs: number;
  readonly outcome: ExecutionOutcome;
  readonly logs: ExecutionLogLine[];
  readonly logsTruncated: boolean;
  readonly error: ExecutionError | null;
  readonly publishedEventIds: string[];
  readonly createdAt: Date;
}

export interface ExecutionFilter {
  readonly outcome?: ExecutionOutcome | undefined;
  readonly environmentId?: string | undefined;
}

type Row = Prisma.ExecutionGetPayload<object>;

/** The JSON columns were written by the recorder in these shapes; read them back as such. */
const toExecution = (row: Row): Execution => ({
  id: row.id,
  endpointId: row.endpointId,
  environmentId: row.environmentId,
  workflowVersion: row.workflowVersion,
  method: row.method,
  path: row.path,
  query: row.query,
  requestHeaders: row.requestHeaders as Record<string, string>,
  bodySize: row.bodySize,
  bodyHead: row.bodyHead,
  status: row.status,
  durationMs: row.durationMs,
  outcome: row.outcome,
  logs: row.logs as unknown as ExecutionLogLine[],
  logsTruncated: row.logsTruncated,
  error: row.error as ExecutionError | null,
  publishedEventIds: row.publishedEventIds,
  createdAt: row.createdAt,
});

export function executionRepository(prisma: PrismaClient, tenantId: string) {
  return {
    async find(id: string): Promise<Execution | null> {
      const row = await prisma.execution.findFirst({ where: { id, tenantId } });
      return row && toExecution(row);
    },

    /**
     * An endpoint's executions, newest first (unlike other lists: what just happened is what one
     * looks for); null when the endpoint is not the tenant's.
     */
    async listForEndpoint(endpointId: string, page: PageRequest, filter: ExecutionFilter): Promise<Page<Execution> | null> {
      if (!(await prisma.inboundEndpoint.count({ where: { id: endpointId, tenantId } }))) return null;
      const rows = await prisma.execution.findMany({
        where: {
          tenantId,
          endpointId,
          ...(filter.outcome !== undefined && { outcome: filter.outcome }),
          ...(filter.environmentId !== undefined && { environmentId: filter.environmentId }),
          ...(page.after !== undefined && { id: { lt: page.after } }),
        },
        orderBy: { id: "desc" },
        take: page.limit + 1,
      });
      return toPage(rows.map(toExecution), page.limit);
    },
  };
}

export type ExecutionRepository = ReturnType<typeof executionRepository>;
