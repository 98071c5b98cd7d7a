import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Hookline } from "@hookline/sdk";
import { callJson } from "../shared/api.js";

/** What GET /dashboard/api/session answers. */
export interface SessionInfo {
  readonly kind: "tenant" | "admin";
  readonly tenant_id: string | null;
  readonly csrf_token: string;
  readonly expires_at: string;
}

export interface DashboardContext {
  readonly session: SessionInfo;
  readonly client: Hookline;
  readonly signOut: () => Promise<void>;
}

export const Dashboard = createContext<DashboardContext | undefined>(undefined);

export function useDashboard(): DashboardContext {
  const context = useContext(Dashboard);
  if (!context) throw new Error("useDashboard outside the signed-in dashboard");
  return context;
}

export const SESSION_PATH = "/dashboard/api/session";

export const currentSession = () => callJson<SessionInfo>("GET", SESSION_PATH);
export const signIn = (credential: { api_key: string } | { admin_token: string }) =>
  callJson<SessionInfo>("POST", SESSION_PATH, credential);
export const endSession = (csrfToken: string) => callJson<void>("DELETE", SESSION_PATH, undefined, csrfToken);
