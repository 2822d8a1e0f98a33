import * as pulumi from "@pulumi/pulumi";
import type { AnalyzerResource } from "./policyAnalyzer";

/** Pulumi's wire-format markers. */
const SIG = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const UNKNOWN = pulumi.runtime.unknownValue;

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

const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"; // pulumi.runtime's specialOutputValueSig
const ASSET_SIGS = new Set<string>([pulumi.runtime.specialAssetSig, pulumi.runtime.specialArchiveSig]);

/** What reading an export found besides the resources, for the report to say. */
export interface StackExportNotes {
  /** `resource.property` paths stored encrypted: present, but no rule could check them. */
  readonly encryptedProperties: string[];
  /** Plain sentences: entries skipped, values converted. */
  readonly notes: string[];
}

interface Walk extends StackExportNotes {
  converted: { resourceRefs: number; outputValues: number; assets: number };
}

/**
 * Turns a state value into what the analyzer accepts. State secrets are either encrypted
 * (`ciphertext`: present but unreadable here) or, with `pulumi stack export --show-secrets`, in
 * `plaintext` (JSON-encoded); both stay secrets. Resource references become the referenced
 * resource's id (or URN), output values their value, assets and archives a description — what the
 * engine hands an analyzer that does not take those kinds — since the policy SDK rejects them
 * ("Unrecognized signature") and no rule reads them. Its depth is bounded where the export is read
 * (readJsonFile refuses more than MAX_NESTING levels), so the recursion here cannot overflow.
 */
function fromState(value: unknown, where: string, walk: Walk): unknown {
  if (Array.isArray(value)) return value.map((v, i) => fromState(v, `${where}[${i}]`, walk));
  if (typeof value !== "object" || value === null) return value;
  const obj = value as Record<string, unknown>;
  const sig = obj[SIG];
  if (sig === SECRET_SIG) {
    if (typeof obj.plaintext === "string") {
      let inner: unknown = obj.plaintext;
      try {
        inner = JSON.parse(obj.plaintext);
      } catch {
        // A plaintext that is not JSON is kept as the string it is.
      }
      return { [SIG]: SECRET_SIG, value: fromState(inner, where, walk) };
    }
    if ("value" in obj) return { [SIG]: SECRET_SIG, value: fromState(obj.value, where, walk) };
    // Encrypted: the rules cannot see it, so it is handed over as "not known", which they skip
    // rather than misread. `pulumi stack export --show-secrets` lets them check it.
    walk.encryptedProperties.push(where);
    return { [SIG]: SECRET_SIG, value: UNKNOWN };
  }
  if (sig === RESOURCE_SIG) {
    walk.converted.resourceRefs++;
    return typeof obj.id === "string" && obj.id !== "" ? obj.id : typeof obj.urn === "string" ? obj.urn : UNKNOWN;
  }
  if (sig === OUTPUT_VALUE_SIG) {
    walk.converted.outputValues++;
    const inner = "value" in obj ? fromState(obj.value, where, walk) : UNKNOWN;
    return obj.secret === true ? { [SIG]: SECRET_SIG, value: inner } : inner;
  }
  if (typeof sig === "string" && ASSET_SIGS.has(sig)) {
    walk.converted.assets++;
    return `[${sig === pulumi.runtime.specialAssetSig ? "asset" : "archive"}${typeof obj.hash === "string" ? ` ${obj.hash.slice(0, 16)}` : ""}]`;
  }
  if (sig !== undefined) {
    throw new StackExportError(
      `${where} holds a value of a kind this tool does not know (an unknown Pulumi signature; it is not shown).`,
    );
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fromState(v, where ? `${where}.${k}` : k, walk)]));
}

/**
 * The resources of a `pulumi stack export` file. A rule sees what the program declared (inputs)
 * over what Azure reported (outputs): Azure does not return credentials on read, so outputs
 * alone would hide them, while ids and names only exist in outputs.
 */
export function resourcesFromStackExport(exported: unknown): AnalyzerResource[] {
  return readStackExport(exported).resources;
}

/** The newest `pulumi stack export` format this tool knows. */
export const SUPPORTED_EXPORT_VERSION = 3;

export function readStackExport(exported: unknown): StackExportNotes & { resources: AnalyzerResource[] } {
  const deployment = (exported as { deployment?: { resources?: unknown } } | null)?.deployment;
  if (deployment !== undefined && (typeof deployment !== "object" || deployment === null || Array.isArray(deployment))) {
    throw new StackExportError("not a `pulumi stack export` file: expected deployment to be an object.");
  }
  const entries = deployment?.resources;
  const version = (exported as { version?: unknown }).version;
  // Pulumi's export format is version 3 (checkpoint versions 1-3); a later one may mean other fields.
  const versionNote =
    typeof version === "number" && (version < 1 || version > SUPPORTED_EXPORT_VERSION)
      ? [
          `the export says version ${version}; this tool reads versions 1-${SUPPORTED_EXPORT_VERSION}, so some fields may be misread.`,
        ]
      : [];
  if (deployment !== undefined && entries === undefined) {
    // An empty stack exports `deployment` without `resources`.
    return { resources: [], encryptedProperties: [], notes: [...versionNote, "the export holds no resources (an empty stack)."] };
  }
  if (!Array.isArray(entries)) {
    throw new StackExportError("not a `pulumi stack export` file: expected deployment.resources to be a list.");
  }
  const walk: Walk = {
    encryptedProperties: [],
    notes: [...versionNote],
    converted: { resourceRefs: 0, outputValues: 0, assets: 0 },
  };
  let malformed = 0;
  const resources: AnalyzerResource[] = [];
  for (const entry of entries as unknown[]) {
    const r = entry as ExportedResource | null;
    if (r === null || typeof r !== "object" || typeof r.urn !== "string" || typeof r.type !== "string") {
      malformed++;
      continue;
    }
    if (r.delete || r.type.startsWith("pulumi:providers:")) continue;
    const name = r.urn.split("::").pop() ?? r.urn;
    const props = (v: unknown) =>
      typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    resources.push({
      urn: r.urn,
      type: r.type,
      name,
      properties: fromState({ ...props(r.outputs), ...props(r.inputs) }, name, walk) as Record<string, unknown>,
      parent: typeof r.parent === "string" ? r.parent : undefined,
      dependencies: Array.isArray(r.dependencies) ? r.dependencies.filter((d) => typeof d === "string") : [],
      propertyDependencies: Object.fromEntries(
        Object.entries(props(r.propertyDependencies))
          .filter((e): e is [string, unknown[]] => Array.isArray(e[1]))
          .map(([k, urns]) => [k, urns.filter((u): u is string => typeof u === "string")]),
      ),
      additionalSecretOutputs: Array.isArray(r.additionalSecretOutputs)
        ? r.additionalSecretOutputs.filter((k) => typeof k === "string")
        : [],
    });
  }
  const { resourceRefs, outputValues, assets } = walk.converted;
  if (malformed > 0)
    walk.notes.push(
      `${malformed} entr${malformed === 1 ? "y" : "ies"} of deployment.resources skipped: null or without a urn and type.`,
    );
  if (resourceRefs > 0)
    walk.notes.push(
      `${resourceRefs} resource reference${resourceRefs === 1 ? "" : "s"} checked as the referenced resource's id.`,
    );
  if (outputValues > 0)
    walk.notes.push(
      `${outputValues} output value${outputValues === 1 ? "" : "s"} checked as their value (not known where the state has none).`,
    );
  if (assets > 0)
    walk.notes.push(
      `${assets} asset${assets === 1 ? "" : "s"} or archive${assets === 1 ? "" : "s"} not checked (no rule reads them).`,
    );
  if (resources.length === 0) walk.notes.push("the export holds no resources to check.");
  return { resources, encryptedProperties: walk.encryptedProperties, notes: walk.notes };
}
