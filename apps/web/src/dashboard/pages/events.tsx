import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { fromLocalInput, toLocalInput } from "../../shared/format.js";
import { useLoad } from "../../shared/hooks.js";
import { DataTable, ErrorNote, IdLink, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

/** Events, newest first, searchable by type (or `prefix.*`), id and time; the filters live in the URL. */
export function EventsPage() {
  const { client } = useDashboard();
  const { route } = useLocation();
  const [query, setQuery] = useQuery();
  const [id, setId] = useState("");
  const list = useLoad(
    () =>
      client.events
        .list({
          limit: 25,
          cursor: query.cursor,
          eventType: query.event_type || undefined,
          since: query.since || undefined,
          until: query.until || undefined,
        })
        .page(),
    [query.cursor, query.event_type, query.since, query.until],
  );
  return (
    <>
      <PageHeader title="Events" />
      <form
        class="card row filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setQuery({
            event_type: String(data.get("event_type") ?? "").trim(),
            since: fromLocalInput(String(data.get("since") ?? "")),
            until: fromLocalInput(String(data.get("until") ?? "")),
            cursor: undefined,
          });
        }}
      >
        <label>
          Type <span class="muted small">(or prefix.*)</span>
          <input name="event_type" defaultValue={query.event_type ?? ""} placeholder="invoice.*" />
        </label>
        <label>
          From
          <input name="since" type="datetime-local" defaultValue={query.since ? toLocalInput(query.since) : ""} />
        </label>
        <label>
          To
          <input name="until" type="datetime-local" defaultValue={query.until ? toLocalInput(query.until) : ""} />
        </label>
        <button type="submit">Search</button>
      </form>
      <form
        class="row"
        aria-label="Find an event"
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) route(`/dashboard/events/${id.trim()}`);
        }}
      >
        <label class="inline">
          Event id
          <input name="id" value={id} onInput={(e) => setId(e.currentTarget.value)} placeholder="evt_…" />
        </label>
        <button type="submit" class="secondary">
          Open
        </button>
      </form>
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      <DataTable
        class="events"
        items={list.data?.items}
        headings={["Event", "Type", "Object", "Created"]}
        empty="No events match."
        row={(event) => (
          <tr key={event.id}>
            <td>
              <IdLink href={`/dashboard/events/${event.id}`} id={event.id} />
            </td>
            <td class="mono">{event.event_type}</td>
            <td class="mono">{event.object_id ?? "—"}</td>
            <td>
              <Time iso={event.created_at} />
            </td>
          </tr>
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}
