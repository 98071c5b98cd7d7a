import { useRoute } from "preact-iso";
import { useLoad } from "../../shared/hooks.js";
import { Badge, ErrorNote, IdLink, Json, Loading, PageHeader, Time } from "../../shared/ui.js";
import { useDashboard } from "../session.js";
import { must, type ExecutionError, type FlowExecution, type InboundExecutionDetail, type LogLine } from "./inbound-api.js";

/** A workflow's log: each line with its level and when, in ms from the start of the run. */
export function Logs({ lines, truncated }: { lines: readonly LogLine[]; truncated?: boolean }) {
  if (lines.length === 0) return <p class="muted small">Nothing logged.</p>;
  return (
    <ol class="log" aria-label="Log">
      {lines.map((line, i) => (
        <li key={i} class={`log-${line.level}`}>
          <span class="log-at">+{line.at} ms</span> <span class="log-level">{line.level}</span>{" "}
          <span class="log-message">{line.message}</span>
        </li>
      ))}
      {truncated ? <li class="muted">… the log was cut at its size limit</li> : null}
    </ol>
  );
}

/** What a workflow threw, with the line of the workflow's code it came from. */
export function ExecutionErrorNote({ error }: { error: ExecutionError | null }) {
  if (!error) return null;
  const where = error.line === undefined ? "" : ` (line ${error.line}${error.column === undefined ? "" : `, column ${error.column}`})`;
  return (
    <p class="error execution-error" data-testid="execution-error">
      <strong>{error.name}</strong>: {error.message}
      {where}
    </p>
  );
}

const isLogLines = (value: unknown): value is LogLine[] =>
  Array.isArray(value) && value.every((l) => typeof l === "object" && l !== null && "message" in l);

/** `/dashboard/executions/:id`: one call of an inbound endpoint, or one run of an integration's flow. */
export function ExecutionPage() {
  const { client } = useDashboard();
  const { params } = useRoute();
  const id = params.id!;
  const execution = useLoad(() => must(client.raw.GET("/v1/executions/{id}", { params: { path: { id } } })), [id]);
  if (execution.error && !execution.data) return <ErrorNote message={execution.error} />;
  if (!execution.data) return <Loading when />;
  return execution.data.kind === "inbound" ? <InboundExecution execution={execution.data} /> : <FlowRun execution={execution.data} />;
}

function InboundExecution({ execution }: { execution: InboundExecutionDetail }) {
  return (
    <>
      <PageHeader
        title={
          <>
            Execution <Badge status={execution.outcome} />
          </>
        }
      />
      <dl class="facts">
        <dt>ID</dt>
        <dd class="mono">{execution.id}</dd>
        <dt>Endpoint</dt>
        <dd>
          <IdLink href={`/dashboard/inbound/${execution.endpoint_id}`} id={execution.endpoint_id} />
        </dd>
        <dt>Environment</dt>
        <dd class="mono">{execution.environment_id}</dd>
        <dt>Workflow version</dt>
        <dd>{execution.workflow_version ?? "—"}</dd>
        <dt>Request</dt>
        <dd class="mono">
          {execution.method} {execution.path}
          {execution.query ? `?${execution.query}` : ""}
        </dd>
        <dt>Answer</dt>
        <dd data-testid="execution-status">{execution.status}</dd>
        <dt>Duration</dt>
        <dd>{execution.duration_ms} ms</dd>
        <dt>At</dt>
        <dd>
          <Time iso={execution.created_at} />
        </dd>
        {execution.published_event_ids.length > 0 ? (
          <>
            <dt>Published events</dt>
            <dd>
              {execution.published_event_ids.map((e) => (
                <a key={e} class="mono" href={`/dashboard/events/${e}`}>
                  {e}{" "}
                </a>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <ExecutionErrorNote error={execution.error} />
      <section>
        <h2>Log</h2>
        <Logs lines={execution.logs} truncated={execution.logs_truncated} />
      </section>
      <div class="columns">
        <section>
          <h2>Request headers</h2>
          <Json value={execution.request_headers} />
        </section>
        <section>
          <h2>
            Request body <span class="muted small">({execution.body_size} bytes; the first 4 KB kept)</span>
          </h2>
          <pre class="json">{execution.body_head || "—"}</pre>
        </section>
      </div>
    </>
  );
}

function FlowRun({ execution }: { execution: FlowExecution }) {
  const error = execution.error as ExecutionError | null;
  return (
    <>
      <PageHeader
        title={
          <>
            Flow execution <Badge status={execution.status} />
          </>
        }
      />
      <dl class="facts">
        <dt>ID</dt>
        <dd class="mono">{execution.id}</dd>
        <dt>Integration</dt>
        <dd>
          <IdLink href={`/dashboard/integrations/${execution.integration_id}`} id={execution.integration_id} />
          {execution.version === null ? "" : ` (version ${execution.version})`}
        </dd>
        <dt>Flow</dt>
        <dd>{execution.flow_name ?? "—"}</dd>
        <dt>Customer</dt>
        <dd class="mono">{execution.customer_id ?? "—"}</dd>
        <dt>Instance</dt>
        <dd class="mono">{execution.instance_id ?? "—"}</dd>
        <dt>Attempts</dt>
        <dd>{execution.attempt}</dd>
        <dt>Answered</dt>
        <dd>{execution.answer_status}</dd>
        <dt>Received</dt>
        <dd>
          <Time iso={execution.created_at} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Time iso={execution.finished_at} />
        </dd>
      </dl>
      {error && typeof error === "object" && "message" in error ? <ExecutionErrorNote error={error} /> : null}
      <section>
        <h2>Log</h2>
        {isLogLines(execution.logs) ? <Logs lines={execution.logs} /> : <Json value={execution.logs} />}
      </section>
      <section>
        <h2>Result</h2>
        <Json value={execution.result ?? null} />
      </section>
      {execution.preprocess ? (
        <section>
          <h2>Preprocess step</h2>
          <Json value={execution.preprocess} />
        </section>
      ) : null}
    </>
  );
}
