import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import { Exemption, exemptionFor, exemptionsSchema, nameOfUrn } from "./exemptions";
import type { TypeMatcher } from "./resourceTypes";
import { StackGraph } from "./stackGraph";

/** What every rule declares: the metadata the reports and the README are built from. */
export interface RuleInfo {
  /** kebab-case, stable: pipelines and exemptions refer to it. */
  readonly name: string;
  /** One sentence. */
  readonly description: string;
  readonly severity: Severity;
  readonly enforcementLevel: EnforcementLevel;
  /** How to fix a violation. */
  readonly remediationSteps: string;
  /** Tunable settings besides `exemptions`. */
  readonly config?: PolicyConfigSchema["properties"];
  /** The rule's section of the pack's README, which `npm run docs` writes from here (Markdown). */
  readonly docs: RuleDocs;
}

export interface RuleDocs {
  /** What breaks, and for whom: the troubleshooting case or the hardening it enforces. */
  readonly why: string;
  /** What the rule looks at and what it wants to see. */
  readonly checks: string;
  /** Its settings, when it has any. */
  readonly config?: string;
  /** What a user does about a violation. */
  readonly fix: string;
}

export interface RuleConfig {
  readonly exemptions?: Exemption[];
}

/** A resource as a rule sees it. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

/** A resource of the whole stack, with its relations. */
export interface StackResourceView extends ResourceView {
  readonly parentUrn?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface StackFinding {
  readonly urn: string;
  readonly message: string;
}

function configSchema(info: RuleInfo): PolicyConfigSchema {
  return { properties: { exemptions: exemptionsSchema, ...info.config } };
}

function metadata(info: RuleInfo) {
  return {
    name: info.name,
    description: info.description,
    severity: info.severity,
    enforcementLevel: info.enforcementLevel,
    remediationSteps: info.remediationSteps,
    configSchema: configSchema(info),
  };
}

function reportUnlessExempt(report: ReportViolation, config: RuleConfig, urn: string, message: string, now: Date): void {
  const verdict = exemptionFor(config.exemptions, urn, nameOfUrn(urn), now);
  if (verdict.kind === "exempt") return;
  const suffix =
    verdict.kind === "expired"
      ? ` The exemption for '${verdict.exemption.resource}' expired on ${verdict.exemption.expires} and no longer applies: fix the resource or renew the exemption with a new justification.`
      : "";
  report(message + suffix, urn);
}

/** Clock for exemption expiry; tests replace it. */
export const clock = { now: (): Date => new Date() };

/** The types each resource rule checks; a resource of any other type gets nothing from it. */
const typesOfRule = new WeakMap<ResourceValidationPolicy, TypeMatcher>();
const infoOfRule = new WeakMap<ResourceValidationPolicy | StackValidationPolicy, RuleInfo & { kind: "resource" | "stack" }>();

/** What a rule made here says about itself, and whether it checks one resource or the whole stack (for its docs). */
export function ruleInfoOf(policy: ResourceValidationPolicy | StackValidationPolicy) {
  return infoOfRule.get(policy);
}

/** The types a resource rule applies to; undefined for a policy not made by {@link resourceRule}. */
export function typesCheckedBy(policy: ResourceValidationPolicy): TypeMatcher | undefined {
  return typesOfRule.get(policy);
}

export function resourceRule<C extends RuleConfig = RuleConfig>(
  info: RuleInfo,
  appliesTo: TypeMatcher,
  check: (resource: ResourceView, config: C) => string[],
): ResourceValidationPolicy {
  const policy: ResourceValidationPolicy = {
    ...metadata(info),
    validateResource: (args, report) => {
      if (!appliesTo(args.type)) return;
      const config = args.getConfig<C>();
      const view: ResourceView = { type: args.type, name: args.name, urn: args.urn, props: args.props };
      for (const message of check(view, config)) reportUnlessExempt(report, config, args.urn, message, clock.now());
    },
  };
  typesOfRule.set(policy, appliesTo);
  infoOfRule.set(policy, { ...info, kind: "resource" });
  return policy;
}

export function stackRule<C extends RuleConfig = RuleConfig>(
  info: RuleInfo,
  check: (graph: StackGraph, config: C) => StackFinding[],
): StackValidationPolicy {
  const policy: StackValidationPolicy = {
    ...metadata(info),
    validateStack: (args, report) => {
      const config = args.getConfig<C>();
      const views: StackResourceView[] = args.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        parentUrn: r.parent?.urn,
        dependencies: r.dependencies.map((d) => d.urn),
        propertyDependencies: Object.fromEntries(
          Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)]),
        ),
      }));
      // One graph per stack check: every stack rule reads the resources through it.
      for (const finding of check(new StackGraph(views), config))
        reportUnlessExempt(report, config, finding.urn, finding.message, clock.now());
    },
  };
  infoOfRule.set(policy, { ...info, kind: "stack" });
  return policy;
}
