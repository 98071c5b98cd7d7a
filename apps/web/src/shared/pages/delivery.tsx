import { useRoute } from "preact-iso";
import type { Attempt } from "@hookline/sdk";
import { useAction, useInterval, useLoad } from "../hooks.js";
import { Badge, ErrorNote, IdLink, Json, Loading, PageHeader, Time } from "../ui.js";
import { useApp } from "../app.js";

/** One delivery: every attempt as the receiver answered it, and a retry once it has failed. */
export function DeliveryPage() {
  const { client, base, can } = useApp();
  const { params } = useRoute();
  const id = params.id!;
  const delivery = useLoad(() => client.deliveries.get(id), [id]);
  const retry = useAction(() => client.deliveries.retry(id), delivery.reload);
  const settled = delivery.data?.status === "succeeded" || delivery.data?.status === "failed";
  useInterval(delivery.reload, 2000, delivery.data !== undefined && !settled);
  if (delivery.error && !delivery.data) return <ErrorNote message={delivery.error} />;
  const d = delivery.data;
  if (!d) return <Loading when />;
  return (
    <>
      <PageHeader
        title={
          <>
            Delivery <Badge status={d.status} />
          </>
        }
      >
        {d.status === "failed" && can("retry") ? (
          <button type="button" disabled={retry.busy} onClick={() => void retry.run()}>
            Retry
          </button>
        ) : null}
      </PageHeader>
      <ErrorNote message={retry.error} />
      <dl class="facts">
        <dt>webhook-id</dt>
        <dd class="mono">{d.id}</dd>
        <dt>Endpoint</dt>
        <dd>
          <IdLink href={`${base}/endpoints/${d.endpoint_id}`} id={d.endpoint_id} />
        </dd>
        <dt>Event</dt>
        <dd class="mono">{d.event_id}</dd>
        <dt>Created</dt>
        <dd>
          <Time iso={d.created_at} />
        </dd>
        {d.next_attempt_at ? (
          <>
            <dt>Next attempt</dt>
            <dd>
              <Time iso={d.next_attempt_at} />
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Attempts ({d.attempts.length})</h2>
      {d.attempts.length === 0 ? <p class="muted">No attempt yet.</p> : null}
      {d.attempts.map((attempt) => (
        <AttemptView key={attempt.id} attempt={attempt} />
      ))}
    </>
  );
}

function AttemptView({ attempt }: { attempt: Attempt }) {
  const ok = attempt.status_code !== null && attempt.status_code >= 200 && attempt.status_code < 300;
  return (
    <details class="card attempt" open={attempt.attempt_number === 1}>
      <summary>
        <span>#{attempt.attempt_number}</span>
        <Badge status={ok ? "succeeded" : "failed"} />
        <span class="mono">{attempt.status_code ?? attempt.error_kind ?? "no answer"}</span>
        <span>{attempt.duration_ms} ms</span>
        <Time iso={attempt.started_at} />
      </summary>
      {attempt.error_message ? <p class="error">{attempt.error_message}</p> : null}
      <h3>Response headers</h3>
      <Json value={attempt.response_headers ?? {}} />
      <h3>Response body</h3>
      {attempt.response_body ? <Json value={attempt.response_body} /> : <p class="muted">empty</p>}
    </details>
  );
}
