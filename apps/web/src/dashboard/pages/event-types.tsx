import { sample } from "openapi-sampler";
import { useLoad } from "../../shared/hooks.js";
import { Badge, Empty, ErrorNote, Json, Loading, PageHeader, Pager, useQuery } from "../../shared/ui.js";
import { useDashboard } from "../session.js";

/** The catalog: each type with its description and JSON Schema. */
export function EventTypesPage() {
  const { client } = useDashboard();
  const [query] = useQuery();
  const list = useLoad(() => client.eventTypes.list({ limit: 50, cursor: query.cursor }).page(), [query.cursor]);
  return (
    <>
      <PageHeader title="Event types" />
      <ErrorNote message={list.error} />
      <Loading when={list.loading && !list.data} />
      {list.data?.items.length === 0 ? <Empty>No event types registered.</Empty> : null}
      {list.data?.items.map((type) => (
        <details key={type.name} class="card">
          <summary>
            <span class="mono">{type.name}</span> {type.builtin ? <Badge status="builtin" /> : null}
            {type.deprecated ? <Badge status="deprecated" /> : null}
            {type.archived ? <Badge status="archived" /> : null}
            <span class="muted">{type.description}</span>
          </summary>
          {type.schema ? (
            <div class="columns">
              <div>
                <h3>Schema</h3>
                <Json value={type.schema} />
              </div>
              <div>
                <h3>Example</h3>
                <Json value={example(type.schema)} />
              </div>
            </div>
          ) : (
            <p class="muted">No schema: any data is accepted.</p>
          )}
        </details>
      ))}
      <Pager nextCursor={list.data?.nextCursor} />
    </>
  );
}

/** Example data drawn from the schema (the same sampler the API's test events use). */
function example(schema: unknown): unknown {
  try {
    return sample(schema as Parameters<typeof sample>[0]);
  } catch {
    return "(no example: the schema could not be sampled)";
  }
}
