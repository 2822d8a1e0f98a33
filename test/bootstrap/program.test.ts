import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { BUILT_IN_ROLES } from "../../azure/roles";
import { BootstrapPlan, runBootstrapPlan } from "../../tools/plan/bootstrapPlan";
import type { RegisteredResource } from "../../tools/mocks/mockRuntime";
import { committedStacks } from "../../tools/shared/stackFiles";
import { projectRoot } from "../support/runTool";

const OWNER_REPO = "contoso/acs-notifications";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const stacks = committedStacks(projectRoot);

/** `vars.NAME` the workflows read. */
function workflowVariables(): string[] {
  const dir = path.join(projectRoot, ".github/workflows");
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir)) {
    for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/\bvars\.([A-Z_]+)/g)) names.add(m[1]);
  }
  return [...names].sort();
}

// The committed bootstrap stack, with modelled values so the wiring can be followed.
describe("the bootstrap program (bootstrap/index.ts) on its committed stack", () => {
  let plan: BootstrapPlan;
  beforeAll(async () => {
    plan = await runBootstrapPlan("gitops", "modelled");
  });

  const custom = () => plan.recording.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const byName = (type: string, name: string): RegisteredResource => {
    const found = plan.recording.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} ${name}`);
    return found;
  };
  const ofType = (type: string) => plan.recording.resources.filter((r) => r.type === type);
  /** Role assignments of the identity named `identityName` (its principalId is derived from the name by the mocks). */
  const assignmentsOf = (component: string) =>
    ofType("azure-native:authorization:RoleAssignment").filter((a) => a.parent?.endsWith(`::${component}`));
  const credentialsOf = (identityName: string) =>
    ofType("azure-native:managedidentity:FederatedIdentityCredential").filter((c) => c.inputs.resourceName === identityName);
  const roleGuid = (a: RegisteredResource) => String(a.inputs.roleDefinitionId).split("/").pop();

  it("makes one deploy identity per committed stack, plus the preview identity, in the identities' group", () => {
    const identities = ofType("azure-native:managedidentity:UserAssignedIdentity").map((i) => i.inputs.resourceName);
    expect(identities.sort()).toEqual(
      [
        ...stacks.map((s) => `acsnotif-${s}-deploy`),
        "acsnotif-preview",
        ...stacks.map((s) => `acsnotif-${s}-esc-secrets`),
      ].sort(),
    );
    for (const i of ofType("azure-native:managedidentity:UserAssignedIdentity")) {
      expect(i.inputs.resourceGroupName).toBe("acsnotif-gitops-rg");
    }
  });

  it("writes an identity's federated credentials one after another (Entra ID refuses concurrent writes with 409)", () => {
    const credentials = ofType("azure-native:managedidentity:FederatedIdentityCredential");
    const byIdentity = new Map<string, RegisteredResource[]>();
    for (const c of credentials) byIdentity.set(c.parent!, [...(byIdentity.get(c.parent!) ?? []), c]);
    const preview = [...byIdentity.values()].find((cs) => cs.some((c) => c.name.startsWith("acsnotif-preview")))!;
    expect(preview.length).toBeGreaterThanOrEqual(2);
    for (const group of byIdentity.values()) {
      // Each credential after the first waits for the one before it; no two are left to run together.
      group.slice(1).forEach((c, i) =>
        expect({ credential: c.name, waitsFor: c.dependencies }).toEqual({
          credential: c.name,
          waitsFor: expect.arrayContaining([group[i].urn]),
        }),
      );
    }
  });

  it("trusts each deploy identity only for jobs in its own GitHub environment", () => {
    for (const stack of stacks) {
      const credentials = credentialsOf(`acsnotif-${stack}-deploy`);
      expect(credentials.map((c) => c.inputs)).toEqual([
        expect.objectContaining({
          issuer: "https://token.actions.githubusercontent.com",
          audiences: ["api://AzureADTokenExchange"],
          subject: `repo:${OWNER_REPO}:environment:${stack}`,
        }),
      ]);
    }
  });

  it("trusts the preview identity for pull requests, prod's reviewed preview and the drift check, nothing else", () => {
    expect(
      credentialsOf("acsnotif-preview")
        .map((c) => c.inputs.subject)
        .sort(),
    ).toEqual([
      `repo:${OWNER_REPO}:environment:drift`,
      `repo:${OWNER_REPO}:environment:preview-prod`,
      `repo:${OWNER_REPO}:pull_request`,
    ]);
  });

  it("grants a deploy identity its own environment's group only, and role assignments only of the roles the stack assigns", () => {
    for (const stack of stacks) {
      const group = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acsnotif-${stack}-rg`;
      const assignments = assignmentsOf(`acsnotif-${stack}-deploy`);
      const secretsDeleteRole = byName("azure-native:authorization:RoleDefinition", "vault-secrets-delete-role");
      const custom = [secretsDeleteRole.urn];
      const builtIn = assignments.filter((a) => !custom.some((urn) => a.propertyDependencies.roleDefinitionId?.includes(urn)));
      expect(builtIn.map((a) => [roleGuid(a), a.inputs.scope]).sort()).toEqual(
        [
          [CONTRIBUTOR, group],
          [RBAC_ADMINISTRATOR, group],
        ].sort(),
      );
      // The third: deleting the vault's secrets (a data action), on its own group only.
      const secretsDelete = assignments.filter((a) => a.propertyDependencies.roleDefinitionId?.includes(secretsDeleteRole.urn));
      expect(secretsDelete.map((a) => a.inputs.scope)).toEqual([group]);
      // Nothing on the subscription: no purge role, so no deploy identity can purge another environment's vault.
      expect(assignments.filter((a) => !String(a.inputs.scope).includes("/resourceGroups/"))).toEqual([]);
      expect(assignments).toHaveLength(3);
      const rbac = assignments.find((a) => roleGuid(a) === RBAC_ADMINISTRATOR)!;
      expect(rbac.inputs.conditionVersion).toBe("2.0");
      const condition = String(rbac.inputs.condition);
      // Both the write and the delete branch name exactly the roles the main program assigns.
      const lists = [...condition.matchAll(/GuidEquals \{([^}]*)\}/g)].map((m) => m[1].split(", ").sort());
      expect(lists).toEqual([Object.values(BUILT_IN_ROLES).sort(), Object.values(BUILT_IN_ROLES).sort()]);
      expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/write'}");
      expect(condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}");
      for (const a of assignments) expect(a.inputs.principalType).toBe("ServicePrincipal");
    }
  });

  it("lets a deploy identity delete its vault's secrets, as the hub key secrets' provider does on destroy (a data action), and nothing more there", () => {
    // The hub key secrets are deleted through Key Vault's data plane (ARM has no DELETE for a secret),
    // which an RBAC vault authorizes as the data action Microsoft.KeyVault/vaults/secrets/delete.
    const provider = fs.readFileSync(path.join(projectRoot, "components", "hubKeySecret", "hubKeySecretProvider.ts"), "utf8");
    expect(provider).toMatch(/method: "DELETE"/);
    const role = byName("azure-native:authorization:RoleDefinition", "vault-secrets-delete-role");
    expect(role.inputs.permissions).toEqual([
      { actions: [], notActions: [], dataActions: ["Microsoft.KeyVault/vaults/secrets/delete"], notDataActions: [] },
    ]);
    expect((role.inputs.assignableScopes as string[]).sort()).toEqual(
      stacks.map((s) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acsnotif-${s}-rg`).sort(),
    );
  });

  it("defines the preview role from gitops/preview-role.json, read-only, and no purge role at all", () => {
    const preview = byName("azure-native:authorization:RoleDefinition", "preview-role");
    const file = JSON.parse(fs.readFileSync(path.join(projectRoot, "gitops/preview-role.json"), "utf8")) as {
      Name: string;
      Actions: string[];
    };
    expect(preview.inputs).toMatchObject({
      roleName: file.Name,
      roleType: "CustomRole",
      permissions: [{ actions: file.Actions, notActions: [], dataActions: [], notDataActions: [] }],
    });
    // Reads: `*/read`, and App Service's config read by POST (test/tools/permissions). No listKeys.
    for (const action of file.Actions) expect(action).toMatch(/\/read$|^Microsoft\.Web\/sites\/config\/list\/action$/);
    // Assignable only on the environments' groups, not the subscription.
    expect((preview.inputs.assignableScopes as string[]).sort()).toEqual(
      stacks.map((s) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acsnotif-${s}-rg`).sort(),
    );
    // No role anywhere holds the purge action: the stack never needs to purge (its vault names never repeat).
    const roles = custom().filter((r) => r.type === "azure-native:authorization:RoleDefinition");
    expect(JSON.stringify(roles.map((r) => r.inputs.permissions))).not.toMatch(/purge/i);
  });

  it("gives the preview identity the preview role on every environment's group, and nothing else", () => {
    const preview = byName("azure-native:authorization:RoleDefinition", "preview-role");
    const assignments = assignmentsOf("acsnotif-preview");
    expect(assignments.map((a) => String(a.inputs.scope).split("/").pop()).sort()).toEqual(
      stacks.map((s) => `acsnotif-${s}-rg`).sort(),
    );
    for (const a of assignments) {
      expect(String(a.inputs.roleDefinitionId)).toMatch(
        new RegExp(`^${String(preview.inputs.scope)}/providers/Microsoft.Authorization/roleDefinitions/`),
      );
    }
  });

  it.each(["dev", "staging", "prod"])(
    "makes %s's ESC secrets reader: Pulumi's issuer, that environment's subject, Secrets User on the vault its ESC file reads",
    (stack) => {
      const stackFile = parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
        environment: string[];
      };
      expect(stackFile.environment).toEqual([`acs-notifications/${stack}`]);
      const esc = fs.readFileSync(path.join(projectRoot, "esc", `${stack}.yaml`), "utf8");
      expect(esc).toMatch(/fn::open::azure-login:/);
      const vault = /^\s+vault: (\S+)/m.exec(esc)![1];
      const reader = `acsnotif-${stack}-esc-secrets`;
      expect(credentialsOf(reader).map((c) => c.inputs)).toEqual([
        expect.objectContaining({
          issuer: "https://api.pulumi.com/oidc",
          audiences: ["azure:contoso"],
          subject: `pulumi:environments:pulumi.organization.login:contoso:currentEnvironment.name:acs-notifications/${stack}`,
        }),
      ]);
      const [secrets] = assignmentsOf(reader);
      expect(roleGuid(secrets)).toBe(KEY_VAULT_SECRETS_USER);
      expect(secrets.inputs.scope).toMatch(new RegExp(`/providers/Microsoft\\.KeyVault/vaults/${vault}$`));
      expect(assignmentsOf(reader)).toHaveLength(1);
    },
  );

  it("makes one GitHub environment per stack, deployable from main only, admins unable to bypass", () => {
    const environments = ofType("github:index/repositoryEnvironment:RepositoryEnvironment").filter((e) =>
      stacks.includes(String(e.inputs.environment)),
    );
    expect(environments.map((e) => e.inputs.environment).sort()).toEqual(stacks);
    for (const e of environments) {
      expect(e.inputs).toMatchObject({
        repository: "acs-notifications",
        canAdminsBypass: false,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      });
    }
    const policies = ofType("github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    expect(policies.map((p) => [p.inputs.environment, p.inputs.branchPattern]).sort()).toEqual(
      [...stacks.map((s) => [s, "main"]), ["drift", "main"]].sort(),
    );
    const provider = plan.recording.resources.find((r) => r.type === "pulumi:providers:github")!;
    expect(provider.inputs.owner).toBe("contoso");
  });

  it("makes the read-only environments: prod's previews reviewed like its deployments, the drift check from main only", () => {
    const previewProd = byName("github:index/repositoryEnvironment:RepositoryEnvironment", "preview-prod");
    const prod = byName("github:index/repositoryEnvironment:RepositoryEnvironment", "prod");
    expect(previewProd.inputs).toMatchObject({ environment: "preview-prod", canAdminsBypass: false, preventSelfReview: true });
    expect(previewProd.inputs.reviewers).toEqual(prod.inputs.reviewers);
    // Any branch: the pull requests' own; the review is the gate.
    expect(previewProd.inputs.deploymentBranchPolicy).toBeUndefined();
    const drift = byName("github:index/repositoryEnvironment:RepositoryEnvironment", "drift");
    expect(drift.inputs).toMatchObject({
      reviewers: [],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    // Neither holds a deploy identity's client id.
    const variables = ofType("github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").map(
      (v) => v.inputs.environment,
    );
    expect(variables).not.toContain("preview-prod");
    expect(variables).not.toContain("drift");
  });

  it("requires prod's reviewers (looked up by slug), and that someone else approves", () => {
    const prod = byName("github:index/repositoryEnvironment:RepositoryEnvironment", "prod");
    const teamLookup = plan.recording.invokes.find((i) => i.token === "github:index/getTeam:getTeam");
    expect(teamLookup?.inputs).toMatchObject({ slug: "platform-team" });
    expect(prod.inputs.reviewers).toEqual([{ users: [], teams: [expect.any(Number)] }]);
    expect(prod.inputs.preventSelfReview).toBe(true);
    expect(byName("github:index/repositoryEnvironment:RepositoryEnvironment", "dev").inputs.reviewers).toEqual([]);
  });

  it("sets each environment's AZURE_CLIENT_ID to its own deploy identity, and the repository variables the workflows read", () => {
    for (const stack of stacks) {
      const variable = byName("github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable", `${stack}-client-id`);
      expect(variable.inputs).toMatchObject({ environment: stack, variableName: "AZURE_CLIENT_ID" });
      const identity = byName("azure-native:managedidentity:UserAssignedIdentity", `acsnotif-${stack}-deploy`);
      expect(variable.dependencies).toContain(identity.urn);
    }
    const clientIds = ofType("github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").map((v) => v.inputs.value);
    expect(new Set(clientIds).size).toBe(stacks.length);
    const repositoryVariables = ofType("github:index/actionsVariable:ActionsVariable").map((v) => String(v.inputs.variableName));
    // Every vars.* of the workflows exists: on the repository, or (AZURE_CLIENT_ID) on each environment.
    expect([...repositoryVariables, "AZURE_CLIENT_ID"].sort()).toEqual(workflowVariables());
    const previewVariable = byName("github:index/actionsVariable:ActionsVariable", "variable-AZURE_PREVIEW_CLIENT_ID");
    expect(previewVariable.dependencies).toContain(
      byName("azure-native:managedidentity:UserAssignedIdentity", "acsnotif-preview").urn,
    );
  });

  it("creates each environment's resource group, the one its stack names as existingResourceGroup", () => {
    for (const stack of stacks) {
      const stackFile = parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
      };
      const group = byName("azure-native:resources:ResourceGroup", `${stack}-group`);
      expect(group.inputs.resourceGroupName).toBe(stackFile.config["acs-notifications:existingResourceGroup"]);
    }
  });

  it("creates nothing it was not asked for", () => {
    const counts: Record<string, number> = {};
    for (const r of custom()) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      "azure-native:resources:ResourceGroup": 1 + stacks.length,
      "azure-native:authorization:RoleDefinition": 2,
      "azure-native:managedidentity:UserAssignedIdentity": stacks.length * 2 + 1,
      "azure-native:managedidentity:FederatedIdentityCredential": stacks.length + 3 + stacks.length,
      // deploy: contributor, role assignments, secrets delete; preview: one per environment; ESC readers: one each.
      "azure-native:authorization:RoleAssignment": stacks.length * 3 + stacks.length + stacks.length,
      // one per stack, prod's reviewed preview, the drift check
      "github:index/repositoryEnvironment:RepositoryEnvironment": stacks.length + 2,
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": stacks.length + 1,
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": stacks.length,
      "github:index/actionsVariable:ActionsVariable": 4,
    });
  });
});
