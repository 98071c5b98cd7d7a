import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { errorMessage } from "../../shared/api.js";
import { useLoad } from "../../shared/hooks.js";
import { Badge, Empty, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

export function EndpointsPage() {
  const { client } = useDashboard();
  const [query] = useQuery();
  const [creating, setCreating] = useState(false);
  const list = useLoad(() => client.endpoints.list({ limit: 25, cursor: query.cursor }).page(), [query.cursor]);
  return (
    <>
      <PageHeader title="Endpoints">
        <button type="button" onClick={() => setCreating(!creating)}>
          {creating ? "Cancel" : "New endpoint"}
        </button>
      </PageHeader>
      {creating ? <CreateEndpoint /> : null}
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      {list.data && list.data.items.length === 0 ? <Empty>No endpoints yet. Create one to start receiving events.</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Status</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((endpoint) => (
              <tr key={endpoint.id}>
                <td>
                  <a href={`/dashboard/endpoints/${endpoint.id}`}>{endpoint.name}</a>
                </td>
                <td class="mono">{endpoint.url}</td>
                <td>
                  <Badge status={endpoint.status} />
                </td>
                <td>
                  <Time iso={endpoint.created_at} />
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

/** Name, URL and the event types it subscribes to (created as one subscription). */
function CreateEndpoint() {
  const { client } = useDashboard();
  const { route } = useLocation();
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const types = String(form.get("event_types") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    try {
      const endpoint = await client.endpoints.create({ name: String(form.get("name")), url: String(form.get("url")) });
      await client.subscriptions.create({ endpoint_id: endpoint.id, event_types: types });
      route(`/dashboard/endpoints/${endpoint.id}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="card form" onSubmit={submit} aria-label="New endpoint">
      <label>
        Name
        <input name="name" required maxLength={255} placeholder="billing-service" />
      </label>
      <label>
        URL
        <input name="url" type="url" required placeholder="https://example.com/webhooks" />
      </label>
      <label>
        Event types <span class="muted small">(comma separated; * stands for one segment: invoice.*)</span>
        <input name="event_types" required placeholder="invoice.paid, customer.*" />
      </label>
      <ErrorNote message={error} />
      <button type="submit">Create endpoint</button>
    </form>
  );
}
