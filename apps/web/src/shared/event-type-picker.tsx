import { useState } from "preact/hooks";
import { useApp } from "./app.js";
import { useLoad } from "./hooks.js";

/**
 * Event types chosen from the tenant's catalog, and (in the dashboard) typed in as well, for
 * patterns such as `invoice.*` or types not registered.
 */
export function EventTypePicker({ value, onChange }: { value: readonly string[]; onChange: (types: string[]) => void }) {
  const { client, app } = useApp();
  const catalog = useLoad(() => client.eventTypes.list({ limit: 100 }).page(), []);
  const [typed, setTyped] = useState("");
  const registered = (catalog.data?.items ?? []).filter((t) => !t.archived);
  const toggle = (name: string, on: boolean) => onChange(on ? [...value, name] : value.filter((v) => v !== name));
  const extra = value.filter((v) => !registered.some((t) => t.name === v));
  return (
    <fieldset class="picker">
      <legend>Event types</legend>
      {registered.length === 0 && app === "portal" ? <p class="muted">No event types are offered yet.</p> : null}
      {registered.map((type) => (
        <label key={type.name} class="inline">
          <input type="checkbox" checked={value.includes(type.name)} onChange={(e) => toggle(type.name, e.currentTarget.checked)} />
          <span class="mono">{type.name}</span>
          <span class="muted small">{type.description}</span>
        </label>
      ))}
      {app === "dashboard" ? (
        <label>
          Other types or patterns <span class="muted small">(comma separated; * stands for one segment: invoice.*)</span>
          <input
            name="event_types"
            value={typed}
            placeholder="invoice.paid, customer.*"
            onInput={(e) => {
              const text = e.currentTarget.value;
              setTyped(text);
              const typedTypes = text.split(/[\s,]+/).filter(Boolean);
              onChange([...value.filter((v) => registered.some((t) => t.name === v)), ...typedTypes]);
            }}
          />
        </label>
      ) : null}
      {extra.length > 0 && app === "portal" ? <p class="muted small">{extra.join(", ")}</p> : null}
    </fieldset>
  );
}
