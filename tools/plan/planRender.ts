import * as path from "node:path";
import { mapPropertyValue } from "../shared/propertyValues";
import type { ProgramOutput, ProgramRecording, RegisteredResource } from "../mocks/mockRuntime";
import { PROJECT_ROOT } from "../shared/projectRoot";
import { DYNAMIC_TYPE_NAMES, dynamicTypeToken } from "../../components/resourceTypes";

export type PlanOutput = ProgramOutput;

/** What a reviewer must know about a resource that its inputs do not show. */
export const RESOURCE_NOTES: Readonly<Record<string, string>> = {
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.notificationHubLink)]:
    "ARM has no unlink: destroying or replacing this leaves ACS linked to the hub until it is linked elsewhere or the hub or its rule is deleted",
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.hubKeySecret)]:
    "the deploying identity reads the rule's key and writes it into the vault during the deploy; the plan and the state hold only the secret's URI",
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.vaultNameSuffix)]:
    "a random suffix drawn when the vault is created: a new vault never takes a soft-deleted one's name, so nothing is purged",
};

// Inputs the engine adds or that only make noise in a plan.
const HIDDEN_INPUTS = new Set(["__provider"]);
const SECRET = "[secret]";
// As `pulumi preview` says of what a new stack cannot know yet.
const UNKNOWN = "(known after deploy)";

/** A path on this machine, as a reader of the plan elsewhere can use it: relative to the project. */
function withoutLocalPath(text: string): string {
  return text.split(PROJECT_ROOT + path.sep).join("");
}

/** A value as the plan shows it: secrets and unknowns replaced, never revealed; no local paths. */
export function displayValue(value: unknown): unknown {
  const shown = mapPropertyValue(value, { secret: () => SECRET, unknown: UNKNOWN });
  return JSON.parse(withoutLocalPath(JSON.stringify(shown) ?? "null")) as unknown;
}

function visibleInputs(resource: RegisteredResource): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource.inputs)) {
    if (!HIDDEN_INPUTS.has(k) && v !== undefined) shown[k] = displayValue(v);
  }
  return shown;
}

const INLINE_WIDTH = 100;

/**
 * A value on one line when it is short, else pretty-printed over several lines: a plan is read to
 * review settings (siteConfig, the Event Grid destination, dead-lettering), so nothing is cut.
 */
function valueLines(value: unknown, pad: string): string[] {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  if (text.length <= INLINE_WIDTH || typeof value === "string") return [text];
  return JSON.stringify(value, null, 2)
    .split("\n")
    .map((line, i) => (i === 0 ? line : `${pad}${line}`));
}

/** Resources after their dependencies and parents, otherwise in registration order (a stable topological sort). */
export function creationOrder(resources: readonly RegisteredResource[]): RegisteredResource[] {
  const known = new Set(resources.map((r) => r.urn));
  const placed = new Set<string>();
  const ordered: RegisteredResource[] = [];
  const waitsFor = (r: RegisteredResource) => [...r.dependencies, ...(r.parent ? [r.parent] : [])].filter((u) => known.has(u));
  while (ordered.length < resources.length) {
    const ready = resources.find((r) => !placed.has(r.urn) && waitsFor(r).every((u) => placed.has(u)));
    // A cycle cannot come from the engine; should one appear, the rest keep registration order.
    const next = ready ?? resources.find((r) => !placed.has(r.urn))!;
    placed.add(next.urn);
    ordered.push(next);
  }
  return ordered;
}

interface Plan {
  readonly recording: ProgramRecording;
  readonly outputs: PlanOutput[];
  readonly opaqueSecrets: { key: string; source: string }[];
}

export function renderPlanText(stack: string, plan: Plan): string {
  const { resources } = plan.recording;
  const lines: string[] = [`Plan for stack '${stack}' — offline, under Pulumi's mock runtime; nothing is deployed.`, ""];
  if (plan.opaqueSecrets.length > 0) {
    lines.push("Secrets present but not readable offline (format checked by `pulumi up`):");
    for (const s of plan.opaqueSecrets) lines.push(`  ${s.key}: ${s.source}`);
    lines.push("");
  }
  // The project's own providers (the link, the code deployment, the name suffix) are resources of
  // the plan, but not Azure resources: counted apart.
  const dynamic = resources.filter((r) => r.custom && r.type.startsWith("pulumi-nodejs:dynamic:")).length;
  const azure = resources.filter((r) => r.custom).length - dynamic;
  lines.push(
    `Resources to create (${azure} Azure resources, ${dynamic} the project's own providers manage, ${resources.filter((r) => !r.custom).length} components):`,
  );
  const label = (urn: string) => {
    const r = plan.recording.byUrn(urn);
    return r ? `${r.name} (${r.type.split(":").pop()})` : urn;
  };
  // In creation order: a resource after everything it depends on and after its parent, ties in
  // the order the program registers them — the order `pulumi up` creates them in.
  for (const r of creationOrder(resources)) {
    lines.push(`  + ${r.type}  ${r.name}`);
    const parent = r.parent ? plan.recording.byUrn(r.parent) : undefined;
    if (parent) lines.push(`      in: ${label(parent.urn)}`);
    for (const [k, v] of Object.entries(visibleInputs(r))) {
      const [first, ...rest] = valueLines(v, "      ");
      lines.push(`      ${k}: ${first}`, ...rest);
    }
    if (r.additionalSecretOutputs.length > 0) lines.push(`      secret outputs: ${r.additionalSecretOutputs.join(", ")}`);
    if (r.dependencies.length > 0) lines.push(`      depends on: ${r.dependencies.map(label).join(", ")}`);
    if (RESOURCE_NOTES[r.type]) lines.push(`      note: ${RESOURCE_NOTES[r.type]}`);
  }
  lines.push("", "Outputs:");
  for (const o of plan.outputs) {
    const value = displayValue(o.value);
    const shown = o.secret ? SECRET : !o.known ? UNKNOWN : typeof value === "string" ? value : JSON.stringify(value);
    lines.push(`  ${o.name}: ${shown}`);
  }
  return lines.join("\n");
}

export function renderPlanJson(stack: string, plan: Plan): string {
  return JSON.stringify(
    {
      stack,
      opaqueSecrets: plan.opaqueSecrets,
      resources: creationOrder(plan.recording.resources).map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        custom: r.custom,
        inputs: visibleInputs(r),
        dependsOn: r.dependencies,
        secretOutputs: r.additionalSecretOutputs,
        ...(RESOURCE_NOTES[r.type] ? { note: RESOURCE_NOTES[r.type] } : {}),
      })),
      outputs: Object.fromEntries(
        plan.outputs.map((o) => [o.name, o.secret ? SECRET : !o.known ? UNKNOWN : (displayValue(o.value) ?? null)]),
      ),
    },
    null,
    2,
  );
}
