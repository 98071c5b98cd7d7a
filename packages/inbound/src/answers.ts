import { AppError } from "@hookline/core";
import type { InvocationResult, SandboxLimits } from "@hookline/sandbox";

/** What the caller of an inbound endpoint gets: the workflow's own response, or an error in Hookline's format. */
export type InboundAnswer =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: readonly (readonly [string, string])[];
      /** Text, or bytes when the workflow answered with bytes. */
      readonly body: string | Buffer;
    }
  | { readonly kind: "error"; readonly error: AppError };

/** Messages of the sandbox for a workflow that returned something other than a Response. */
const NOT_A_RESPONSE = /^the workflow returned /i;

/**
 * The caller's answer for a run that did not end in a response. The caller never sees the
 * workflow's error or stack (they are in the execution log), except for the one mistake a
 * caller's developer needs to see named: a workflow returning something that is not a Response.
 */
export function answerFor(result: InvocationResult, limits: SandboxLimits): InboundAnswer {
  switch (result.outcome) {
    case "ok": {
      const { status, headers, body, bodyEncoding } = result.response!;
      return { kind: "response", status, headers, body: bodyEncoding === "base64" ? Buffer.from(body, "base64") : body };
    }
    case "cpu_limit":
      return error(504, "workflow_cpu_limit", `The workflow used more than its ${limits.cpuMs} ms of CPU time and was stopped.`);
    case "timeout":
      return error(504, "workflow_timeout", `The workflow did not answer within ${limits.wallMs} ms.`);
    case "memory_limit":
      return error(500, "workflow_memory_limit", "The workflow used more memory than it may and was stopped.");
    case "busy":
      return error(503, "service_unavailable", "Too many calls of this tenant's workflows are waiting; retry shortly.");
    case "error": {
      const message = result.error?.message ?? "";
      if (NOT_A_RESPONSE.test(message)) {
        return error(500, "workflow_error", `${message.charAt(0).toUpperCase()}${message.slice(1).replace(/\.$/, "")}.`);
      }
      return error(500, "workflow_error", "The workflow failed; its execution log says why.");
    }
  }
}

function error(status: number, code: AppError["code"], message: string): InboundAnswer {
  return { kind: "error", error: new AppError({ status, code, message }) };
}
