import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { LocationProvider } from "preact-iso";
import { apiClient, CallError, errorMessage } from "../shared/api.js";
import { App as AppContext } from "../shared/app.js";
import { Routes } from "./routes.js";
import { currentSession, Dashboard, endSession, type SessionInfo } from "./session.js";
import { SignIn } from "./sign-in.js";

function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    currentSession().then(setSession, (error: unknown) => {
      if (error instanceof CallError && error.status === 401) setSession(null);
      else setProblem(errorMessage(error));
    });
  }, []);
  const context = useMemo(
    () =>
      session
        ? {
            session,
            client: apiClient({ csrfToken: session.csrf_token }),
            signOut: async () => {
              await endSession(session.csrf_token);
              setSession(null);
            },
          }
        : undefined,
    [session],
  );
  if (problem) return <p class="error">The dashboard could not reach the API: {problem}</p>;
  if (session === undefined) return <p class="muted loading">Loading…</p>;
  if (!context) return <SignIn onSignedIn={setSession} />;
  return (
    <Dashboard.Provider value={context}>
      <AppContext.Provider value={{ client: context.client, base: "/dashboard", can: () => true, app: "dashboard" }}>
        <LocationProvider>
          <Routes />
        </LocationProvider>
      </AppContext.Provider>
    </Dashboard.Provider>
  );
}

render(<App />, document.getElementById("app")!);
