import { useRoute } from "preact-iso";
import { useInterval, useLoad } from "../../shared/hooks.js";
import { Badge, DataTable, ErrorNote, Json, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";
import { must, rawPage, type Integration } from "./inbound-api.js";

/** `/dashboard/integrations/:id`: the draft's flows, its versions, the instances per customer and the flows' executions. */
export function IntegrationPage() {
  const { client } = useDashboard();
  const { params } = useRoute();
  const id = params.id!;
  const integration = useLoad(() => must(client.raw.GET("/v1/integrations/{id}", { params: { path: { id } } })), [id]);
  if (integration.error && !integration.data) return <ErrorNote message={integration.error} />;
  if (!integration.data) return <Loading when />;
  const data = integration.data;
  return (
    <>
      <PageHeader title={data.name} />
      <dl class="facts">
        <dt>ID</dt>
        <dd class="mono">{data.id}</dd>
        <dt>Endpoint configuration</dt>
        <dd class="mono">{data.endpoint_config.type}</dd>
        {data.shared_url ? (
          <>
            <dt>Shared URL</dt>
            <dd class="mono">{data.shared_url}</dd>
          </>
        ) : null}
        <dt>Versions</dt>
        <dd data-testid="integration-versions">
          {data.versions.length === 0 ? "none published yet" : data.versions.map((v) => `v${v}`).join(", ")}
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time iso={data.updated_at} />
        </dd>
      </dl>
      <Flows integration={data} />
      <Instances integrationId={id} />
      <FlowExecutions integrationId={id} />
    </>
  );
}

function Flows({ integration }: { integration: Integration }) {
  return (
    <section>
      <h2>Flows (draft)</h2>
      {integration.flows.map((flow) => (
        <details key={flow.name} class="flow card">
          <summary>
            {flow.name} <span class="muted small">security: {flow.security.type}</span>
          </summary>
          <pre class="json">{flow.code}</pre>
        </details>
      ))}
      <h3>Endpoint configuration</h3>
      <Json value={integration.endpoint_config} />
    </section>
  );
}

function Instances({ integrationId }: { integrationId: string }) {
  const { client } = useDashboard();
  const list = useLoad(
    () => rawPage(client.raw.GET("/v1/instances", { params: { query: { integration_id: integrationId, limit: "100" } } })),
    [integrationId],
  );
  return (
    <section>
      <h2>Instances</h2>
      <ErrorNote message={list.error} />
      <DataTable
        class="instances"
        items={list.data?.items}
        headings={["Instance", "Customer", "Version", "Flows and URLs", "Config", "Updated"]}
        empty="Not deployed to any customer yet."
        row={(instance) => (
          <tr key={instance.id}>
            <td class="mono">{instance.id}</td>
            <td class="mono">{instance.customer_id}</td>
            <td>v{instance.version}</td>
            <td>
              {instance.url ? <code class="mono">{instance.url}</code> : null}
              <ul class="urls">
                {instance.flows.map((f) => (
                  <li key={f.name}>
                    {f.name} {f.url ? <code class="mono">{f.url}</code> : null}
                  </li>
                ))}
              </ul>
            </td>
            <td class="mono small">
              {Object.entries(instance.config)
                .map(([name, v]) => `${name}=${v.secret ? "••••" : (v.value ?? "")}`)
                .join(" ")}
            </td>
            <td>
              <Time iso={instance.updated_at} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function FlowExecutions({ integrationId }: { integrationId: string }) {
  const { client } = useDashboard();
  const [query, setQuery] = useQuery();
  const unrouted = query.unrouted === "true";
  const list = useLoad(
    () =>
      rawPage(
        client.raw.GET("/v1/integrations/{id}/executions", {
          params: {
            path: { id: integrationId },
            query: { limit: "25", cursor: query.cursor, ...(unrouted && { unrouted: "true" as const }) },
          },
        }),
      ),
    [integrationId, query.cursor, unrouted],
  );
  useInterval(list.reload, 3000, !query.cursor);
  return (
    <section>
      <header class="section-header">
        <h2>Executions</h2>
        <label class="inline">
          <input
            type="checkbox"
            checked={unrouted}
            onChange={(e) => setQuery({ unrouted: e.currentTarget.checked ? "true" : undefined, cursor: undefined })}
          />
          Only calls that reached no customer
        </label>
      </header>
      <ErrorNote message={list.error} />
      <DataTable
        class="executions"
        items={list.data?.items}
        headings={["Received", "Status", "Flow", "Customer", "Attempts", "Answered"]}
        empty="No executions yet."
        row={(x) => (
          <tr key={x.id}>
            <td>
              <a href={`/dashboard/executions/${x.id}`} title={x.id}>
                <Time iso={x.created_at} />
              </a>
              {x.test ? <span class="muted small"> (test)</span> : null}
            </td>
            <td>
              <Badge status={x.status} />
            </td>
            <td>{x.flow_name ?? "—"}</td>
            <td class="mono">{x.customer_id ?? "—"}</td>
            <td>{x.attempt}</td>
            <td>{x.answer_status}</td>
          </tr>
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </section>
  );
}
