import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { LocationProvider, Route, Router } from "preact-iso";
import { Hookline, type FetchFn } from "@hookline/sdk";
import { errorMessage } from "../shared/api.js";
import { App, type Capability } from "../shared/app.js";
import { DeliveryPage } from "../shared/pages/delivery.js";
import { EndpointPage } from "../shared/pages/endpoint.js";
import { EndpointsPage } from "../shared/pages/endpoints.js";
import { Time } from "../shared/ui.js";

/** What GET /v1/portal answers. */
interface PortalSession {
  readonly customer: { id: string; name: string };
  readonly capabilities: Capability[];
  readonly expires_at: string;
  readonly branding: { name: string | null; logo_url: string | null; accent_color: string | null };
}

const tenantId = window.location.pathname.split("/")[2] ?? "";
const base = `/portal/${tenantId}`;
const storageKey = `hookline-portal:${tenantId}`;

/**
 * Storage for this tab only. A browser that blocks storage in third-party frames throws on any
 * use; the portal then keeps the token in memory, and a reload needs the link again.
 */
const tabStorage = {
  get: (): string | undefined => {
    try {
      return sessionStorage.getItem(storageKey) ?? undefined;
    } catch {
      return undefined;
    }
  },
  set: (token: string | undefined): void => {
    try {
      if (token === undefined) sessionStorage.removeItem(storageKey);
      else sessionStorage.setItem(storageKey, token);
    } catch {
      // blocked: memory only
    }
  },
};

/**
 * The link's token arrives in the URL's fragment (which no server sees) and is kept for this tab
 * only, so a reload inside the tenant's iframe keeps working; the fragment is then removed from
 * the address so it is not copied along with the page's URL.
 */
function takeToken(): string | undefined {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromLink = fragment.get("token");
  if (fromLink) {
    tabStorage.set(fromLink);
    history.replaceState(null, "", window.location.pathname + window.location.search);
    return fromLink;
  }
  return tabStorage.get();
}

function Ended({ reason }: { reason: string }) {
  return (
    <main class="sign-in">
      <div class="card" role="alert">
        <h1>Portal unavailable</h1>
        <p>{reason}</p>
        <p class="muted">Ask for a new link where you found this one.</p>
      </div>
    </main>
  );
}

function Portal() {
  const [token] = useState(takeToken);
  const [ended, setEnded] = useState<string | undefined>(token ? undefined : "This page needs a portal link.");
  const [session, setSession] = useState<PortalSession | undefined>();
  const client = useMemo(() => {
    if (!token) return undefined;
    // Any 401 means the link has expired or was revoked: the whole portal says so, and forgets it.
    const fetch: FetchFn = async (request) => {
      const response = await globalThis.fetch(request);
      if (response.status === 401) {
        tabStorage.set(undefined);
        setEnded("This portal link has expired or was revoked.");
      }
      return response;
    };
    return new Hookline({ baseUrl: window.location.origin, apiKey: token, maxRetries: 1, fetch });
  }, [token]);
  useEffect(() => {
    if (!client) return;
    client.raw.GET("/v1/portal").then(
      ({ data, error }) => {
        if (data) setSession(data);
        else if (error) setEnded((current) => current ?? error.error.message);
      },
      (error: unknown) => setEnded(errorMessage(error)),
    );
  }, [client]);
  useEffect(() => {
    const accent = session?.branding.accent_color;
    if (accent) document.documentElement.style.setProperty("--accent", accent);
    if (session) document.title = `${session.branding.name ?? "Webhooks"} · ${session.customer.name}`;
  }, [session]);

  if (ended) return <Ended reason={ended} />;
  if (!client || !session) return <p class="muted loading">Loading…</p>;
  const context = { client, base, can: (c: Capability) => session.capabilities.includes(c), app: "portal" as const };
  return (
    <App.Provider value={context}>
      <div class="portal">
        <header class="portal-header">
          {session.branding.logo_url ? <img src={session.branding.logo_url} alt="" /> : null}
          <strong>{session.branding.name ?? "Webhooks"}</strong>
          <span class="muted">{session.customer.name}</span>
          <span class="muted small push">
            {session.capabilities.length === 0 ? "read-only · " : ""}link valid until <Time iso={session.expires_at} />
          </span>
        </header>
        <main>
          <LocationProvider>
            <Router>
              <Route path={base} component={EndpointsPage} />
              <Route path={`${base}/endpoints`} component={EndpointsPage} />
              <Route path={`${base}/endpoints/:id`} component={EndpointPage} />
              <Route path={`${base}/deliveries/:id`} component={DeliveryPage} />
              <Route default component={() => <Ended reason="There is no such page in the portal." />} />
            </Router>
          </LocationProvider>
        </main>
      </div>
    </App.Provider>
  );
}

render(<Portal />, document.getElementById("app")!);
