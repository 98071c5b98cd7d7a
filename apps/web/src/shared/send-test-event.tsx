import { useState } from "preact/hooks";
import { useApp } from "./app.js";
import { useAction, useLoad } from "./hooks.js";
import { ErrorNote } from "./ui.js";

/**
 * Sends a test event to this endpoint alone (whatever it subscribes to). Without a type chosen,
 * the API picks one: the first subscribed type with a schema, its data sampled, else
 * `hookline.test`. The delivery then shows in the page's deliveries table, which polls.
 */
export function SendTestEvent({ endpointId }: { endpointId: string }) {
  const { client } = useApp();
  const catalog = useLoad(() => client.eventTypes.list({ limit: 100 }).page(), []);
  const [eventType, setEventType] = useState("");
  const [sent, setSent] = useState<string | undefined>();
  const send = useAction(async () => {
    setSent(undefined);
    const result = await client.endpoints.sendTestEvent(endpointId, eventType === "" ? {} : { event_type: eventType });
    setSent(result.event_id);
  });
  const registered = (catalog.data?.items ?? []).filter((t) => !t.archived && !t.builtin);
  return (
    <section class="card">
      <h2>Test</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run();
        }}
      >
        <label>
          Event type
          <select name="event_type" value={eventType} onChange={(e) => setEventType(e.currentTarget.value)}>
            <option value="">chosen for this endpoint</option>
            {registered.map((type) => (
              <option key={type.name} value={type.name}>
                {type.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={send.busy}>
          Send test event
        </button>
      </form>
      {sent ? (
        <p role="status">
          Sent: <span class="mono">{sent}</span>
        </p>
      ) : null}
      <ErrorNote message={send.error} />
    </section>
  );
}
