import { Exemption, exemptionProblems } from "../../policies/framework/exemptions";
import Ajv, { type ValidateFunction } from "ajv";
import { readJsonFile } from "../shared/readFiles";
import type { EnforcementLevel, PackInfo, PolicyConfig } from "./policyAnalyzer";

/**
 * The pack's configuration, in the JSON form `pulumi preview --policy-pack-config FILE` takes:
 * `{ "all": "advisory", "rule-name": "mandatory" | { "enforcementLevel": …, …settings } }`.
 * Checked against each rule's schema (as the CLI does) before anything runs.
 */
export class PolicyConfigError extends Error {}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export function readPolicyConfigFile(file: string): unknown {
  try {
    return readJsonFile(file, "the policy config");
  } catch (error) {
    throw new PolicyConfigError((error as Error).message);
  }
}

type SettingsSchema = PackInfo["rules"][number]["configSchema"];

// Ajv turns each schema into JavaScript it then compiles; a process that resolves configurations
// many times (a service evaluating one stack after another, the test suite) does that once per
// schema, not once per rule and run. Keyed by the schema's text: the pack's description arrives
// as new objects from every analyzer.
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

function settingsValidator(schema: SettingsSchema): ValidateFunction {
  const key = JSON.stringify([schema.properties, schema.required]);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({
      type: "object",
      properties: schema.properties,
      required: schema.required,
      // A misspelt setting (productionStack, enforcmentLevel, exemptons) is named, not ignored.
      additionalProperties: false,
    });
    validators.set(key, validate);
  }
  return validate;
}

/** Expands "all", normalizes string entries, and validates every rule's settings; all problems at once. */
export function resolvePolicyConfig(raw: unknown, pack: PackInfo, source = "policy config"): PolicyConfig {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new PolicyConfigError(`${source} must be a JSON object keyed by rule name.`);
  const problems: string[] = [];
  const entries = raw as Record<string, unknown>;
  const known = new Set(pack.rules.map((r) => r.name));
  const resolved: PolicyConfig = {};
  const normalize = (key: string, value: unknown): { enforcementLevel?: EnforcementLevel; [k: string]: unknown } | undefined => {
    if (typeof value === "string") {
      if (!LEVELS.includes(value as EnforcementLevel)) {
        problems.push(`${key}: enforcement level must be one of ${LEVELS.join(", ")}; got '${value}'.`);
        return undefined;
      }
      return { enforcementLevel: value as EnforcementLevel };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${key}: must be an enforcement level or an object of settings.`);
      return undefined;
    }
    const level = (value as { enforcementLevel?: unknown }).enforcementLevel;
    if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
      problems.push(`${key}.enforcementLevel: must be one of ${LEVELS.join(", ")}; got '${String(level)}'.`);
    }
    return value as { enforcementLevel?: EnforcementLevel };
  };
  const all = entries.all === undefined ? undefined : normalize("all", entries.all);
  for (const rule of pack.rules) {
    const own = entries[rule.name] === undefined ? undefined : normalize(rule.name, entries[rule.name]);
    const levelFromAll = typeof all?.enforcementLevel === "string" ? { enforcementLevel: all.enforcementLevel } : {};
    const merged = { enforcementLevel: rule.enforcementLevel, ...levelFromAll, ...own };
    resolved[rule.name] = merged;
  }
  for (const key of Object.keys(entries)) {
    if (key !== "all" && !known.has(key))
      problems.push(`${key}: no such rule in pack ${pack.name}; rules: ${[...known].join(", ")}.`);
  }
  for (const rule of pack.rules) {
    const { enforcementLevel: _level, ...settings } = resolved[rule.name];
    const validate = settingsValidator(rule.configSchema);
    if (!validate(settings)) {
      for (const e of validate.errors ?? []) {
        const at = `${rule.name}${e.instancePath.replace(/\//g, ".")}`;
        const extra = (e.params as { additionalProperty?: string }).additionalProperty;
        problems.push(
          extra !== undefined
            ? `${at}: '${extra.slice(0, 40)}' is not a setting of this rule; settings: ${["enforcementLevel", ...Object.keys(rule.configSchema.properties)].join(", ")}.`
            : `${at}: ${e.message}.`,
        );
      }
    } else if (Array.isArray(settings.exemptions)) {
      problems.push(...exemptionProblems(rule.name, settings.exemptions as Exemption[]));
    }
  }
  if (problems.length > 0)
    throw new PolicyConfigError(
      `Invalid ${source} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`,
    );
  return resolved;
}
