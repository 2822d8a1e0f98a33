/**
 * The bootstrap's settings, validated in one pure function: every problem is reported at once,
 * each naming its key and what is expected, before anything is created. Values are never echoed
 * (a pasted token in the wrong key must not end up in a log).
 */
import { RESOURCE_GROUP_NAME } from "../azure/armResourceId";

export const NAMESPACE = "acs-notifications-bootstrap";

/** GitHub allows at most six reviewers (users and teams together) on an environment. */
export const MAX_REVIEWERS = 6;
/** GitHub's wait timer: 0 to 43,200 minutes (30 days). */
export const MAX_WAIT_TIMER_MINUTES = 43_200;

export interface Reviewers {
  /** GitHub logins. */
  readonly users: readonly string[];
  /** Team slugs in the repository's organization. */
  readonly teams: readonly string[];
}

export interface EnvironmentSettings {
  /** The GitHub environment and the stack of the same name. */
  readonly name: string;
  /** The resource group the stack deploys into (its `acs-notifications:existingResourceGroup`). */
  readonly resourceGroup: string;
  readonly reviewers: Reviewers;
  readonly waitTimerMinutes: number;
  /** Whether the person who started a deployment may approve it. */
  readonly preventSelfReview: boolean;
  /** ARM id of the Key Vault the stack's ESC environment reads secrets from; a reader identity is made for it. */
  readonly escSecretsVault?: string;
}

export interface BootstrapConfig {
  readonly owner: string;
  readonly repository: string;
  readonly location: string;
  /** Where the workflow identities live (not in an environment's group: a stack must not be able to delete them). */
  readonly identityResourceGroup: string;
  /** The `PULUMI_ORG` repository variable: the Pulumi Cloud organization, or `organization` for a self-managed backend. */
  readonly pulumiOrganization: string;
  readonly environments: readonly EnvironmentSettings[];
}

export type RawConfig = Record<string, unknown>;

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const LOCATION = /^[a-z][a-z0-9]{1,49}$/;
const ENVIRONMENT = /^[a-z0-9][a-z0-9-]{0,29}$/;
const GITHUB_LOGIN = OWNER;
const TEAM_SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;
const PULUMI_ORGANIZATION = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const KEY_VAULT_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/[A-Za-z0-9-]{3,24}$/i;

const KNOWN_KEYS = ["repository", "location", "identityResourceGroup", "pulumiOrganization", "environments"];
const ENVIRONMENT_KEYS = ["resourceGroup", "reviewers", "waitTimerMinutes", "preventSelfReview", "escSecretsVault"];

const key = (name: string) => `${NAMESPACE}:${name}`;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function matched(problems: string[], name: string, value: unknown, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined) {
    problems.push(`${name} is required: ${expected}.`);
    return undefined;
  }
  if (typeof value !== "string" || !pattern.test(value)) {
    problems.push(`${name} must be ${expected}.`);
    return undefined;
  }
  return value;
}

/** `where` is the enclosing setting; `separator` is ":" for the namespace itself. */
function unknownKeys(
  problems: string[],
  where: string,
  obj: Record<string, unknown>,
  known: readonly string[],
  separator = ".",
): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) problems.push(`${where}${separator}${k} is not a setting (known: ${known.join(", ")}).`);
  }
}

function readNames(problems: string[], name: string, value: unknown, pattern: RegExp, expected: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${name} must be a list of ${expected}.`);
    return [];
  }
  const names: string[] = [];
  value.forEach((item, i) => {
    const v = matched(problems, `${name}[${i}]`, item, pattern, expected);
    if (v === undefined) return;
    if (names.some((n) => n.toLowerCase() === v.toLowerCase())) problems.push(`${name}[${i}] repeats an earlier entry.`);
    else names.push(v);
  });
  return names;
}

function readReviewers(problems: string[], name: string, value: unknown): Reviewers {
  if (value === undefined) return { users: [], teams: [] };
  if (!isRecord(value)) {
    problems.push(`${name} must be a mapping with users (GitHub logins) and/or teams (team slugs).`);
    return { users: [], teams: [] };
  }
  unknownKeys(problems, name, value, ["users", "teams"]);
  const users = readNames(problems, `${name}.users`, value.users, GITHUB_LOGIN, "GitHub logins");
  const teams = readNames(problems, `${name}.teams`, value.teams, TEAM_SLUG, "team slugs (lower case, as in the team's URL)");
  if (users.length + teams.length > MAX_REVIEWERS) {
    problems.push(
      `${name} names ${users.length + teams.length} reviewers; GitHub allows at most ${MAX_REVIEWERS} users and teams together.`,
    );
  }
  return { users, teams };
}

function readEnvironment(problems: string[], envName: string, value: unknown): EnvironmentSettings | undefined {
  const where = `${key("environments")}.${envName}`;
  if (!ENVIRONMENT.test(envName)) {
    problems.push(
      `${key("environments")} has an environment whose name is not a stack name: lower-case letters, digits and hyphens, at most 30.`,
    );
    return undefined;
  }
  if (!isRecord(value)) {
    problems.push(`${where} must be a mapping with at least resourceGroup.`);
    return undefined;
  }
  unknownKeys(problems, where, value, ENVIRONMENT_KEYS);
  const resourceGroup = matched(
    problems,
    `${where}.resourceGroup`,
    value.resourceGroup,
    RESOURCE_GROUP_NAME,
    "a resource group name (1–90 letters, digits, - _ . ( ), not ending in a period)",
  );
  const reviewers = readReviewers(problems, `${where}.reviewers`, value.reviewers);
  let waitTimerMinutes = 0;
  if (value.waitTimerMinutes !== undefined) {
    const w = value.waitTimerMinutes;
    if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > MAX_WAIT_TIMER_MINUTES) {
      problems.push(`${where}.waitTimerMinutes must be a whole number of minutes from 0 to ${MAX_WAIT_TIMER_MINUTES}.`);
    } else waitTimerMinutes = w;
  }
  let preventSelfReview = true;
  if (value.preventSelfReview !== undefined) {
    if (typeof value.preventSelfReview !== "boolean") problems.push(`${where}.preventSelfReview must be true or false.`);
    else preventSelfReview = value.preventSelfReview;
  }
  const escSecretsVault =
    value.escSecretsVault === undefined
      ? undefined
      : matched(
          problems,
          `${where}.escSecretsVault`,
          value.escSecretsVault,
          KEY_VAULT_ID,
          "the ARM id of a Key Vault (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>)",
        );
  if (resourceGroup === undefined) return undefined;
  return { name: envName, resourceGroup, reviewers, waitTimerMinutes, preventSelfReview, escSecretsVault };
}

/**
 * Validates the bootstrap's settings (`values`: the namespace's keys without the prefix, as
 * parsed objects). `stacks` are the main program's committed stacks: the environments must be
 * exactly those, since the workflows deploy each stack in the GitHub environment of its name.
 */
export function validateBootstrapConfig(
  values: RawConfig,
  stacks: readonly string[],
): { config: BootstrapConfig; problems: [] } | { config?: undefined; problems: string[] } {
  const problems: string[] = [];
  unknownKeys(problems, NAMESPACE, values, KNOWN_KEYS, ":");

  let owner: string | undefined;
  let repository: string | undefined;
  const repo = values.repository;
  if (repo === undefined) problems.push(`${key("repository")} is required: the GitHub repository as owner/name.`);
  else if (typeof repo !== "string" || repo.split("/").length !== 2) {
    problems.push(`${key("repository")} must be the GitHub repository as owner/name.`);
  } else {
    const [o, r] = repo.split("/");
    if (!OWNER.test(o))
      problems.push(
        `${key("repository")}: the owner must be a GitHub user or organization name (letters, digits, single hyphens, at most 39).`,
      );
    else owner = o;
    if (!REPOSITORY_NAME.test(r) || r === "." || r === "..") {
      problems.push(`${key("repository")}: the name must be a GitHub repository name (letters, digits, . _ -, at most 100).`);
    } else repository = r;
  }
  const location = matched(problems, key("location"), values.location, LOCATION, "an Azure region name such as westeurope");
  const identityResourceGroup = matched(
    problems,
    key("identityResourceGroup"),
    values.identityResourceGroup,
    RESOURCE_GROUP_NAME,
    "a resource group name (1–90 letters, digits, - _ . ( ), not ending in a period)",
  );
  const pulumiOrganization = matched(
    problems,
    key("pulumiOrganization"),
    values.pulumiOrganization,
    PULUMI_ORGANIZATION,
    "the Pulumi Cloud organization (or `organization` for a self-managed backend)",
  );

  const environments: EnvironmentSettings[] = [];
  const rawEnvironments = values.environments;
  if (!isRecord(rawEnvironments)) {
    problems.push(`${key("environments")} is required: a mapping from each stack (${stacks.join(", ")}) to its settings.`);
  } else {
    for (const [envName, envValue] of Object.entries(rawEnvironments)) {
      const env = readEnvironment(problems, envName, envValue);
      if (env) environments.push(env);
    }
    const named = Object.keys(rawEnvironments);
    const missing = stacks.filter((s) => !named.includes(s));
    const extra = named.filter((n) => ENVIRONMENT.test(n) && !stacks.includes(n));
    if (missing.length)
      problems.push(
        `${key("environments")} lacks ${missing.join(", ")}: every committed stack is deployed in the GitHub environment of its name.`,
      );
    if (extra.length)
      problems.push(`${key("environments")} names ${extra.join(", ")}, which no committed stack (Pulumi.<stack>.yaml) deploys.`);
    const prod = environments.find((e) => e.name === "prod");
    // (Unless prod's reviewers were already reported as wrong: one problem, one message.)
    const prodReviewersKey = `${key("environments")}.prod.reviewers`;
    const prodReviewersReported = problems.some((p) => p.startsWith(prodReviewersKey));
    if (prod && !prodReviewersReported && prod.reviewers.users.length + prod.reviewers.teams.length === 0) {
      problems.push(
        `${key("environments")}.prod.reviewers must name at least one user or team: deploy.yml waits for an approval before prod.`,
      );
    }
    const groups = new Map<string, string>();
    for (const e of environments) {
      const other = groups.get(e.resourceGroup.toLowerCase());
      if (other)
        problems.push(
          `${key("environments")}.${e.name}.resourceGroup is also ${other}'s: each environment needs its own, or one deploy identity could change another environment.`,
        );
      else groups.set(e.resourceGroup.toLowerCase(), e.name);
    }
    if (identityResourceGroup && groups.has(identityResourceGroup.toLowerCase())) {
      problems.push(
        `${key("identityResourceGroup")} must not be an environment's resource group: that environment's deploy identity could delete the identities.`,
      );
    }
  }

  if (problems.length || !owner || !repository || !location || !identityResourceGroup || !pulumiOrganization) {
    return { problems: problems.length ? problems : ["invalid configuration"] };
  }
  return {
    config: { owner, repository, location, identityResourceGroup, pulumiOrganization, environments },
    problems: [],
  };
}
