/**
 * The Azure roles the workflow identities hold, and why each is the narrowest that works.
 * The two custom roles are defined once, in `gitops/*.json` (so `az role definition create` can
 * use them without the bootstrap), and read from there.
 */
import { BUILT_IN_ROLES } from "../azure/roles";
import previewRoleFile from "../gitops/preview-role.json";
import vaultSecretsDeleteRoleFile from "../gitops/vault-secrets-delete-role.json";

/** Built-in role definition ids (the same in every tenant). */
export const WORKFLOW_ROLES = {
  /** Deployments create and change everything in their environment's resource group. */
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  /** …and the role assignments the stack makes there (limited by {@link roleAssignmentCondition}). */
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  /** The ESC environment's identity reads the stack's secrets from its Key Vault, nothing else. */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

/**
 * What the person who runs the bootstrap once holds on the subscription (docs/gitops.md): it
 * creates resource groups, identities, two custom roles and role assignments. Owner holds both.
 */
export const BOOTSTRAP_RUNNER_ROLES = {
  contributor: WORKFLOW_ROLES.contributor,
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
} as const;

export interface CustomRoleFile {
  readonly Name: string;
  readonly Description: string;
  readonly Actions: readonly string[];
  readonly NotActions: readonly string[];
  readonly DataActions: readonly string[];
  readonly NotDataActions: readonly string[];
}

export const PREVIEW_ROLE: CustomRoleFile = previewRoleFile;
export const VAULT_SECRETS_DELETE_ROLE: CustomRoleFile = vaultSecretsDeleteRoleFile;

/** The roles the main program assigns (to the push sender and the topic): all a deploy identity may grant. */
export const ROLES_THE_STACK_ASSIGNS: readonly string[] = Object.values(BUILT_IN_ROLES);

export function roleDefinitionId(subscriptionId: string, roleId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/**
 * An ABAC condition (version 2.0) for Role Based Access Control Administrator: the holder may
 * create and delete only assignments of `roleIds`, so a deployment cannot make itself (or
 * anything else) Owner of its resource group. The form is Azure's "constrain roles" template
 * ("Delegate Azure role assignment management to others with conditions").
 */
export function roleAssignmentCondition(roleIds: readonly string[]): string {
  if (roleIds.length === 0) throw new Error("roleAssignmentCondition needs at least one role.");
  const guids = [...roleIds].sort().join(", ");
  return (
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR ` +
    `(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${guids}})) AND ` +
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR ` +
    `(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${guids}}))`
  );
}

/** GitHub's OIDC issuer and the audience Azure expects in its tokens. */
export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
export const AZURE_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
/** Pulumi Cloud's OIDC issuer (ESC environments logging in to Azure). */
export const PULUMI_ISSUER = "https://api.pulumi.com/oidc";

/** The branch deployments and the drift check run from (deploy.yml, drift.yml). */
export const DEPLOY_BRANCH = "main";

/**
 * The GitHub environments of the read-only jobs. Code from a pull request reaches no production
 * secret and no credential that can change state or Azure: previews of a stack whose deployments
 * need a review run in `preview-<stack>`, which needs the same review (of the pull request's
 * code) before its job starts and alone holds the token that may read that stack; the daily
 * drift check runs in `drift`, deployable from the deploy branch only.
 */
export const READ_ONLY_ENVIRONMENTS = {
  drift: "drift",
  reviewedPreview: (stack: string) => `preview-${stack}`,
} as const;

/** The subjects GitHub puts in a job's token (its default subject claim), per the kind of job. */
export const githubSubjects = {
  /** A job that runs in a GitHub environment (`environment: <name>`): deployments, reviewed previews, the drift check. */
  environment: (owner: string, repo: string, env: string) => `repo:${owner}/${repo}:environment:${env}`,
  /** Any job of a pull_request run: the previews. */
  pullRequest: (owner: string, repo: string) => `repo:${owner}/${repo}:pull_request`,
};

/**
 * The subject of an ESC environment's token when it sets `subjectAttributes: [currentEnvironment.name]`
 * (esc/<stack>.yaml): stable however the stack opens it (pulumi/pulumi#14509).
 */
export function escSubject(organization: string, project: string, env: string): string {
  return `pulumi:environments:pulumi.organization.login:${organization}:currentEnvironment.name:${project}/${env}`;
}
