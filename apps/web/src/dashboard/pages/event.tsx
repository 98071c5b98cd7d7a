import { useRoute } from "preact-iso";
import { useLoad } from "../../shared/hooks.js";
import { Badge, DataTable, ErrorNote, IdLink, Json, Loading, PageHeader, Time } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

/** One event: its data (shown as text, whatever it holds) and a delivery per endpoint. */
export function EventPage() {
  const { client } = useDashboard();
  const { params } = useRoute();
  const event = useLoad(() => client.events.get(params.id!), [params.id]);
  if (event.error && !event.data) return <ErrorNote message={event.error} />;
  const e = event.data;
  if (!e) return <Loading when />;
  return (
    <>
      <PageHeader title={<span class="mono">{e.event_type}</span>} />
      <dl class="facts">
        <dt>ID</dt>
        <dd class="mono">{e.id}</dd>
        <dt>Object</dt>
        <dd class="mono">{e.object_id ?? "—"}</dd>
        <dt>Created</dt>
        <dd>
          <Time iso={e.created_at} />
        </dd>
      </dl>
      <section class="card">
        <h2>Data</h2>
        <Json value={e.data} />
      </section>
      <section>
        <h2>Deliveries ({e.deliveries.length})</h2>
        <DataTable
          items={e.deliveries}
          headings={["Delivery", "Endpoint", "Status", "Attempts"]}
          empty="No endpoint was subscribed to this event."
          row={(d) => (
            <tr key={d.id}>
              <td>
                <IdLink href={`/dashboard/deliveries/${d.id}`} id={d.id} />
              </td>
              <td>
                <IdLink href={`/dashboard/endpoints/${d.endpoint_id}`} id={d.endpoint_id} />
              </td>
              <td>
                <Badge status={d.status} />
              </td>
              <td>{d.attempt_count}</td>
            </tr>
          )}
        />
      </section>
    </>
  );
}
