/**
 * The Azure identities the GitOps workflows sign in as, each trusted only for the GitHub (or
 * Pulumi ESC) token subjects that should use it, and holding only what that use needs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import {
  AZURE_TOKEN_AUDIENCE,
  GITHUB_ISSUER,
  PULUMI_ISSUER,
  roleAssignmentCondition,
  roleDefinitionId,
  ROLES_THE_STACK_ASSIGNS,
  WORKFLOW_ROLES,
} from "./roles";

interface IdentityArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly tags: Record<string, string>;
}

/** A user-assigned identity and one federated credential per subject it is trusted for. */
class FederatedIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;

  constructor(
    type: string,
    name: string,
    args: IdentityArgs & { readonly issuer: string; readonly audience: string; readonly subjects: Record<string, string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const identity = new managedidentity.UserAssignedIdentity(
      name,
      { resourceGroupName: args.resourceGroupName, location: args.location, resourceName: name, tags: args.tags },
      { parent: this },
    );
    // One after another: Entra ID rejects concurrent writes of federated credentials on one
    // user-assigned identity with 409 Conflict ("Concurrent updates aren't supported").
    let previous: managedidentity.FederatedIdentityCredential | undefined;
    for (const [purpose, subject] of Object.entries(args.subjects)) {
      previous = new managedidentity.FederatedIdentityCredential(
        `${name}-${purpose}`,
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: identity.name,
          federatedIdentityCredentialResourceName: purpose,
          issuer: args.issuer,
          audiences: [args.audience],
          subject,
        },
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
    }
    this.clientId = identity.clientId;
    this.principalId = identity.principalId;
  }

  /** Assigns a role to this identity (as a service principal) at `scope`, as a child of `parent`. */
  grant(
    name: string,
    roleDefinitionId: pulumi.Input<string>,
    scope: pulumi.Input<string>,
    parent: pulumi.Resource,
    extra: Partial<authorization.RoleAssignmentArgs> = {},
  ): authorization.RoleAssignment {
    return new authorization.RoleAssignment(
      name,
      { principalId: this.principalId, principalType: "ServicePrincipal", roleDefinitionId, scope, ...extra },
      { parent },
    );
  }
}

export interface DeployIdentityArgs extends IdentityArgs {
  readonly subscriptionId: pulumi.Input<string>;
  /** `repo:OWNER/REPO:environment:<env>`: only jobs that run in the environment, after its reviewers approve. */
  readonly subject: string;
  /** ARM id of the environment's resource group. */
  readonly environmentScope: pulumi.Input<string>;
  /** The custom role with Key Vault's secrets/delete data action (the hub key secrets are deleted on the vault's data plane). */
  readonly vaultSecretsDeleteRoleId: pulumi.Input<string>;
}

/**
 * An environment's deploy identity: Contributor on its resource group, Role Based Access Control
 * Administrator there limited to the roles the stack assigns, and deleting the vault's secrets
 * there (a data action Contributor lacks). Nothing on the subscription: the stack never purges a
 * vault (every vault it creates has a name no earlier one had), so no identity can purge another
 * environment's vault, or another team's.
 */
export class DeployIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: DeployIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("acs-notifications-bootstrap:gitops:DeployIdentity", name, {}, opts);
    const identity = new FederatedIdentity(
      "acs-notifications-bootstrap:gitops:FederatedIdentity",
      name,
      { ...args, issuer: GITHUB_ISSUER, audience: AZURE_TOKEN_AUDIENCE, subjects: { "github-environment": args.subject } },
      { parent: this },
    );
    const assign = (
      suffix: string,
      role: pulumi.Input<string>,
      scope: pulumi.Input<string>,
      extra: Partial<authorization.RoleAssignmentArgs> = {},
    ) => identity.grant(`${name}-${suffix}`, role, scope, this, extra);
    const builtIn = (id: string) => pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, id));
    assign("contributor", builtIn(WORKFLOW_ROLES.contributor), args.environmentScope);
    assign("role-assignments", builtIn(WORKFLOW_ROLES.roleBasedAccessControlAdministrator), args.environmentScope, {
      condition: roleAssignmentCondition(ROLES_THE_STACK_ASSIGNS),
      conditionVersion: "2.0",
      description: "Only the roles acs-notifications assigns to its push sender and Event Grid topic.",
    });
    assign("vault-secrets-delete", args.vaultSecretsDeleteRoleId, args.environmentScope);
    this.clientId = identity.clientId;
    this.registerOutputs({ clientId: this.clientId });
  }
}

export interface PreviewIdentityArgs extends IdentityArgs {
  /** Token subjects: pull-request previews and the scheduled drift check on the deploy branch. */
  readonly subjects: Record<string, string>;
  /** The custom preview role (reads only; no hub key). */
  readonly previewRoleId: pulumi.Input<string>;
  /** Every environment's resource group: previews run for all stacks. */
  readonly scopes: Record<string, pulumi.Input<string>>;
}

/** The read-only identity of pull-request previews and the drift check: no environment, no write. */
export class PreviewIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: PreviewIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("acs-notifications-bootstrap:gitops:PreviewIdentity", name, {}, opts);
    const identity = new FederatedIdentity(
      "acs-notifications-bootstrap:gitops:FederatedIdentity",
      name,
      { ...args, issuer: GITHUB_ISSUER, audience: AZURE_TOKEN_AUDIENCE },
      { parent: this },
    );
    for (const [env, scope] of Object.entries(args.scopes)) identity.grant(`${name}-${env}`, args.previewRoleId, scope, this);
    this.clientId = identity.clientId;
    this.registerOutputs({ clientId: this.clientId });
  }
}

export interface EscSecretsReaderArgs extends IdentityArgs {
  readonly pulumiOrganization: string;
  readonly subject: string;
  /** ARM id of the Key Vault holding the stack's secrets. */
  readonly vaultId: string;
}

/**
 * The identity an ESC environment logs in with to read the stack's secrets: trusted for Pulumi's
 * issuer and that one environment, Key Vault Secrets User on that one vault.
 */
export class EscSecretsReader extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: EscSecretsReaderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("acs-notifications-bootstrap:gitops:EscSecretsReader", name, {}, opts);
    const identity = new FederatedIdentity(
      "acs-notifications-bootstrap:gitops:FederatedIdentity",
      name,
      {
        ...args,
        issuer: PULUMI_ISSUER,
        audience: `azure:${args.pulumiOrganization}`,
        subjects: { "esc-environment": args.subject },
      },
      { parent: this },
    );
    // Named in the vault's own subscription, which need not be the stacks'.
    const secretsUser = roleDefinitionId(args.vaultId.split("/")[2], WORKFLOW_ROLES.keyVaultSecretsUser);
    identity.grant(`${name}-secrets`, secretsUser, args.vaultId, this);
    this.clientId = identity.clientId;
    this.registerOutputs({ clientId: this.clientId });
  }
}
