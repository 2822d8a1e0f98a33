import * as fs from "node:fs";
import * as path from "node:path";
import { stackNameProblem } from "./cli";
import { readYamlFile } from "./readFiles";
import { shownPath } from "./projectRoot";
import { nearest } from "../../config/readerKit";

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
    parsed = readYamlFile(file, "the stack file");
  } catch (error) {
    throw new StackFileError((error as Error).message);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) throw new StackFileError(`${shownPath(file)} must be a YAML mapping.`);
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

/** The keys a `Pulumi.<stack>.yaml` may hold (Pulumi's project-stack schema). */
const STACK_FILE_KEYS = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/**
 * Pulumi reads `{ secure: "v1:…" }` — a mapping with that one key — as an encrypted value; a
 * mapping with more keys is a plain object to it, and a `secure` that is not encrypted text is no
 * secret at all. Both would leave a secret, or a broken value, where a secret should be.
 */
function secureProblem(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v) || !("secure" in v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length > 1)
    return `holds 'secure' beside other keys (${keys
      .filter((k) => k !== "secure")
      .slice(0, 3)
      .map((k) => k.slice(0, 30))
      .join(", ")}): Pulumi reads that as a plain object, not a secret; keep only secure`;
  const text = (v as { secure: unknown }).secure;
  // Ciphertext as the secrets providers write it: `v1:…` (passphrase) or base64 (Pulumi Cloud, KMS).
  if (typeof text !== "string" || !/^\S{8,}$/.test(text))
    return "has a 'secure' value that is not encrypted text as `pulumi config set --secret` writes it";
  return undefined;
}

const isSecure = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v) && "secure" in v;

/** Every `secure` mapping inside a config value, by path, with what is wrong with it, if anything. */
function secureValues(v: unknown, where: string): { where: string; problem?: string }[] {
  if (isSecure(v)) return [{ where, problem: secureProblem(v) }];
  if (Array.isArray(v)) return v.flatMap((item, i) => secureValues(item, `${where}[${i}]`));
  if (typeof v === "object" && v !== null) return Object.entries(v).flatMap(([k, item]) => secureValues(item, `${where}.${k}`));
  return [];
}

/** What is wrong with a stack file's shape, all at once: unknown top-level keys, a config that is no mapping, broken secrets. */
function stackFileProblems(file: string, doc: Record<string, unknown>, fullKey: (k: string) => string): string[] {
  const problems: string[] = [];
  for (const k of Object.keys(doc)) {
    if (STACK_FILE_KEYS.includes(k)) continue;
    const meant = nearest(k, STACK_FILE_KEYS);
    problems.push(
      `'${k.slice(0, 40)}' is not a key of a stack file${meant ? `; did you mean '${meant}'?` : ""} (keys: ${STACK_FILE_KEYS.join(", ")})`,
    );
  }
  const config = doc.config;
  if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) {
    problems.push("config must be a mapping of settings (key: value), not a single value or a list");
  } else if (config) {
    for (const [k, v] of Object.entries(config))
      for (const { where, problem } of secureValues(v, fullKey(k))) if (problem) problems.push(`${where} ${problem}`);
  }
  const env = doc.environment;
  if (
    env !== undefined &&
    env !== null &&
    typeof env !== "string" &&
    !(Array.isArray(env) && env.every((e) => typeof e === "string"))
  )
    problems.push("environment must be a list of ESC environment names");
  return problems.map((p) => `${shownPath(file)}: ${p}.`);
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
  const problems = stackFileProblems(stackFile, stackDoc, fullKey);
  if (problems.length > 0)
    throw new StackFileError(
      `Invalid stack file (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`,
    );

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
    if (secureValues(v, key).length > 0) {
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
