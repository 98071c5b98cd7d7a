/** The file name QuickJS gives the workflow module: its frames are the tenant's own lines. */
export const WORKFLOW_FILE = "workflow.js";

const FRAME = /\(?workflow\.js:(\d+):(\d+)\)?\s*$/;

/** Frames kept: a stack overflow would otherwise report thousands of identical ones. */
export const MAX_FRAMES = 30;

/** Only the frames of the workflow module (prelude frames are Hookline's, not the tenant's business). */
export function tenantStack(stack: string): string {
  const frames = stack.split("\n").filter((line) => line.includes(`${WORKFLOW_FILE}:`));
  if (frames.length <= MAX_FRAMES) return frames.join("\n");
  return [...frames.slice(0, MAX_FRAMES), `    ... ${frames.length - MAX_FRAMES} more frames`].join("\n");
}

/** Line and column of the innermost frame in the workflow module, if any (QuickJS counts both from 1). */
export function errorPosition(stack: string): { line?: number; column?: number } {
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return {};
}
