import { basicSetup, EditorView } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import type { CodeProblem } from "./inbound-api.js";

/**
 * CodeMirror 6, loaded on demand (its own chunk). The page's content policy allows styles from
 * this origin only: a `<style>` element, which CodeMirror's style-mod adds to a document, would be
 * refused. Inside a shadow root style-mod uses a constructed stylesheet (adoptedStyleSheets),
 * which the policy does not restrict, so the editor lives in one. Its look is therefore set here,
 * as an editor theme, not in styles.css (whose rules do not reach into the shadow root).
 */
const theme = EditorView.theme({
  "&": { border: "1px solid #cbd5e1", borderRadius: "6px", backgroundColor: "#fff", fontSize: "13px" },
  "&.cm-focused": { outline: "2px solid #2563eb", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", minHeight: "18rem", maxHeight: "36rem" },
  ".cm-gutters": { backgroundColor: "#f8fafc", borderRight: "1px solid #e2e8f0" },
});

export interface CodeEditor {
  readonly code: () => string;
  /** Marks where the code does not compile (an empty list clears the marks). */
  readonly markProblems: (problems: readonly CodeProblem[]) => void;
  readonly destroy: () => void;
}

export function createEditor(host: HTMLElement, options: { code: string; label: string; onChange: (code: string) => void }): CodeEditor {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  const mount = document.createElement("div");
  shadow.replaceChildren(mount);
  const view = new EditorView({
    parent: mount,
    root: shadow,
    state: EditorState.create({
      doc: options.code,
      extensions: [
        basicSetup,
        javascript({ typescript: true }),
        lintGutter(),
        theme,
        EditorView.contentAttributes.of({ "aria-label": options.label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    code: () => view.state.doc.toString(),
    markProblems: (problems) => {
      const doc = view.state.doc;
      const diagnostics: Diagnostic[] = problems.map((problem) => {
        const line = doc.line(Math.min(Math.max(problem.line, 1), doc.lines));
        const from = Math.min(line.from + Math.max(problem.column - 1, 0), line.to);
        // The rest of the line from the column (or one character at its end), so there is something to underline.
        const to = from < line.to ? line.to : Math.min(from + 1, doc.length);
        return { from, to: Math.max(from, to), severity: "error", message: problem.message, source: `line ${problem.line}` };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    destroy: () => view.destroy(),
  };
}
