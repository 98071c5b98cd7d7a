import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import type { CreateInboundEndpointParams, InboundEndpoint } from "@hookline/sdk";
import { useAction, useLoad } from "../../shared/hooks.js";
import { Badge, DataTable, ErrorNote, Loading, PageHeader, Pager, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

const METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE"] as const;
const ACCESS_LEVELS = [
  ["secret_key", "Secret key (X-MOS-Key)"],
  ["public_key", "Public or secret key"],
  ["none", "None: anyone may call"],
] as const;

/** The tenant's inbound endpoints: URLs other systems call, each answered by a workflow. */
export function InboundPage() {
  const { client } = useDashboard();
  const { route } = useLocation();
  const [query] = useQuery();
  const [creating, setCreating] = useState(false);
  const list = useLoad(() => client.inbound.list({ limit: 50, cursor: query.cursor }).page(), [query.cursor]);
  const create = useAction(async (params: CreateInboundEndpointParams) => {
    const created = await client.inbound.create(params);
    route(`/dashboard/inbound/${created.id}`);
  });
  return (
    <>
      <PageHeader title="Inbound endpoints">
        {creating ? null : (
          <button type="button" onClick={() => setCreating(true)}>
            New inbound endpoint
          </button>
        )}
      </PageHeader>
      {creating ? (
        <form
          class="card form"
          aria-label="New inbound endpoint"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const description = String(data.get("description") ?? "").trim();
            void create.run({
              name: String(data.get("name")),
              path: String(data.get("path")),
              method: String(data.get("method")) as CreateInboundEndpointParams["method"],
              access_level: String(data.get("access_level")) as NonNullable<CreateInboundEndpointParams["access_level"]>,
              ...(description && { description }),
            });
          }}
        >
          <label>
            Name
            <input name="name" required maxLength={255} placeholder="Stripe" />
          </label>
          <label>
            Path <span class="muted small">(starts with /; a segment :name is a parameter)</span>
            <input name="path" required maxLength={512} pattern="/.*" placeholder="/webhook/stripe" />
          </label>
          <div class="row">
            <label>
              Method
              <select name="method">
                {METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Access level
              <select name="access_level">
                {ACCESS_LEVELS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            Description <span class="muted small">(optional)</span>
            <input name="description" maxLength={2000} />
          </label>
          <ErrorNote message={create.error} />
          <div class="row">
            <button type="submit" disabled={create.busy}>
              Create inbound endpoint
            </button>
            <button type="button" class="secondary" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      <DataTable
        class="inbound"
        items={list.data?.items}
        headings={["Name", "Method and path", "Access", "Workflow", "URLs"]}
        empty="No inbound endpoints yet."
        row={(endpoint) => <InboundRow key={endpoint.id} endpoint={endpoint} />}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}

function InboundRow({ endpoint }: { endpoint: InboundEndpoint }) {
  return (
    <tr>
      <td>
        <a href={`/dashboard/inbound/${endpoint.id}`}>{endpoint.name}</a>
      </td>
      <td class="mono">
        {endpoint.method} {endpoint.path}
      </td>
      <td>{endpoint.access_level}</td>
      <td>
        <WorkflowState workflow={endpoint.workflow} />
      </td>
      <td>
        <Urls endpoint={endpoint} />
      </td>
    </tr>
  );
}

export function WorkflowState({ workflow }: { workflow: InboundEndpoint["workflow"] }) {
  return (
    <span class="workflow-state">
      <Badge status={workflow.enabled ? "enabled" : "disabled"} />{" "}
      <span class="small">
        {workflow.published_version === null ? "not published" : `v${workflow.published_version} live`}
        {workflow.latest_version !== null && workflow.latest_version !== workflow.published_version
          ? ` · v${workflow.latest_version} saved`
          : ""}
      </span>
    </span>
  );
}

/** The endpoint's public URL in each environment that serves it. */
export function Urls({ endpoint }: { endpoint: InboundEndpoint }) {
  if (endpoint.urls.length === 0) return <span class="muted">served in no environment</span>;
  return (
    <ul class="urls">
      {endpoint.urls.map((u) => (
        <li key={u.environment_id}>
          <span class={`env env-${u.kind}`}>{u.kind}</span> <code class="mono">{u.url}</code>
        </li>
      ))}
    </ul>
  );
}
