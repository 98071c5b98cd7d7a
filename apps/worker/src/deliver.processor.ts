import { UnrecoverableError, type Job } from "bullmq";
import { parseDeliverJob } from "@hookline/queue";
import type { WorkerDependencies } from "./worker.js";

/** Takes one delivery job off the queue. Deliveries themselves arrive with the publishing issue. */
export async function processDelivery(job: Job, { logger }: WorkerDependencies): Promise<void> {
  const payload = parseDeliverJob(job.data);
  if (!payload) throw new UnrecoverableError("malformed delivery job");
  logger.warn({ delivery_id: payload.deliveryId }, "no delivery pipeline yet; job dropped");
}
