import { useState } from "preact/hooks";
import type { Customer } from "@hookline/sdk";
import { errorMessage } from "../../shared/api.js";
import { useAction, useLoad } from "../../shared/hooks.js";
import { DataTable, ErrorNote, Loading, PageHeader, Pager, Time, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

/** The tenant's customers: their endpoints, and a portal link to hand to each. */
export function CustomersPage() {
  const { client } = useDashboard();
  const [query] = useQuery();
  const list = useLoad(() => client.customers.list({ limit: 50, cursor: query.cursor }).page(), [query.cursor]);
  const create = useAction(async (name: string, externalId: string) => {
    await client.customers.create({ name, ...(externalId && { external_id: externalId }) });
  }, list.reload);
  return (
    <>
      <PageHeader title="Customers" />
      <form
        class="card row"
        aria-label="New customer"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          void create.run(String(data.get("name")), String(data.get("external_id") ?? "")).then(() => form.reset());
        }}
      >
        <label>
          Name
          <input name="name" required maxLength={255} placeholder="Acme Corp" />
        </label>
        <label>
          External id <span class="muted small">(yours)</span>
          <input name="external_id" maxLength={255} placeholder="acme" />
        </label>
        <button type="submit" disabled={create.busy}>
          Add customer
        </button>
      </form>
      <ErrorNote message={create.error ?? list.error} />
      <Loading when={list.loading && !list.data} />
      <DataTable
        class="customers"
        items={list.data?.items}
        headings={["Name", "External id", "ID", "Created", ""]}
        empty="No customers yet."
        row={(c) => <CustomerRow key={c.id} customer={c} />}
      />
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}

function CustomerRow({ customer }: { customer: Customer }) {
  const { client } = useDashboard();
  const [link, setLink] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const portal = async () => {
    setError(undefined);
    try {
      const { data, error: failed } = await client.raw.POST("/v1/customers/{id}/portal", {
        params: { path: { id: customer.id } },
        body: {},
      });
      if (failed) throw new Error(failed.error.message);
      setLink(data.url);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <tr>
      <td>
        {customer.name} {customer.is_test ? <span class="muted small">(test)</span> : null}
      </td>
      <td class="mono">{customer.external_id ?? "—"}</td>
      <td class="mono">{customer.id}</td>
      <td>
        <Time iso={customer.created_at} />
      </td>
      <td class="row">
        <a href={`/dashboard/endpoints?customer_id=${customer.id}`}>Endpoints</a>
        <button type="button" class="link" onClick={() => void portal()}>
          Portal link
        </button>
        {link ? (
          <a href={link} target="_blank" rel="noopener noreferrer" data-testid="portal-link">
            Open portal (1 h) ↗
          </a>
        ) : null}
        <ErrorNote message={error} />
      </td>
    </tr>
  );
}
