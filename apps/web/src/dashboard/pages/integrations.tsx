import { useLoad } from "../../shared/hooks.js";
import { DataTable, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
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
      <DataTable
        class="integrations"
        items={list.data?.items}
        headings={["Name", "Flows (draft)", "Endpoint configuration", "Versions", "Updated"]}
        empty="No integrations yet."
        row={(integration) => (
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
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}
