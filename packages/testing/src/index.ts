export { createTestDatabase, prepareTestTemplate, TEST_SERVER_URL, type TestDatabase } from "./postgres.js";
export { testQueuePrefix, TEST_REDIS_URL } from "./redis.js";
export { jsonClient, type JsonRequest, type JsonResponse, type RequestOptions } from "./http-client.js";
export { testConfig, TEST_ADMIN_TOKEN, TEST_ENCRYPTION_KEY, TEST_PROCESS_ENV } from "./config.js";
export { startReceiver, type Receiver, type ReceivedRequest, type Reply, type ReplyFn } from "./receiver.js";
export { spawnTsProcess, type SpawnedProcess } from "./process.js";
export { freePort, startPostgresServer, startRedisServer, waitForHttp, type PostgresServer, type RedisServer } from "./services.js";
export { useTestDatabase, useTestRedis, type DatabaseFixture, type RedisFixture } from "./fixtures.js";
export { spansOfExport, startOtlpCollector, type CollectedSpan, type OtlpCollector } from "./otlp-collector.js";
