import { UnrecoverableError, type Job } from "bullmq";
import type { FlowRunner } from "@hookline/inbound";
import { JOBS, MalformedJobError, parsePayload } from "@hookline/queue";

/**
 * One flow job: one run of a stored trigger call (see @hookline/inbound's flow runner). A job
 * that throws (the database was away) runs again; the execution's row decides whether there is
 * anything left to do, so a repeated job never runs a finished flow again.
 */
export async function processFlow(job: Job, run: FlowRunner): Promise<void> {
  let executionId: string;
  let traceparent: string | undefined;
  try {
    ({ executionId, traceparent } = parsePayload(JOBS.runFlow, job.data));
  } catch (error) {
    if (error instanceof MalformedJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
  await run(executionId, traceparent);
}
