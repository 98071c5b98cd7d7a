import { useEffect, useRef, useState } from "preact/hooks";
import type { CodeProblem } from "./inbound-api.js";
import type { CodeEditor as Editor } from "./inbound-codemirror.js";

/**
 * The workflow's code in CodeMirror (TypeScript highlighting, compile problems marked as lint
 * diagnostics). The editor owns its text: `code` is read once, when it mounts; give the component
 * another `key` to start it on other code.
 */
export function CodeEditor({
  code,
  label,
  problems,
  onChange,
}: {
  code: string;
  label: string;
  problems: readonly CodeProblem[];
  onChange: (code: string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | undefined>(undefined);
  const latest = useRef(onChange);
  latest.current = onChange;
  const [failed, setFailed] = useState<string | undefined>();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let gone = false;
    import("./inbound-codemirror.js").then(
      ({ createEditor }) => {
        if (gone || !host.current) return;
        editor.current = createEditor(host.current, { code, label, onChange: (text) => latest.current(text) });
        setReady(true);
      },
      (error: unknown) => setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      gone = true;
      editor.current?.destroy();
      editor.current = undefined;
    };
  }, []);
  useEffect(() => editor.current?.markProblems(problems), [problems, ready]);
  return (
    <div class="code-editor">
      <div ref={host} data-testid="code-editor" />
      {!ready && !failed ? <p class="muted loading">Loading the editor…</p> : null}
      {failed ? <p class="error">The editor could not load: {failed}</p> : null}
    </div>
  );
}
