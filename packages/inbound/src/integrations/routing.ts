import { AppError, routableFlows, type IntegrationDefinition, type StoredFlow } from "@hookline/core";
import { fieldValue, routingText, valueAt } from "./request-fields.js";

/** What a preprocess flow did: recorded with the execution as its first step. */
export interface PreprocessStep {
  readonly flow: string;
  readonly outcome: string;
  readonly result: unknown;
  readonly logs: unknown[];
  readonly error: unknown;
}

export type PreprocessRun = (
  flow: StoredFlow,
) => Promise<{ readonly ok: boolean; readonly result: unknown; readonly step: PreprocessStep }>;

export interface RoutingInput {
  readonly definition: IntegrationDefinition;
  /** What the trigger names: the whole integration (shared), an instance, or one flow of an instance. */
  readonly kind: "shared" | "instance" | "instance_flow";
  /** The flow an instance-and-flow trigger names. */
  readonly triggerFlow: string | null;
  readonly headers: readonly (readonly [string, string])[];
  readonly payload: unknown;
  readonly runPreprocess: PreprocessRun;
}

export type Routed =
  | {
      readonly ok: true;
      readonly flow: StoredFlow;
      /** Shared endpoints only: the customer the call is for. */
      readonly customerExternalId: string | undefined;
      readonly preprocess: PreprocessStep | undefined;
    }
  | { readonly ok: false; readonly error: AppError; readonly preprocess: PreprocessStep | undefined };

const refuse = (error: AppError, preprocess?: PreprocessStep): Routed => ({ ok: false, error, preprocess });
const noFlow = (name: string) =>
  new AppError({ status: 404, code: "not_found", message: `The integration has no flow named ${JSON.stringify(name)}.` });

/**
 * Seed 004's routing: which flow a call runs, and for a shared endpoint, for which customer. An
 * instance-and-flow URL names its flow; an instance URL and a shared URL read the flow's name (and,
 * shared, the customer's external id) from a header or a payload field, or run the preprocess flow
 * and read them from its result. An integration with one flow (besides a preprocess flow) needs no
 * flow name.
 */
export async function routeCall(input: RoutingInput): Promise<Routed> {
  const { definition, headers, payload } = input;
  const config = definition.endpointConfig;
  const flows = routableFlows(definition);
  const byName = (name: string) => flows.find((flow) => flow.name === name);

  if (input.kind === "instance_flow") {
    const flow = definition.flows.find((f) => f.name === input.triggerFlow);
    return flow ? { ok: true, flow, customerExternalId: undefined, preprocess: undefined } : refuse(noFlow(input.triggerFlow ?? ""));
  }

  let flowName: string | undefined;
  let customerExternalId: string | undefined;
  let preprocess: PreprocessStep | undefined;
  const preprocessFlow = config.preprocessFlow === undefined ? undefined : definition.flows.find((f) => f.name === config.preprocessFlow);
  if (preprocessFlow) {
    const run = await input.runPreprocess(preprocessFlow);
    preprocess = run.step;
    if (!run.ok) {
      return refuse(
        new AppError({
          status: 422,
          code: "unprocessable",
          message: `The preprocess flow ${preprocessFlow.name} failed; the execution has its log.`,
        }),
        preprocess,
      );
    }
    const flowKey = config.preprocessResult?.flowKey;
    flowName = flowKey === undefined ? undefined : routingText(valueAt(run.result, flowKey));
    if (input.kind === "shared") {
      const customerKey = config.preprocessResult?.customerKey ?? "";
      customerExternalId = routingText(valueAt(run.result, customerKey));
      if (customerExternalId === undefined) {
        return refuse(
          AppError.validation(
            [{ field: customerKey, message: "is missing from the preprocess flow's result: it names the customer" }],
            "The preprocess flow named no customer.",
          ),
          preprocess,
        );
      }
    }
    if (flowName === undefined && flowKey !== undefined && flows.length > 1) {
      return refuse(
        AppError.validation(
          [{ field: flowKey, message: "is missing from the preprocess flow's result: it names the flow" }],
          "The preprocess flow named no flow.",
        ),
        preprocess,
      );
    }
  } else {
    flowName = fieldValue(config.flowName, headers, payload);
    if (input.kind === "shared") {
      customerExternalId = fieldValue(config.customerExternalId, headers, payload);
      if (customerExternalId === undefined) {
        const where = [
          config.customerExternalId?.header && `header ${config.customerExternalId.header}`,
          config.customerExternalId?.payload && `payload field ${config.customerExternalId.payload}`,
        ]
          .filter(Boolean)
          .join(" or ");
        return refuse(
          AppError.validation(
            [{ field: "customer", message: `is missing: send the customer's external id in the ${where}` }],
            "The call names no customer.",
          ),
        );
      }
    }
    if (flowName === undefined && flows.length > 1) {
      const where = [
        config.flowName?.header && `header ${config.flowName.header}`,
        config.flowName?.payload && `payload field ${config.flowName.payload}`,
      ]
        .filter(Boolean)
        .join(" or ");
      return refuse(
        AppError.validation([{ field: "flow", message: `is missing: send the flow's name in the ${where}` }], "The call names no flow."),
      );
    }
  }

  const flow = flowName === undefined ? flows[0] : byName(flowName);
  if (!flow) return refuse(noFlow(flowName ?? ""), preprocess);
  return { ok: true, flow, customerExternalId, preprocess };
}
