export { createRedis, PRODUCER_COMMAND_TIMEOUT_MS } from "./connection.js";
export { QUEUES, JOBS, parseDeliverJob, type DeliverJob, type QueueName } from "./catalog.js";
export { DeliveryQueue, DELIVER_JOB_OPTIONS } from "./delivery-queue.js";
export { evictionPolicy, isSafeEvictionPolicy } from "./redis-policy.js";
