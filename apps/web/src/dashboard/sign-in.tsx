import { useState } from "preact/hooks";
import { errorMessage } from "../shared/api.js";
import { ErrorNote } from "../shared/ui.js";
import { signIn, type SessionInfo } from "./session.js";

/**
 * One field: a tenant's API key signs in to its dashboard, the admin token to the admin's. The key
 * is sent once and exchanged for a session cookie; the page never stores it.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  const [credential, setCredential] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const value = credential.trim();
    try {
      onSignedIn(await signIn(value.startsWith("key_") ? { api_key: value } : { admin_token: value }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} class="card">
        <h1>
          <span class="logo">⚓</span> Hookline
        </h1>
        <label>
          API key or admin token
          <input
            name="credential"
            type="password"
            autoComplete="current-password"
            required
            value={credential}
            onInput={(e) => setCredential(e.currentTarget.value)}
          />
        </label>
        <ErrorNote message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p class="muted small">A tenant's API key opens its dashboard; the ADMIN_TOKEN opens the tenants' list.</p>
      </form>
    </main>
  );
}
