import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Hookline } from "@hookline/sdk";

/** What the portal's token may allow; the dashboard allows everything. */
export type Capability = "manage_endpoints" | "reveal_secrets" | "retry";

/**
 * What the pages the dashboard and the portal share need: a client of the API, where the app's
 * pages live, and what the signed-in user may do. The API enforces the same rules; the pages only
 * leave out buttons that would be refused.
 */
export interface AppContext {
  readonly client: Hookline;
  /** `/dashboard` or `/portal/<tenant id>`. */
  readonly base: string;
  readonly can: (capability: Capability) => boolean;
  /** The dashboard may give endpoints a customer; the portal's are its customer's. */
  readonly app: "dashboard" | "portal";
}

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const context = useContext(App);
  if (!context) throw new Error("useApp outside an app");
  return context;
}
