export {
  createRedis,
  PRODUCER_COMMAND_TIMEOUT_MS,
  type ConnectionRole,
  type RedisClient,
  type RedisNode,
  type RedisTarget,
} from "./connection.js";
export {
  deliverPayload,
  JOBS,
  MalformedJobError,
  parsePayload,
  QUEUES,
  queueSettings,
  runFlowPayload,
  type DeliverPayload,
  type RunFlowPayload,
  type JobKind,
  type JobName,
  type QueueName,
} from "./catalog.js";
export { JobQueues } from "./job-queues.js";
export {
  dueDeliveries,
  ENQUEUE_TIMEOUT_MS,
  Scheduler,
  type CommittedDelivery,
  type Publisher,
  type SchedulerOptions,
} from "./scheduler.js";
export { describeRedisFailure, redisDependency } from "./reachability.js";
export { evictionPolicies, isSafeEvictionPolicy, type NodePolicy } from "./redis-policy.js";
export { ListenHub, ListenSender, type ListenOutcome, type ListenRequest, type ListenResult } from "./listen-relay.js";
