import * as fs from "node:fs";
import * as path from "node:path";
import { stackNameProblem } from "./cli";
import { readYamlFile } from "./readFiles";

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI hands them to a
 * program, for the offline tools (plan, policy) that run without the CLI.
 */
export interface StackFiles {
  readonly project: string;
  readonly stack: string;
  /** Full keys (`acs-notifications:location`) to their string form, as the runtime receives them. */
  readonly config: Record<string, string>;
  /** Full keys whose values are secrets. */
  readonly secretKeys: string[];
  /** Secret keys whose content this machine cannot see (encrypted, or from an ESC environment). */
  readonly opaqueKeys: string[];
  /** ESC environments the stack imports (`environment:`). */
  readonly environments: string[];
}

export class StackFileError extends Error {}

function readYaml(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = readYamlFile(file, path.basename(file));
  } catch (error) {
    throw new StackFileError((error as Error).message);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) throw new StackFileError(`${file} must be a YAML mapping.`);
  return parsed as Record<string, unknown>;
}

/** Stacks that have a committed `Pulumi.<stack>.yaml`, sorted. */
export function committedStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

const isSecure = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v) && "secure" in v;

function containsSecure(v: unknown): boolean {
  if (isSecure(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecure);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecure);
  return false;
}

function asConfigString(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

export function readStackFiles(root: string, stack: string): StackFiles {
  // The name becomes part of a file name: `../../x` must not read outside the project.
  const badName = stackNameProblem(stack);
  if (badName) throw new StackFileError(`${badName}.`);
  const projectFile = path.join(root, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) throw new StackFileError(`No Pulumi.yaml in ${root}.`);
  const projectDoc = readYaml(projectFile);
  const project = String(projectDoc.name ?? "");
  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    const known = committedStacks(root);
    throw new StackFileError(`No stack file Pulumi.${stack}.yaml; committed stacks: ${known.join(", ") || "none"}.`);
  }
  const stackDoc = readYaml(stackFile);
  const fullKey = (k: string) => (k.includes(":") ? k : `${project}:${k}`);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const opaqueKeys: string[] = [];

  // Project-level defaults first; the stack file overrides them.
  const projectConfig = (projectDoc.config ?? {}) as Record<string, unknown>;
  for (const [k, decl] of Object.entries(projectConfig)) {
    const value = typeof decl === "object" && decl !== null && "default" in decl ? (decl as { default: unknown }).default : decl;
    if (value !== undefined && (typeof value !== "object" || value === null || !("type" in value))) {
      config[fullKey(k)] = asConfigString(value);
    }
  }
  for (const [k, v] of Object.entries((stackDoc.config ?? {}) as Record<string, unknown>)) {
    const key = fullKey(k);
    if (containsSecure(v)) {
      // Encrypted with a key only the stack's secrets provider holds: present, unreadable.
      secretKeys.push(key);
      opaqueKeys.push(key);
      config[key] = "[secret]";
    } else {
      config[key] = asConfigString(v);
    }
  }
  const env = stackDoc.environment;
  const environments = Array.isArray(env) ? env.map(String) : typeof env === "string" ? [env] : [];
  return { project, stack, config, secretKeys, opaqueKeys, environments };
}
