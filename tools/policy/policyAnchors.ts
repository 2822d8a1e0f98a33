import * as fs from "node:fs";
import * as path from "node:path";
import { stackNameProblem } from "../shared/cli";
import { pathBelow } from "../shared/projectRoot";

/**
 * Where in the repository a policy finding points, for code scanning: GitHub tracks an alert by
 * the text of the line it is anchored at, so each finding is anchored at the stack-file line of
 * the config key that causes it (`acs-notifications:apns` for APNs findings), and an alert then
 * survives unrelated edits and annotates the pull request that changes that line.
 */
export interface Anchor {
  /** Repository-relative path of a file that exists. */
  readonly file: string;
  readonly line: number;
  /** The line's text, from which fingerprints are computed as GitHub would. */
  readonly text: string;
}

/** The config key behind each rule's findings; rules about what the program builds have none. */
export const RULE_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  "apns-token-auth-required": ["apns"],
  "apns-endpoint-matches-environment": ["apns"],
  "fcm-v1-required": ["fcm", "fcmServiceAccountJson"],
  "hub-has-platform-credentials": ["apns", "fcm"],
  "eventgrid-acs-subscription-resilient": ["delivery", "eventTypes"],
  "eventgrid-function-one-event-per-batch": ["delivery"],
  "function-app-hardened": ["delivery"],
  "function-no-plaintext-hub-connection-string": ["delivery"],
  "no-duplicate-chat-push": ["chatPush", "delivery"],
};

// A stack's resources are named from its prefix: the stable anchor of findings with no key of their own.
const FALLBACK_KEYS = ["namePrefix"];

/** Top-level config keys of a stack file and their lines (1-based). */
export function configKeyLines(stackFileText: string): Map<string, { line: number; text: string }> {
  const found = new Map<string, { line: number; text: string }>();
  stackFileText.split("\n").forEach((text, i) => {
    const key = /^ {2}(?:"|')?([A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+)(?:"|')?:/.exec(text)?.[1];
    if (key && !found.has(key)) found.set(key, { line: i + 1, text });
  });
  return found;
}

/** The lines of the rules' sections in policies/README.md, for findings with no stack file to point at. */
export function ruleHeadingLines(readmeText: string): Map<string, { line: number; text: string }> {
  const found = new Map<string, { line: number; text: string }>();
  readmeText.split("\n").forEach((text, i) => {
    const rule = /^### ([a-z0-9-]+)\s*$/.exec(text)?.[1];
    if (rule) found.set(rule, { line: i + 1, text });
  });
  return found;
}

/**
 * An anchor for every rule: the rule's config key in the stack file, else the stack's name prefix,
 * else the `config:` line; with no stack file in the repository (a state audit of a stack created
 * elsewhere), the rule's section of policies/README.md.
 */
export function anchorsFor(
  rules: readonly string[],
  namespace: string,
  stackFile: { path: string; text: string } | undefined,
  readme: { path: string; text: string },
): Record<string, Anchor> {
  const anchors: Record<string, Anchor> = {};
  const keys = stackFile ? configKeyLines(stackFile.text) : undefined;
  const configLine = stackFile?.text.split("\n").findIndex((l) => /^config:\s*$/.test(l));
  const headings = ruleHeadingLines(readme.text);
  for (const rule of rules) {
    const candidates = [...(RULE_CONFIG_KEYS[rule] ?? []), ...FALLBACK_KEYS].map((k) => `${namespace}:${k}`);
    const hit = keys && candidates.map((k) => keys.get(k)).find((x) => x !== undefined);
    if (stackFile && hit) anchors[rule] = { file: stackFile.path, ...hit };
    else if (stackFile && configLine !== undefined && configLine >= 0)
      anchors[rule] = { file: stackFile.path, line: configLine + 1, text: stackFile.text.split("\n")[configLine] };
    else {
      const heading = headings.get(rule) ?? { line: 1, text: readme.text.split("\n")[0] ?? "" };
      anchors[rule] = { file: readme.path, ...heading };
    }
  }
  return anchors;
}

/** Reads the files {@link anchorsFor} needs from the project (`stackDir` holds the stack file). */
export function projectAnchors(
  rules: readonly string[],
  namespace: string,
  projectRoot: string,
  stackDir: string,
  stack: string,
): Record<string, Anchor> {
  const stackPath = path.join(stackDir, `Pulumi.${stack}.yaml`);
  // The stack name may come from an export's URNs: never let it name a file elsewhere.
  const stackFile =
    !stackNameProblem(stack) && fs.existsSync(stackPath)
      ? { path: repositoryPath(projectRoot, stackPath), text: fs.readFileSync(stackPath, "utf8") }
      : undefined;
  const readmePath = path.join(projectRoot, "policies", "README.md");
  return anchorsFor(rules, namespace, stackFile, { path: "policies/README.md", text: fs.readFileSync(readmePath, "utf8") });
}

/** A path as code scanning wants it: relative to the repository, forward slashes. */
function repositoryPath(projectRoot: string, file: string): string {
  return pathBelow(projectRoot, file) ?? path.basename(file);
}
