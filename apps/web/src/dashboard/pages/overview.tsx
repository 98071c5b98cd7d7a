import { useInterval, useLoad } from "../../shared/hooks.js";
import { BarChart, ErrorNote, Loading, PageHeader, Time } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

const minuteLabel = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

/** The last hour at a glance: attempts per minute, the success rate, endpoints that need a look. */
export function OverviewPage() {
  const { client } = useDashboard();
  const stats = useLoad(() => client.stats.get({ windowMinutes: 60 }), []);
  useInterval(stats.reload, 10_000);
  const s = stats.data;
  return (
    <>
      <PageHeader title="Overview" />
      <ErrorNote message={stats.error} />
      <Loading when={!s && !stats.error} />
      {s ? (
        <>
          <div class="tiles">
            <div class="tile">
              <span class="muted">Success rate (1 h)</span>
              <strong data-testid="success-rate">{s.success_rate === null ? "—" : `${(s.success_rate * 100).toFixed(1)} %`}</strong>
            </div>
            <div class="tile">
              <span class="muted">Attempts (1 h)</span>
              <strong>{s.deliveries_per_minute.reduce((n, b) => n + b.attempts, 0)}</strong>
            </div>
            <div class="tile">
              <span class="muted">Active endpoints</span>
              <strong>{s.endpoints.active}</strong>
            </div>
            <div class="tile">
              <span class="muted">Paused · disabled</span>
              <strong>
                {s.endpoints.paused} · {s.endpoints.disabled}
              </strong>
            </div>
          </div>
          <section class="card">
            <h2>Attempts per minute</h2>
            <BarChart
              bars={s.deliveries_per_minute.map((b) => ({
                label: minuteLabel.format(new Date(b.minute)),
                ok: b.succeeded,
                failed: b.failed,
              }))}
            />
            <p class="legend small">
              <span class="key key-ok" /> succeeded <span class="key key-failed" /> failed
            </p>
          </section>
          <section class="card">
            <h2>Failing endpoints</h2>
            {s.failing.length === 0 ? <p class="muted">None: every endpoint answered its last attempt.</p> : null}
            <ul>
              {s.failing.map((e) => (
                <li key={e.id}>
                  <a href={`/dashboard/endpoints/${e.id}`}>{e.name}</a> <span class="mono muted">{e.url}</span> failing since{" "}
                  <Time iso={e.failing_since} />
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </>
  );
}
