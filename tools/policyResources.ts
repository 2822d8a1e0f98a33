import * as pulumi from "@pulumi/pulumi";
import type { AnalyzerResource } from "./policyAnalyzer";
import type { ProgramRecording } from "./mockRuntime";
import { mapPropertyValue } from "./propertyValues";

/** Pulumi's wire-format markers. */
const SIG = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const UNKNOWN = pulumi.runtime.unknownValue;

/** Values as the analyzer expects them: unknowns as the engine's sentinel, secrets as signature objects. */
function toWire(value: unknown): unknown {
  return mapPropertyValue(value, { secret: (inner) => ({ [SIG]: SECRET_SIG, value: inner }), unknown: UNKNOWN });
}

// The serialized dynamic provider is code, not configuration; no rule reads it.
const ENGINE_ONLY = new Set(["__provider"]);

/** The resources of an offline plan, as `pulumi preview` would hand them to the analyzer. */
export function resourcesFromRecording(recording: ProgramRecording): AnalyzerResource[] {
  return recording.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    properties: toWire(Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !ENGINE_ONLY.has(k)))) as Record<
      string,
      unknown
    >,
    parent: r.parent,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    additionalSecretOutputs: r.additionalSecretOutputs,
  }));
}

interface ExportedResource {
  urn: string;
  type: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  delete?: boolean;
}

export class StackExportError extends Error {}

/**
 * State secrets are either encrypted (`ciphertext`: present but unreadable here) or, with
 * `pulumi stack export --show-secrets`, in `plaintext` (JSON-encoded). Both stay secrets.
 */
function fromState(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromState);
  if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    if (obj[SIG] === SECRET_SIG) {
      if (typeof obj.plaintext === "string") {
        let inner: unknown = obj.plaintext;
        try {
          inner = JSON.parse(obj.plaintext);
        } catch {
          // A plaintext that is not JSON is kept as the string it is.
        }
        return { [SIG]: SECRET_SIG, value: fromState(inner) };
      }
      // Encrypted: the rules cannot see it, so it is handed over as "not known", which they skip
      // rather than misread. `pulumi stack export --show-secrets` lets them check it.
      return { [SIG]: SECRET_SIG, value: UNKNOWN };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fromState(v)]));
  }
  return value;
}

/**
 * The resources of a `pulumi stack export` file. A rule sees what the program declared (inputs)
 * over what Azure reported (outputs): Azure does not return credentials on read, so outputs
 * alone would hide them, while ids and names only exist in outputs.
 */
export function resourcesFromStackExport(exported: unknown): AnalyzerResource[] {
  const deployment = (exported as { deployment?: { resources?: unknown } })?.deployment;
  const resources = deployment?.resources;
  if (!Array.isArray(resources)) {
    throw new StackExportError("not a `pulumi stack export` file: expected deployment.resources to be a list.");
  }
  return (resources as ExportedResource[])
    .filter(
      (r) => typeof r.urn === "string" && typeof r.type === "string" && !r.delete && !r.type.startsWith("pulumi:providers:"),
    )
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.urn.split("::").pop() ?? r.urn,
      properties: fromState({ ...(r.outputs ?? {}), ...(r.inputs ?? {}) }) as Record<string, unknown>,
      parent: r.parent,
      dependencies: r.dependencies ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
      additionalSecretOutputs: r.additionalSecretOutputs ?? [],
    }));
}
