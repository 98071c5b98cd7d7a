import { useLoad } from "../../shared/hooks.js";
import { Empty, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

export function CustomersPage() {
  const { client } = useDashboard();
  const [query] = useQuery();
  const list = useLoad(() => client.customers.list({ limit: 50, cursor: query.cursor }).page(), [query.cursor]);
  return (
    <>
      <PageHeader title="Customers" />
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      {list.data?.items.length === 0 ? <Empty>No customers yet.</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>External id</th>
              <th>ID</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name} {c.is_test ? <span class="muted small">(test)</span> : null}
                </td>
                <td class="mono">{c.external_id ?? "—"}</td>
                <td class="mono">{c.id}</td>
                <td>
                  <Time iso={c.created_at} />
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
