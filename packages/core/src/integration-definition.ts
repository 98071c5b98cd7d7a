/**
 * An integration as it is stored, in its draft and in each published version: its flows (the
 * tenant's source, the JavaScript it compiled to, who may call it) and how calls reach them (the
 * endpoint configuration of seed 004). Published versions never change.
 */

export type FlowSecurity =
  | { readonly type: "none" }
  /** Keys the customer provides (or Hookline generates) when an instance is deployed; `required`: deploying without one is refused. */
  | { readonly type: "customer"; readonly required: boolean }
  /** One key the tenant sets for every customer's instance: sealed (to show) and hashed (to check, base64). */
  | { readonly type: "organization"; readonly keySealed: string; readonly keyHash: string };

export interface StoredFlow {
  readonly name: string;
  readonly source: string;
  readonly compiled: string;
  readonly security: FlowSecurity;
}

/** Where a value of the request is read: a header (matched in lower case) or a dotted path into a JSON payload. */
export interface RequestField {
  readonly header?: string | undefined;
  readonly payload?: string | undefined;
}

export type EndpointConfigType = "instance_and_flow" | "instance" | "shared";

export interface EndpointConfig {
  readonly type: EndpointConfigType;
  /** `instance` and `shared` without a preprocess flow: where the flow's name is. */
  readonly flowName?: RequestField | undefined;
  /** `shared` without a preprocess flow: where the customer's external id is. */
  readonly customerExternalId?: RequestField | undefined;
  /** The flow that runs first and names the flow (and, shared, the customer) in its result. */
  readonly preprocessFlow?: string | undefined;
  readonly preprocessResult?: { readonly flowKey?: string | undefined; readonly customerKey?: string | undefined } | undefined;
}

export interface IntegrationDefinition {
  readonly flows: readonly StoredFlow[];
  readonly endpointConfig: EndpointConfig;
}

/** The flows a call can be routed to: all but the preprocess flow. */
export function routableFlows(definition: IntegrationDefinition): StoredFlow[] {
  return definition.flows.filter((flow) => flow.name !== definition.endpointConfig.preprocessFlow);
}

/**
 * What is wrong with an endpoint configuration for these flows (messages name the field), or
 * nothing. An integration with a single flow needs no flow name; `instance` needs the flow's name
 * from the request or a preprocess flow; `shared` needs the customer too.
 */
export function endpointConfigProblems(definition: Pick<IntegrationDefinition, "endpointConfig"> & { flows: readonly { name: string }[] }) {
  const { endpointConfig: config, flows } = definition;
  const problems: { field: string; message: string }[] = [];
  const names = new Set(flows.map((flow) => flow.name));
  const preprocess = config.preprocessFlow;
  if (preprocess !== undefined && !names.has(preprocess)) {
    problems.push({ field: "endpoint_config.preprocess_flow", message: `names no flow of the integration (${preprocess})` });
  }
  if (preprocess !== undefined && config.type === "instance_and_flow") {
    problems.push({ field: "endpoint_config.preprocess_flow", message: "is only for instance and shared endpoints" });
  }
  const routable = flows.filter((flow) => flow.name !== preprocess).length;
  if (routable === 0) problems.push({ field: "flows", message: "must hold a flow to run besides the preprocess flow" });
  const given = (field: RequestField | undefined) => field?.header !== undefined || field?.payload !== undefined;
  if (config.type === "instance" || config.type === "shared") {
    if (preprocess !== undefined) {
      if (routable > 1 && config.preprocessResult?.flowKey === undefined) {
        problems.push({
          field: "endpoint_config.preprocess_result.flow_key",
          message: "is required: which key of the preprocess flow's result names the flow",
        });
      }
      if (config.type === "shared" && config.preprocessResult?.customerKey === undefined) {
        problems.push({
          field: "endpoint_config.preprocess_result.customer_key",
          message: "is required: which key of the preprocess flow's result names the customer",
        });
      }
    } else {
      if (routable > 1 && !given(config.flowName)) {
        problems.push({
          field: "endpoint_config.flow_name",
          message: "is required with several flows: a header or a payload field naming the flow",
        });
      }
      if (config.type === "shared" && !given(config.customerExternalId)) {
        problems.push({
          field: "endpoint_config.customer_external_id",
          message: "is required for a shared endpoint: a header or a payload field",
        });
      }
    }
  }
  return problems;
}
