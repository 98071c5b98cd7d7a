import { useLoad } from "../../shared/hooks.js";
import { Empty, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";
import { rawPage } from "./inbound-api.js";

/** The tenant's integrations (read-only here: they are made and edited through the API). */
export function IntegrationsPage() {
  const { client } = useDashboard();
  const [query] = useQuery();
  const list = useLoad(
    () => rawPage(client.raw.GET("/v1/integrations", { params: { query: { limit: "50", cursor: query.cursor } } })),
    [query.cursor],
  );
  return (
    <>
      <PageHeader title="Integrations" />
      <p class="muted small">
        Flows deployed per customer. Create and edit integrations with <code>POST /v1/integrations</code>; see the README.
      </p>
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      {list.data?.items.length === 0 ? <Empty>No integrations yet.</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        <table class="integrations">
          <thead>
            <tr>
              <th>Name</th>
              <th>Flows (draft)</th>
              <th>Endpoint configuration</th>
              <th>Versions</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((integration) => (
              <tr key={integration.id}>
                <td>
                  <a href={`/dashboard/integrations/${integration.id}`}>{integration.name}</a>
                </td>
                <td>{integration.flows.map((f) => f.name).join(", ")}</td>
                <td class="mono">{integration.endpoint_config.type}</td>
                <td>{integration.versions.length === 0 ? "none" : integration.versions.map((v) => `v${v}`).join(", ")}</td>
                <td>
                  <Time iso={integration.updated_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}
