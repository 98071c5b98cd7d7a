import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { useDashboard } from "./session.js";

const TENANT_NAV: readonly [string, string][] = [
  ["/dashboard", "Overview"],
  ["/dashboard/endpoints", "Endpoints"],
  ["/dashboard/events", "Events"],
  ["/dashboard/event-types", "Event types"],
  ["/dashboard/customers", "Customers"],
  ["/dashboard/inbound", "Inbound"],
  ["/dashboard/integrations", "Integrations"],
];
const ADMIN_NAV: readonly [string, string][] = [["/dashboard/tenants", "Tenants"]];

export function Layout({ children }: { children: ComponentChildren }) {
  const { session, signOut } = useDashboard();
  const { path } = useLocation();
  const nav = session.kind === "admin" ? ADMIN_NAV : TENANT_NAV;
  const current = (href: string) => (href === "/dashboard" ? path === href : path === href || path.startsWith(`${href}/`));
  return (
    <div class="shell">
      <aside class="sidebar">
        <a class="brand" href={nav[0]![0]}>
          <span class="logo">⚓</span> Hookline
        </a>
        <nav aria-label="Main">
          {nav.map(([href, label]) => (
            <a key={href} href={href} aria-current={current(href) ? "page" : undefined}>
              {label}
            </a>
          ))}
          {session.kind === "admin" ? (
            <a href="/admin/queues" target="_blank" rel="noopener">
              Queues ↗
            </a>
          ) : null}
        </nav>
        <div class="who">
          <span class="muted small">{session.kind === "admin" ? "admin" : session.tenant_id}</span>
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </aside>
      <main class="content">{children}</main>
    </div>
  );
}
