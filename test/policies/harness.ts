import type {
  ResourceValidationPolicy,
  StackValidationPolicy,
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
// The policy SDK's own proxy (internal, so untyped): reading a value that is unknown during preview throws, exactly as under the CLI.
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(value: T): T };

/** Sentinel the engine uses for an unknown string during preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

export interface FakeResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  stack?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export function urnOf(r: FakeResource): string {
  return `urn:pulumi:${r.stack ?? "dev"}::acs-notifications::${r.type}::${r.name}`;
}

const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason}`);
};

/** Runs a resource rule on one resource, the way the analyzer server calls it; returns the messages. */
export function runResourceRule(policy: ResourceValidationPolicy, resource: FakeResource, config: object = {}): string[] {
  const messages: string[] = [];
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  for (const validate of validations) {
    const args = {
      type: resource.type,
      name: resource.name,
      urn: urnOf(resource),
      props: unknownCheckingProxy(resource.props),
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      stackTags: new Map(),
      getConfig: () => config,
      notApplicable,
      isType: () => false,
      asType: () => undefined,
    } as unknown as ResourceValidationArgs;
    void validate(args, (message) => messages.push(message));
  }
  return messages;
}

/** Runs a stack rule on a set of resources; returns the violations with the URN they name. */
export function runStackRule(
  policy: StackValidationPolicy,
  resources: FakeResource[],
  config: object = {},
): { urn: string; message: string }[] {
  const found: { urn: string; message: string }[] = [];
  const byUrn = new Map<string, PolicyResource>();
  const views = resources.map((r) => {
    const view = {
      type: r.type,
      name: r.name,
      urn: urnOf(r),
      props: unknownCheckingProxy(r.props),
      opts: {},
      dependencies: [] as PolicyResource[],
      propertyDependencies: {} as Record<string, PolicyResource[]>,
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(view.urn, view);
    return view;
  });
  resources.forEach((r, i) => {
    views[i].dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)!).filter(Boolean);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {}))
      views[i].propertyDependencies[k] = urns.map((u) => byUrn.get(u)!).filter(Boolean);
  });
  const args = {
    resources: views,
    stackTags: new Map(),
    getConfig: () => config,
    notApplicable,
  } as unknown as StackValidationArgs;
  void policy.validateStack(args, (message, urn) => found.push({ urn: urn ?? "", message }));
  return found;
}

/** Any rule on these resources: a resource rule on each, a stack rule on all; the messages it reports. */
export function runRule(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: FakeResource[],
  config: object = {},
): string[] {
  return "validateResource" in policy
    ? resources.flatMap((r) => runResourceRule(policy as ResourceValidationPolicy, r, config))
    : runStackRule(policy as StackValidationPolicy, resources, config).map((f) => f.message);
}
