import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { errorMessage } from "../api.js";
import { useApp } from "../app.js";
import { EventTypePicker } from "../event-type-picker.js";
import { useLoad } from "../hooks.js";
import { Badge, DataTable, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../ui.js";

/** The endpoints: all of the tenant's in the dashboard (or one customer's), the customer's own in the portal. */
export function EndpointsPage() {
  const { client, base, can, app } = useApp();
  const [query] = useQuery();
  const [creating, setCreating] = useState(false);
  const customer = app === "dashboard" ? query.customer_id : undefined;
  const list = useLoad(
    () => client.endpoints.list({ limit: 25, cursor: query.cursor, ...(customer && { customer_id: customer }) }).page(),
    [query.cursor, customer],
  );
  return (
    <>
      <PageHeader title="Endpoints">
        {can("manage_endpoints") ? (
          <button type="button" onClick={() => setCreating(!creating)}>
            {creating ? "Cancel" : "New endpoint"}
          </button>
        ) : null}
      </PageHeader>
      {creating ? <CreateEndpoint customerId={customer} /> : null}
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      <DataTable
        class="endpoints"
        items={list.data?.items}
        headings={["Name", "URL", "Status", ...(app === "dashboard" ? ["Customer"] : []), "Created"]}
        empty="No endpoints yet."
        row={(endpoint) => (
          <tr key={endpoint.id}>
            <td>
              <a href={`${base}/endpoints/${endpoint.id}`}>{endpoint.name}</a>
            </td>
            <td class="mono">{endpoint.url}</td>
            <td>
              <Badge status={endpoint.status} />
            </td>
            {app === "dashboard" ? <td class="mono small">{endpoint.customer_id ?? "—"}</td> : null}
            <td>
              <Time iso={endpoint.created_at} />
            </td>
          </tr>
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}

/** Name, URL and the event types it subscribes to (made as one subscription). */
function CreateEndpoint({ customerId }: { customerId: string | undefined }) {
  const { client, base, app } = useApp();
  const { route } = useLocation();
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const customers = useLoad(() => (app === "dashboard" ? client.customers.list({ limit: 100 }).page() : Promise.resolve(undefined)), [app]);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const customer = String(form.get("customer_id") ?? "");
    if (types.length === 0) {
      setError("Choose at least one event type.");
      return;
    }
    try {
      const endpoint = await client.endpoints.create({
        name: String(form.get("name")),
        url: String(form.get("url")),
        ...(customer && { customer_id: customer }),
      });
      await client.subscriptions.create({ endpoint_id: endpoint.id, event_types: types });
      route(`${base}/endpoints/${endpoint.id}`);
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
      {customers.data ? (
        <label>
          Customer <span class="muted small">(its events only; none: events without a customer)</span>
          <select name="customer_id" defaultValue={customerId ?? ""}>
            <option value="">none</option>
            {customers.data.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <EventTypePicker value={types} onChange={setTypes} />
      <ErrorNote message={error} />
      <button type="submit">Create endpoint</button>
    </form>
  );
}
