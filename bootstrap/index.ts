/**
 * The one-time GitOps set-up of acs-notifications, as code: `pulumi up` here (once, by someone
 * who may create identities and role assignments in the subscription and administer the
 * repository) replaces the README's manual steps. Per environment: its resource group, a deploy
 * identity trusted only for that GitHub environment, the GitHub environment (reviewers, deploy
 * branch) and its AZURE_CLIENT_ID; once: the read-only preview identity and its custom role, the
 * vault secrets delete role, and the repository variables. Nothing is granted on the subscription.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import * as github from "@pulumi/github";
import { NAMESPACE, validateBootstrapConfig } from "./config";
import { GitHubEnvironment, ReadOnlyEnvironment, repositoryVariables } from "./githubEnvironments";
import {
  DEPLOY_BRANCH,
  escSubject,
  githubSubjects,
  PREVIEW_ROLE,
  READ_ONLY_ENVIRONMENTS,
  VAULT_SECRETS_DELETE_ROLE,
  CustomRoleFile,
} from "./roles";
import { DeployIdentity, EscSecretsReader, PreviewIdentity } from "./workflowIdentities";

/** The main program's stacks: the committed `Pulumi.<stack>.yaml` next to its Pulumi.yaml. */
function committedStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * The bootstrap program: Pulumi calls the exported function and takes what it returns as the stack's
 * outputs (as for index.ts one level up), so the offline plan can run it once per plan in one process.
 */
function bootstrapProgram() {
  // Config is read once, here; everything below works on validated values. Every key of the stack
  // is read, so a misspelt one is reported rather than ignored.
  const READERS = ["github", "azure-native", "pulumi"];
  const values: Record<string, unknown> = {};
  const foreignKeys: string[] = [];
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    const [namespace, name] = fullKey.split(":");
    if (namespace === NAMESPACE) values[name] = /^[[{]/.test(text) ? JSON.parse(text) : text;
    else if (!READERS.includes(namespace)) foreignKeys.push(fullKey);
  }
  const validated = validateBootstrapConfig(values, committedStacks(path.join(__dirname, "..")));
  const problems = [
    ...foreignKeys.map((k) => `${k} is read by nothing here: this project's settings are ${NAMESPACE}:<name>.`),
    ...validated.problems,
  ];
  if (!validated.config || problems.length) {
    throw new Error(`Invalid bootstrap configuration (Pulumi.${pulumi.getStack()}.yaml):\n  - ${problems.join("\n  - ")}`);
  }
  const config = validated.config;
  const tags = { purpose: "acs-notifications-gitops", repository: `${config.owner}/${config.repository}` };

  const client = authorization.getClientConfigOutput();
  const subscriptionId = client.subscriptionId;
  const subscriptionScope = pulumi.interpolate`/subscriptions/${subscriptionId}`;

  function customRole(name: string, role: CustomRoleFile, assignableScopes: pulumi.Input<pulumi.Input<string>[]>) {
    return new authorization.RoleDefinition(name, {
      scope: subscriptionScope,
      roleName: role.Name,
      description: role.Description,
      roleType: "CustomRole",
      permissions: [
        {
          actions: [...role.Actions],
          notActions: [...role.NotActions],
          dataActions: [...role.DataActions],
          notDataActions: [...role.NotDataActions],
        },
      ],
      assignableScopes,
    });
  }

  const identityGroup = new resources.ResourceGroup("gitops-identities", {
    resourceGroupName: config.identityResourceGroup,
    location: config.location,
    tags,
  });
  const environmentGroups = Object.fromEntries(
    config.environments.map((env) => [
      env.name,
      new resources.ResourceGroup(`${env.name}-group`, {
        resourceGroupName: env.resourceGroup,
        location: config.location,
        tags: { ...tags, environment: env.name },
      }),
    ]),
  );

  // Assignable only where previews look: the environments' resource groups.
  const previewRole = customRole(
    "preview-role",
    PREVIEW_ROLE,
    Object.values(environmentGroups).map((g) => g.id),
  );
  // The one data action a deployment performs on its vault (deleting a secret): assignable on the environments' groups.
  const vaultSecretsDeleteRole = customRole(
    "vault-secrets-delete-role",
    VAULT_SECRETS_DELETE_ROLE,
    Object.values(environmentGroups).map((g) => g.id),
  );

  const identityArgs = { resourceGroupName: identityGroup.name, location: config.location, tags };
  // Stacks whose deployments need a review: their pull-request previews need the same review first.
  const reviewedStacks = config.environments.filter((env) => env.reviewers.users.length + env.reviewers.teams.length > 0);
  const preview = new PreviewIdentity("acsnotif-preview", {
    ...identityArgs,
    // Pull-request previews of unreviewed stacks, the reviewed previews (each in its environment)
    // and the drift check (in its environment): created one after another (see FederatedIdentity).
    subjects: {
      "pull-request": githubSubjects.pullRequest(config.owner, config.repository),
      ...Object.fromEntries(
        reviewedStacks.map((env) => [
          READ_ONLY_ENVIRONMENTS.reviewedPreview(env.name),
          githubSubjects.environment(config.owner, config.repository, READ_ONLY_ENVIRONMENTS.reviewedPreview(env.name)),
        ]),
      ),
      "drift-check": githubSubjects.environment(config.owner, config.repository, READ_ONLY_ENVIRONMENTS.drift),
    },
    previewRoleId: previewRole.id,
    scopes: Object.fromEntries(Object.entries(environmentGroups).map(([env, g]) => [env, g.id])),
  });

  const githubProvider = new github.Provider("github", { owner: config.owner });
  const deployClientIds: Record<string, pulumi.Output<string>> = {};
  const escReaderClientIds: Record<string, pulumi.Output<string>> = {};
  for (const env of config.environments) {
    const deploy = new DeployIdentity(`acsnotif-${env.name}-deploy`, {
      ...identityArgs,
      subscriptionId,
      subject: githubSubjects.environment(config.owner, config.repository, env.name),
      environmentScope: environmentGroups[env.name].id,
      vaultSecretsDeleteRoleId: vaultSecretsDeleteRole.id,
    });
    deployClientIds[env.name] = deploy.clientId;
    new GitHubEnvironment(
      env.name,
      { repository: config.repository, settings: env, deployClientId: deploy.clientId },
      { providers: [githubProvider] },
    );
    if (env.escSecretsVault) {
      const reader = new EscSecretsReader(`acsnotif-${env.name}-esc-secrets`, {
        ...identityArgs,
        pulumiOrganization: config.pulumiOrganization,
        subject: escSubject(config.pulumiOrganization, "acs-notifications", env.name),
        vaultId: env.escSecretsVault,
      });
      escReaderClientIds[env.name] = reader.clientId;
    }
  }

  for (const env of reviewedStacks)
    new ReadOnlyEnvironment(
      READ_ONLY_ENVIRONMENTS.reviewedPreview(env.name),
      { repository: config.repository, reviewers: env.reviewers },
      { providers: [githubProvider] },
    );
  new ReadOnlyEnvironment(
    READ_ONLY_ENVIRONMENTS.drift,
    { repository: config.repository, branch: DEPLOY_BRANCH },
    { providers: [githubProvider] },
  );

  repositoryVariables(
    config.repository,
    {
      AZURE_PREVIEW_CLIENT_ID: preview.clientId,
      AZURE_TENANT_ID: client.tenantId,
      AZURE_SUBSCRIPTION_ID: subscriptionId,
      PULUMI_ORG: config.pulumiOrganization,
    },
    { provider: githubProvider },
  );

  return {
    tenantId: client.tenantId,
    previewClientId: preview.clientId,
    deployClientIdByEnvironment: deployClientIds,
    /** For each environment with `escSecretsVault`: the clientId to put in esc/<stack>.yaml. */
    escSecretsReaderClientIdByEnvironment: escReaderClientIds,
    resourceGroupByEnvironment: Object.fromEntries(config.environments.map((e) => [e.name, e.resourceGroup])),
  };
}

export = bootstrapProgram;
