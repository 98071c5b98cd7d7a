import { BenchCluster } from "./cluster.js";
import { tenantWithEndpoints } from "./workload.js";
const cluster = await BenchCluster.start({ databaseUrl: "postgresql://postgres@127.0.0.1:5432/hookline_bench", redisUrl: "redis://127.0.0.1:6379", workers: 1, workerConcurrency: undefined, endpointTimeoutSeconds: 5, retrySchedule: "1,2" });
try {
  const t = await tenantWithEndpoints(cluster, 3);
  const time = async (label: string, path: string, auth = true) => {
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      const r = await fetch(`${cluster.apiUrl}${path}`, { headers: auth ? { authorization: `Bearer ${t.apiKey}` } : {} });
      await r.text();
      xs.push(performance.now() - s);
    }
    xs.sort((a, b) => a - b);
    process.stdout.write(`${label}: median ${xs[10]!.toFixed(2)} ms\n`);
  };
  await time("healthz", "/healthz", false);
  await time("readyz", "/readyz", false);
  await time("settings", "/v1/settings");
  await time("endpoints", "/v1/endpoints");
  await time("unknown id", "/v1/endpoints/ep_00000000-0000-7000-8000-000000000000");
} finally { await cluster.stop(); }
