export { createTestDatabase, prepareTestTemplate, queryRows, TEST_SERVER_URL, type TestDatabase } from "./postgres.js";
export { testQueuePrefix, TEST_REDIS_URL } from "./redis.js";
export { jsonClient, type JsonRequest, type JsonResponse, type RequestOptions } from "./http-client.js";
export { testConfig, TEST_ADMIN_TOKEN, TEST_ENCRYPTION_KEY, TEST_PROCESS_ENV } from "./config.js";
export { startReceiver, type Receiver, type ReceivedRequest, type Reply, type ReplyFn } from "./receiver.js";
export { spawnTsProcess, type SpawnedProcess } from "./process.js";
export { openLingeringConnections, type LingeringConnections } from "./lingering-connections.js";
export {
  freePort,
  redisCli,
  startPostgresServer,
  startRedisServer,
  waitForHttp,
  type PostgresServer,
  type QueueRedis,
  type RedisServer,
} from "./services.js";
export { useTestDatabase, useTestRedis, type DatabaseFixture, type RedisFixture } from "./fixtures.js";
export { startPgBouncer, type PgBouncer, type PgBouncerOptions } from "./pgbouncer.js";
export { startRedisCluster, type RedisCluster, type RedisClusterOptions } from "./redis-cluster.js";
export { startRedisSentinels, type RedisSentinels } from "./redis-sentinel.js";
export { spansOfExport, startOtlpCollector, type CollectedSpan, type OtlpCollector } from "./otlp-collector.js";
