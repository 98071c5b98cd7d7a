import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import type { DeliveryStatus, Endpoint } from "@hookline/sdk";
import { fromLocalInput, toLocalInput } from "../format.js";
import { EventTypePicker } from "../event-type-picker.js";
import { SendTestEvent } from "../send-test-event.js";
import { useAction, useInterval, useLoad } from "../hooks.js";
import { Badge, DataTable, Empty, ErrorNote, IdLink, Loading, PageHeader, Pager, Time, useQuery } from "../ui.js";
import { useApp } from "../app.js";

const STATUSES: readonly DeliveryStatus[] = ["pending", "held", "succeeded", "failed"];

export function EndpointPage() {
  const { client, can, app } = useApp();
  const { params } = useRoute();
  const id = params.id!;
  const endpoint = useLoad(() => client.endpoints.get(id), [id]);
  if (endpoint.error && !endpoint.data) return <ErrorNote message={endpoint.error} />;
  if (!endpoint.data) return <Loading when />;
  return (
    <>
      <EndpointHeader endpoint={endpoint.data} onChange={endpoint.reload} />
      <dl class="facts">
        <dt>URL</dt>
        <dd class="mono">{endpoint.data.url}</dd>
        <dt>ID</dt>
        <dd class="mono">{endpoint.data.id}</dd>
        <dt>Timeout</dt>
        <dd>{endpoint.data.timeout_seconds} s</dd>
        {app === "dashboard" && endpoint.data.customer_id ? (
          <>
            <dt>Customer</dt>
            <dd class="mono">{endpoint.data.customer_id}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>
          <Time iso={endpoint.data.created_at} />
        </dd>
        {endpoint.data.disabled_reason ? (
          <>
            <dt>Disabled because</dt>
            <dd>{endpoint.data.disabled_reason}</dd>
          </>
        ) : null}
      </dl>
      <div class="columns">
        <Subscriptions endpointId={id} />
        {can("reveal_secrets") ? <Secret endpointId={id} /> : null}
      </div>
      {can("retry") ? <Recover endpointId={id} /> : null}
      {can("manage_endpoints") ? <SendTestEvent endpointId={id} /> : null}
      <Deliveries endpointId={id} />
    </>
  );
}

function EndpointHeader({ endpoint, onChange }: { endpoint: Endpoint; onChange: () => void }) {
  const { client, can, base } = useApp();
  const { route } = useLocation();
  const toggle = useAction(
    () => (endpoint.status === "ACTIVE" ? client.endpoints.pause(endpoint.id) : client.endpoints.resume(endpoint.id)),
    onChange,
  );
  const remove = useAction(async () => {
    if (!window.confirm(`Delete ${endpoint.name}? Its deliveries are deleted with it.`)) return;
    await client.endpoints.delete(endpoint.id);
    route(`${base}/endpoints`);
  });
  const canToggle =
    can("manage_endpoints") && (endpoint.status === "ACTIVE" || endpoint.status === "PAUSED" || endpoint.status === "DISABLED");
  return (
    <>
      <PageHeader
        title={
          <>
            {endpoint.name} <Badge status={endpoint.status} />
          </>
        }
      >
        {canToggle ? (
          <button type="button" disabled={toggle.busy} onClick={() => void toggle.run()}>
            {endpoint.status === "ACTIVE" ? "Pause" : "Resume"}
          </button>
        ) : null}
        {can("manage_endpoints") ? (
          <button type="button" class="secondary" disabled={remove.busy} onClick={() => void remove.run()}>
            Delete
          </button>
        ) : null}
      </PageHeader>
      <ErrorNote message={toggle.error ?? remove.error} />
    </>
  );
}

function Subscriptions({ endpointId }: { endpointId: string }) {
  const { client, can } = useApp();
  const list = useLoad(() => client.subscriptions.list({ endpoint_id: endpointId, limit: 100 }).page(), [endpointId]);
  const [editing, setEditing] = useState<string[] | undefined>();
  const save = useAction(async (types: string[]) => {
    const [first, ...rest] = list.data?.items ?? [];
    // One subscription holds the chosen types; any others are folded into it.
    if (first) await client.subscriptions.update(first.id, { event_types: types });
    else await client.subscriptions.create({ endpoint_id: endpointId, event_types: types });
    for (const other of rest) await client.subscriptions.delete(other.id);
    setEditing(undefined);
  }, list.reload);
  if (editing) {
    return (
      <section class="card">
        <h2>Subscriptions</h2>
        <EventTypePicker value={editing} onChange={setEditing} />
        <ErrorNote message={save.error} />
        <div class="row">
          <button type="button" disabled={save.busy || editing.length === 0} onClick={() => void save.run(editing)}>
            Save
          </button>
          <button type="button" class="secondary" onClick={() => setEditing(undefined)}>
            Cancel
          </button>
        </div>
      </section>
    );
  }
  return (
    <section class="card">
      <header class="section-header">
        <h2>Subscriptions</h2>
        {can("manage_endpoints") && list.data ? (
          <button type="button" class="link" onClick={() => setEditing(list.data?.items.flatMap((s) => s.event_types) ?? [])}>
            Edit
          </button>
        ) : null}
      </header>
      <ErrorNote message={list.error} />
      {list.data?.items.length === 0 ? <Empty>No subscriptions: this endpoint receives nothing.</Empty> : null}
      <ul class="tags">
        {list.data?.items.flatMap((s) =>
          s.event_types.map((type) => (
            <li key={`${s.id}-${type}`} class="tag">
              {type}
            </li>
          )),
        )}
      </ul>
    </section>
  );
}

/** The signing secret: hidden until asked for; a rotation shows the new one once. */
function Secret({ endpointId }: { endpointId: string }) {
  const { client, can } = useApp();
  const [secret, setSecret] = useState<string | undefined>();
  const reveal = useAction(async () => setSecret(await client.endpoints.secret(endpointId)));
  const rotate = useAction(async () => {
    if (!window.confirm("Rotate the signing secret? The old one keeps signing for the grace period.")) return;
    const rotated = await client.endpoints.rotateSecret(endpointId);
    setSecret(rotated.secret);
  });
  return (
    <section class="card">
      <h2>Signing secret</h2>
      {secret ? (
        <code class="secret" data-testid="secret">
          {secret}
        </code>
      ) : (
        <code class="secret muted">whsec_••••••••••••••••</code>
      )}
      <div class="row">
        <button type="button" class="secondary" disabled={reveal.busy} onClick={() => (secret ? setSecret(undefined) : void reveal.run())}>
          {secret ? "Hide" : "Reveal"}
        </button>
        {can("manage_endpoints") ? (
          <button type="button" class="secondary" disabled={rotate.busy} onClick={() => void rotate.run()}>
            Rotate
          </button>
        ) : null}
      </div>
      <ErrorNote message={reveal.error ?? rotate.error} />
    </section>
  );
}

/** Sends again every failed delivery since a time (the viewer's local time). */
function Recover({ endpointId }: { endpointId: string }) {
  const { client } = useApp();
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 3600_000).toISOString()));
  const [result, setResult] = useState<string | undefined>();
  const recover = useAction(async () => {
    const iso = fromLocalInput(since);
    if (!iso) throw new Error("Choose a time to recover from.");
    // Answered at once; the page waits for the recovery's end to say how many went again.
    const recovered = await client.endpoints.recoverAndWait(endpointId, { since: iso });
    setResult(`${recovered.recovered} failed ${recovered.recovered === 1 ? "delivery" : "deliveries"} sent again.`);
  });
  return (
    <section class="card">
      <h2>Recover</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void recover.run();
        }}
      >
        <label>
          Failed since
          <input name="since" type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={recover.busy}>
          Recover
        </button>
      </form>
      {result ? <p role="status">{result}</p> : null}
      <ErrorNote message={recover.error} />
    </section>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { client, base } = useApp();
  const [query, setQuery] = useQuery();
  const status = STATUSES.find((s) => s === query.status);
  const list = useLoad(
    () =>
      client.deliveries
        .list({ endpointId, limit: 25, cursor: query.cursor, status, since: query.since || undefined, until: query.until || undefined })
        .page(),
    [endpointId, query.cursor, status, query.since, query.until],
  );
  // The first page follows new deliveries as they happen; later pages and past windows hold still.
  useInterval(list.reload, 2000, !query.cursor && !query.until);
  return (
    <section>
      <header class="section-header">
        <h2>Deliveries</h2>
        <form
          class="row filters"
          aria-label="Delivery filters"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            setQuery({
              since: fromLocalInput(String(data.get("since") ?? "")),
              until: fromLocalInput(String(data.get("until") ?? "")),
              cursor: undefined,
            });
          }}
        >
          <label class="inline">
            Status
            <select name="status" value={status ?? ""} onChange={(e) => setQuery({ status: e.currentTarget.value, cursor: undefined })}>
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            From
            <input name="since" type="datetime-local" defaultValue={query.since ? toLocalInput(query.since) : ""} />
          </label>
          <label class="inline">
            To
            <input name="until" type="datetime-local" defaultValue={query.until ? toLocalInput(query.until) : ""} />
          </label>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
      </header>
      <ErrorNote message={list.error} />
      <DataTable
        class="deliveries"
        items={list.data?.items}
        headings={["Delivery", "Status", "Attempts", "Last answer", "Created"]}
        empty={<>No deliveries{status ? ` ${status}` : ""} yet.</>}
        row={(d) => (
          <tr key={d.id}>
            <td>
              <IdLink href={`${base}/deliveries/${d.id}`} id={d.id} />
            </td>
            <td>
              <Badge status={d.status} />
            </td>
            <td>{d.attempt_count}</td>
            <td>{d.last_status_code ?? d.last_error ?? "—"}</td>
            <td>
              <Time iso={d.created_at} />
            </td>
          </tr>
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </section>
  );
}
