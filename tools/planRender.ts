import { mapPropertyValue } from "./propertyValues";
import type { ProgramRecording, RegisteredResource } from "./mockRuntime";

export interface PlanOutput {
  readonly name: string;
  readonly value: unknown;
  readonly secret: boolean;
  readonly known: boolean;
}

/** What a reviewer must know about a resource that its inputs do not show. */
export const RESOURCE_NOTES: Readonly<Record<string, string>> = {
  "pulumi-nodejs:dynamic:NotificationHubLink":
    "ARM has no unlink: destroying or replacing this leaves ACS linked to the hub until it is linked elsewhere or the hub or its rule is deleted",
  "pulumi-nodejs:dynamic:DeletedVaultPurge":
    "purges a soft-deleted vault of the same name first, only if it was this stack's own and has no purge protection",
};

// Inputs the engine adds or that only make noise in a plan.
const HIDDEN_INPUTS = new Set(["__provider"]);
const SECRET = "[secret]";
const UNKNOWN = "[unknown until deployed]";

/** A value as the plan shows it: secrets and unknowns replaced, never revealed. */
export function displayValue(value: unknown): unknown {
  return mapPropertyValue(value, { secret: () => SECRET, unknown: UNKNOWN });
}

function visibleInputs(resource: RegisteredResource): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource.inputs)) {
    if (!HIDDEN_INPUTS.has(k) && v !== undefined) shown[k] = displayValue(v);
  }
  return shown;
}

function inline(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
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
  lines.push(
    `Resources to create (${resources.filter((r) => r.custom).length} Azure resources, ${resources.filter((r) => !r.custom).length} components):`,
  );
  const label = (urn: string) => {
    const r = plan.recording.byUrn(urn);
    return r ? `${r.name} (${r.type.split(":").pop()})` : urn;
  };
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of resources.filter((x) => x.parent === parent)) {
      const pad = "  ".repeat(depth);
      lines.push(`${pad}+ ${r.type}  ${r.name}`);
      for (const [k, v] of Object.entries(visibleInputs(r))) lines.push(`${pad}    ${k}: ${inline(v)}`);
      if (r.additionalSecretOutputs.length > 0) lines.push(`${pad}    secret outputs: ${r.additionalSecretOutputs.join(", ")}`);
      if (r.dependencies.length > 0) lines.push(`${pad}    depends on: ${r.dependencies.map(label).join(", ")}`);
      if (RESOURCE_NOTES[r.type]) lines.push(`${pad}    note: ${RESOURCE_NOTES[r.type]}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 1);
  lines.push("", "Outputs:");
  for (const o of plan.outputs) {
    const shown = o.secret ? SECRET : !o.known ? UNKNOWN : typeof o.value === "string" ? o.value : JSON.stringify(o.value);
    lines.push(`  ${o.name}: ${shown}`);
  }
  return lines.join("\n");
}

export function renderPlanJson(stack: string, plan: Plan): string {
  return JSON.stringify(
    {
      stack,
      opaqueSecrets: plan.opaqueSecrets,
      resources: plan.recording.resources.map((r) => ({
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
      outputs: Object.fromEntries(plan.outputs.map((o) => [o.name, o.secret ? SECRET : !o.known ? UNKNOWN : (o.value ?? null)])),
    },
    null,
    2,
  );
}
