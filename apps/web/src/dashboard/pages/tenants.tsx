import { useState } from "preact/hooks";
import { useAction, useLoad } from "../../shared/hooks.js";
import { DataTable, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

/** The admin's view: every tenant, and a new one with its first API key (shown once). */
export function TenantsPage() {
  const { client } = useDashboard();
  const [query] = useQuery();
  const [created, setCreated] = useState<{ name: string; api_key: string } | undefined>();
  const list = useLoad(async () => {
    const { data, error, response } = await client.raw.GET("/v1/tenants", { params: { query: { limit: "50", cursor: query.cursor } } });
    if (error) throw new Error(error.error.message);
    return { items: data, nextCursor: response.headers.get("x-next-cursor") ?? undefined };
  }, [query.cursor]);
  const create = useAction(async (name: string) => {
    const { data, error } = await client.raw.POST("/v1/tenants", { body: { name } });
    if (error) throw new Error(error.error.message);
    setCreated({ name: data.name, api_key: data.api_key });
  }, list.reload);
  return (
    <>
      <PageHeader title="Tenants" />
      <form
        class="card row"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          void create.run(String(new FormData(form).get("name"))).then(() => form.reset());
        }}
      >
        <label>
          New tenant
          <input name="name" required maxLength={255} placeholder="Acme Inc." />
        </label>
        <button type="submit" disabled={create.busy}>
          Create
        </button>
      </form>
      <ErrorNote message={create.error} />
      {created ? (
        <p class="card notice" role="status">
          {created.name}'s API key (shown once): <code data-testid="new-api-key">{created.api_key}</code>
        </p>
      ) : null}
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      <DataTable
        items={list.data?.items}
        headings={["Name", "ID", "Created"]}
        empty="No tenants yet."
        row={(t) => (
          <tr key={t.id}>
            <td>{t.name}</td>
            <td class="mono">{t.id}</td>
            <td>
              <Time iso={t.created_at} />
            </td>
          </tr>
        )}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}
