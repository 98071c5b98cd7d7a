/** The file name QuickJS gives the workflow module: its frames are the tenant's own lines. */
export const WORKFLOW_FILE = "workflow.js";

const FRAME = /\(?workflow\.js:(\d+):(\d+)\)?\s*$/;

/** Only the frames of the workflow module (prelude frames are Hookline's, not the tenant's business). */
export function tenantStack(stack: string): string {
  return stack
    .split("\n")
    .filter((line) => line.includes(`${WORKFLOW_FILE}:`))
    .join("\n");
}

/** Line and column of the innermost frame in the workflow module, if any (QuickJS counts both from 1). */
export function errorPosition(stack: string): { line?: number; column?: number } {
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return {};
}
