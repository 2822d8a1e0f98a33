import * as pulumi from "@pulumi/pulumi";
import type { AnalyzerResource } from "../policy/policyAnalyzer";
import type { ProgramRecording } from "../mocks/mockRuntime";
import { mapPropertyValue } from "../shared/propertyValues";

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
