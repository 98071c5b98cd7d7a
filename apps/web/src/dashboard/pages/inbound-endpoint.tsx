import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import type { InboundEndpoint } from "@hookline/sdk";
import { useAction, useInterval, useLoad } from "../../shared/hooks.js";
import { Badge, DataTable, ErrorNote, Json, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";
import { Urls, WorkflowState } from "./inbound.js";
import { codeProblems, must, rawPage, type CodeProblem, type Preview, type Workflow } from "./inbound-api.js";
import { CodeEditor } from "./inbound-editor.js";
import { ExecutionErrorNote, Logs } from "./inbound-execution.js";

/** What a new workflow starts from. */
const STARTER = `const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  utils.log("called", request.method, request.path);
  return Response.json({ received: true, environment: env.ENVIRONMENT });
};
export default workflow;
`;

/** `/dashboard/inbound/:id`: the endpoint, its workflow in an editor, a preview run, its executions. */
export function InboundEndpointPage() {
  const { client } = useDashboard();
  const { params } = useRoute();
  const id = params.id!;
  const endpoint = useLoad(() => client.inbound.get(id), [id]);
  if (endpoint.error && !endpoint.data) return <ErrorNote message={endpoint.error} />;
  if (!endpoint.data) return <Loading when />;
  return (
    <>
      <Header endpoint={endpoint.data} onChange={endpoint.reload} />
      <dl class="facts">
        <dt>Method and path</dt>
        <dd class="mono">
          {endpoint.data.method} {endpoint.data.path}
        </dd>
        <dt>Access</dt>
        <dd>{endpoint.data.access_level}</dd>
        <dt>Workflow</dt>
        <dd>
          <WorkflowState workflow={endpoint.data.workflow} />
        </dd>
        <dt>URLs</dt>
        <dd>
          <Urls endpoint={endpoint.data} />
        </dd>
        <dt>ID</dt>
        <dd class="mono">{endpoint.data.id}</dd>
        {endpoint.data.description ? (
          <>
            <dt>Description</dt>
            <dd>{endpoint.data.description}</dd>
          </>
        ) : null}
      </dl>
      <WorkflowEditor endpoint={endpoint.data} onChange={endpoint.reload} />
      <Executions endpoint={endpoint.data} />
    </>
  );
}

function Header({ endpoint, onChange }: { endpoint: InboundEndpoint; onChange: () => void }) {
  const { client } = useDashboard();
  const { route } = useLocation();
  const toggle = useAction(
    () =>
      must(
        client.raw.PUT("/v1/inbound_endpoints/{id}/workflow", {
          params: { path: { id: endpoint.id } },
          body: { enabled: !endpoint.workflow.enabled },
        }),
      ),
    onChange,
  );
  const remove = useAction(async () => {
    if (!window.confirm(`Delete ${endpoint.name}? Its workflow versions and executions are deleted with it.`)) return;
    await client.inbound.delete(endpoint.id);
    route("/dashboard/inbound");
  });
  return (
    <>
      <PageHeader
        title={
          <>
            {endpoint.name} <Badge status={endpoint.workflow.enabled ? "enabled" : "disabled"} />
          </>
        }
      >
        <button type="button" disabled={toggle.busy} onClick={() => void toggle.run()}>
          {endpoint.workflow.enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" class="secondary" disabled={remove.busy} onClick={() => void remove.run()}>
          Delete
        </button>
      </PageHeader>
      <ErrorNote message={toggle.error ?? remove.error} />
    </>
  );
}

/** The workflow: the latest saved code in the editor, Save (a new version), Publish, and a preview run. */
function WorkflowEditor({ endpoint, onChange }: { endpoint: InboundEndpoint; onChange: () => void }) {
  const { client } = useDashboard();
  const path = { params: { path: { id: endpoint.id } } };
  const workflow = useLoad(() => must(client.raw.GET("/v1/inbound_endpoints/{id}/workflow", path)), [endpoint.id]);
  const [code, setCode] = useState<string | undefined>();
  const [problems, setProblems] = useState<readonly CodeProblem[]>([]);
  const [saved, setSaved] = useState<Workflow | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const state = saved ?? workflow.data;
  const current = code ?? state?.code ?? STARTER;
  const dirty = state?.code !== current;

  const save = useAction(async () => {
    setNote(undefined);
    try {
      const next = await must(client.raw.PUT("/v1/inbound_endpoints/{id}/workflow", { ...path, body: { code: current } }));
      setProblems([]);
      setSaved(next);
      setNote(`Saved as version ${next.latest_version}.`);
    } catch (error) {
      setProblems(codeProblems(error));
      throw error;
    }
  }, onChange);
  const publish = useAction(async (version: number) => {
    const next = await must(client.raw.POST("/v1/inbound_endpoints/{id}/workflow/publish", { ...path, body: { version } }));
    setSaved(next);
    setNote(`Version ${version} is live.`);
  }, onChange);

  if (workflow.error && !workflow.data) return <ErrorNote message={workflow.error} />;
  if (!state) return <Loading when />;
  return (
    <>
      <section class="card workflow">
        <header class="section-header">
          <h2>Workflow</h2>
          <span class="small muted" data-testid="workflow-versions">
            {state.latest_version === null ? "nothing saved yet" : `latest v${state.latest_version}`}
            {state.saved_at ? (
              <>
                {" "}
                saved <Time iso={state.saved_at} />
              </>
            ) : null}
            {" · "}
            {state.published_version === null ? "not published" : `v${state.published_version} published`}
          </span>
        </header>
        <p class="muted small">
          TypeScript, a default export. Preview environments run the latest saved version, live ones the published version.
        </p>
        <CodeEditor code={current} label="Workflow code" problems={problems} onChange={setCode} />
        {problems.length > 0 ? (
          <ul class="problems" role="alert" aria-label="Compile problems">
            {problems.map((p, i) => (
              <li key={i}>
                Line {p.line}, column {p.column}: {p.message}
              </li>
            ))}
          </ul>
        ) : (
          <ErrorNote message={save.error} />
        )}
        <ErrorNote message={publish.error} />
        <div class="row">
          <button type="button" disabled={save.busy} onClick={() => void save.run()}>
            Save
          </button>
          {state.latest_version !== null ? (
            <button
              type="button"
              class="secondary"
              disabled={publish.busy || state.latest_version === state.published_version}
              onClick={() => void publish.run(state.latest_version!)}
            >
              Publish v{state.latest_version}
            </button>
          ) : null}
          {dirty ? <span class="muted small">unsaved changes</span> : null}
          {note ? (
            <span role="status" class="small">
              {note}
            </span>
          ) : null}
        </div>
      </section>
      <PreviewRun endpoint={endpoint} code={current} onProblems={setProblems} />
      <Versions endpoint={endpoint} workflow={state} onPublish={(v) => void publish.run(v)} />
    </>
  );
}

/** Parses `Name: value` lines into headers. */
function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const at = line.indexOf(":");
    if (at <= 0) throw new Error(`A header line needs "Name: value": ${line.trim()}`);
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

/** Runs the code in the editor (saved or not) on a sample request in a preview environment: nothing is recorded. */
function PreviewRun({ endpoint, code, onProblems }: { endpoint: InboundEndpoint; code: string; onProblems: (p: CodeProblem[]) => void }) {
  const { client } = useDashboard();
  const [method, setMethod] = useState<string>(endpoint.method);
  const [headers, setHeaders] = useState("content-type: application/json");
  const [body, setBody] = useState('{"hello": "world"}');
  const [result, setResult] = useState<Preview | undefined>();
  const run = useAction(async () => {
    setResult(undefined);
    try {
      const answer = await must(
        client.raw.POST("/v1/inbound_endpoints/{id}/workflow/preview", {
          params: { path: { id: endpoint.id } },
          body: {
            code,
            request: {
              method: method as "GET" | "POST" | "PUT" | "DELETE" | "PATCH",
              headers: parseHeaders(headers),
              ...(method === "GET" || !body ? {} : { body }),
            },
          },
        }),
      );
      onProblems([]);
      setResult(answer);
    } catch (error) {
      const problems = codeProblems(error);
      if (problems.length > 0) onProblems(problems);
      throw error;
    }
  });
  return (
    <section class="card preview" aria-label="Preview run">
      <h2>Preview run</h2>
      <p class="muted small">Runs the code in the editor, saved or not, in a preview environment. Nothing is recorded or published.</p>
      <form
        class="preview-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run.run();
        }}
      >
        <label>
          Method
          <select name="preview_method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Headers <span class="muted small">(one "Name: value" a line)</span>
          <textarea name="preview_headers" rows={3} value={headers} onInput={(e) => setHeaders(e.currentTarget.value)} />
        </label>
        <label>
          Body
          <textarea name="preview_body" rows={4} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        </label>
        <div class="row">
          <button type="submit" disabled={run.busy}>
            Run preview
          </button>
        </div>
      </form>
      <ErrorNote message={run.error} />
      {result ? (
        <div class="preview-result" data-testid="preview-result">
          <h3>Answer</h3>
          <p>
            <strong data-testid="preview-status">{result.status}</strong> <Badge status={result.outcome} />{" "}
            <span class="muted small">{result.duration_ms} ms</span>
          </p>
          <Json value={result.headers} />
          <pre class="json" data-testid="preview-body">
            {result.body_encoding === "base64" ? `(base64) ${result.body}` : result.body}
          </pre>
          <ExecutionErrorNote error={result.error} />
          <h3>Log</h3>
          <Logs lines={result.logs} truncated={result.logs_truncated} />
          {result.published.length > 0 ? (
            <>
              <h3>Events it would publish</h3>
              <Json value={result.published} />
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function Versions({
  endpoint,
  workflow,
  onPublish,
}: {
  endpoint: InboundEndpoint;
  workflow: Workflow;
  onPublish: (version: number) => void;
}) {
  const { client } = useDashboard();
  const list = useLoad(
    () =>
      rawPage(
        client.raw.GET("/v1/inbound_endpoints/{id}/workflow/versions", { params: { path: { id: endpoint.id }, query: { limit: "20" } } }),
      ),
    [endpoint.id, workflow.latest_version],
  );
  if (!list.data || list.data.items.length === 0) return <ErrorNote message={list.error} />;
  return (
    <section>
      <h2>Versions</h2>
      <table class="versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Saved</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data.items.map((v) => (
            <tr key={v.version}>
              <td>
                v{v.version} {v.version === workflow.published_version ? <Badge status="live" /> : null}
              </td>
              <td>
                <Time iso={v.created_at} />
              </td>
              <td>
                {v.version === workflow.published_version ? null : (
                  <button type="button" class="link" onClick={() => onPublish(v.version)}>
                    Publish v{v.version}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Every call of the endpoint, newest first; the first page follows new calls as they come. */
function Executions({ endpoint }: { endpoint: InboundEndpoint }) {
  const { client } = useDashboard();
  const [query] = useQuery();
  const list = useLoad(
    () => client.inbound.executions(endpoint.id, { limit: 25, cursor: query.cursor }).page(),
    [endpoint.id, query.cursor],
  );
  useInterval(list.reload, 2000, !query.cursor);
  const kind = (environmentId: string) => endpoint.urls.find((u) => u.environment_id === environmentId)?.kind ?? environmentId;
  return (
    <section>
      <h2>Executions</h2>
      <ErrorNote message={list.error} />
      <DataTable
        class="executions"
        items={list.data?.items}
        headings={["At", "Outcome", "Status", "Duration", "Environment", "Version", "Request"]}
        empty="No calls yet."
        row={(x) => (
          <tr key={x.id}>
            <td>
              <a href={`/dashboard/executions/${x.id}`} title={x.id}>
                <Time iso={x.created_at} />
              </a>
            </td>
            <td>
              <Badge status={x.outcome} />
            </td>
            <td>{x.status}</td>
            <td>{x.duration_ms} ms</td>
            <td>{kind(x.environment_id)}</td>
            <td>{x.workflow_version ?? "—"}</td>
            <td class="mono">
              {x.method} {x.path}
            </td>
          </tr>
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </section>
  );
}
