import * as fs from "node:fs";
import * as path from "node:path";
import { armAction, patternCovers, permissionsAllow } from "../../../tools/permissions/armActions";
import {
  ALLOWED_EXCESS,
  apiPath,
  deriveBootstrapNeeds,
  deriveNeeds,
  derivedDeployDataActions,
  ESC_SECRETS_READER_TYPE,
  derivedPreviewActions,
  grantedRefusals,
  isSingleton,
  missingGrants,
  Need,
  PlannedResource,
  readByPost,
  STAGE_IDENTITIES,
  unusedGrants,
} from "../../../tools/permissions/permissionModel";
import {
  buildReport,
  derivePermissions,
  PermissionsReport,
  renderText,
  reportFails,
} from "../../../tools/permissions/permissions";
import { PREVIEW_ROLE, VAULT_SECRETS_DELETE_ROLE } from "../../../bootstrap/roles";
import { runTool } from "../../support/runTool";

const PUBLISHED = path.join(__dirname, "../../../tools/permissions/published");

describe("ARM's convention for the action a request needs", () => {
  it.each([
    ["GET", "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{name}", "Microsoft.Web/sites/read"],
    [
      "PUT",
      "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{name}/config/appsettings",
      "Microsoft.Web/sites/config/write",
    ],
    [
      "POST",
      "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{name}/config/appsettings/list",
      "Microsoft.Web/sites/config/list/action",
    ],
    [
      "DELETE",
      "/{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
      "Microsoft.Authorization/roleAssignments/delete",
    ],
    [
      "PUT",
      "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Storage/storageAccounts/{a}/blobServices/default/containers/{c}",
      "Microsoft.Storage/storageAccounts/blobServices/containers/write",
    ],
    [
      "PUT",
      "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
      "Microsoft.Resources/subscriptions/resourceGroups/write",
    ],
  ] as const)("%s %s is %s", (method, p, action) => {
    expect(armAction(method, p)).toBe(action);
  });

  it("refuses a path that names no resource type, and a POST without an action segment", () => {
    expect(() => armAction("GET", "/subscriptions/{s}/providers/")).toThrow(/not an ARM resource path/);
    expect(() => armAction("POST", "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{name}")).toThrow(
      /no action segment/,
    );
  });

  it("matches role patterns as ARM does: `*` wildcards, any case, NotActions taking away", () => {
    expect(patternCovers("*/read", "Microsoft.Web/sites/read")).toBe(true);
    expect(patternCovers("*/read", "Microsoft.Web/sites/config/list/action")).toBe(false);
    expect(patternCovers("microsoft.authorization/*/write", "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    expect(
      permissionsAllow(
        { allow: ["*"], deny: ["Microsoft.Authorization/*/Write"] },
        "Microsoft.Authorization/roleAssignments/write",
      ),
    ).toBe(false);
  });
});

describe("azure-native's published paths", () => {
  it("gives every type a path, and says where to find one it does not have", () => {
    expect(apiPath("azure-native:eventgrid:SystemTopic")).toMatch(/Microsoft\.EventGrid\/systemTopics\/\{systemTopicName\}$/);
    expect(() => apiPath("azure-native:sql:Server")).toThrow(/reports\/tokenPaths\.json/);
  });

  it("treats a path ending in a fixed name as a singleton that is never deleted", () => {
    expect(isSingleton(apiPath("azure-native:web:WebAppApplicationSettings"))).toBe(true);
    expect(isSingleton(apiPath("azure-native:web:WebApp"))).toBe(false);
    const needs = deriveNeeds([{ type: "azure-native:web:WebAppScmAllowed", custom: true }]);
    expect(needs.some((n) => n.stage === "destroy")).toBe(false);
  });

  it("names every file of its published data in SOURCES.md", () => {
    const sources = fs.readFileSync(path.join(PUBLISHED, "SOURCES.md"), "utf8");
    const files = fs
      .readdirSync(PUBLISHED, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== "SOURCES.md")
      .map((e) => path.relative(PUBLISHED, path.join(e.parentPath, e.name)));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(sources).toContain(`\`${file}\``);
  });
});

describe("what each stage needs, derived from the stacks' plans", () => {
  let reports: Record<string, PermissionsReport>;
  beforeAll(async () => {
    reports = {};
    for (const stack of ["dev", "staging", "prod"]) reports[stack] = await derivePermissions(stack);
  }, 60_000);

  it.each(["dev", "staging", "prod"])(
    "%s: every need is granted, no refusal is granted, every extra grant has a reason",
    (stack) => {
      const report = reports[stack];
      expect(report.missing).toEqual([]);
      expect(report.refusalsGranted).toEqual([]);
      expect(report.unexplainedExcess).toEqual([]);
      expect(report.unpublished).toEqual([]);
      expect(report.notChecked).toEqual([]);
      expect(reportFails(report)).toBe(false);
    },
  );

  it("holds the drift check's POST read of app settings, destroy's vault data action and the link's action", () => {
    const actions = (stage: string) => reports.prod.rows.filter((r) => r.stage === stage).map((r) => r.action);
    expect(actions("drift (preview --refresh)")).toContain("Microsoft.Web/sites/config/list/action");
    expect(actions("destroy")).toContain("Microsoft.KeyVault/vaults/secrets/delete");
    expect(actions("deploy (up)")).toContain("Microsoft.Communication/communicationServices/linkNotificationHub/action");
    expect(actions("Event Grid delivery")).toEqual(["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"]);
  });

  it("derives the bootstrap's needs from its plan, and each ESC environment's secret reads", () => {
    const rows = (stage: string) => reports.prod.rows.filter((r) => r.stage === stage);
    const grantedBy = (stage: string, action: string) => rows(stage).find((r) => r.action === action)?.grantedBy;
    expect(rows("bootstrap").map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "Microsoft.Resources/subscriptions/resourceGroups/write",
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
        "Microsoft.Authorization/roleDefinitions/write",
      ]),
    );
    expect(grantedBy("bootstrap", "Microsoft.Authorization/roleAssignments/write")).toBe("User Access Administrator");
    expect(grantedBy("ESC environment open", "Microsoft.KeyVault/vaults/secrets/getSecret/action")).toBe(
      "Key Vault Secrets User",
    );
  });

  it("the preview identity's role is the one the model derives: reads, the POST read, no key", () => {
    const needs = reports.prod.rows as readonly Need[];
    expect([...PREVIEW_ROLE.Actions].sort()).toEqual(derivedPreviewActions(needs).sort());
    expect(PREVIEW_ROLE.DataActions).toEqual([]);
  });

  it("the vault role grants exactly the data actions deploy and destroy need", () => {
    expect([...VAULT_SECRETS_DELETE_ROLE.DataActions].sort()).toEqual(
      derivedDeployDataActions(reports.prod.rows as readonly Need[]),
    );
    expect(VAULT_SECRETS_DELETE_ROLE.Actions).toEqual([]);
  });

  it("reads App Service's settings by POST …/list where the API has no GET, and AuthSettingsV2 by its GET", () => {
    const settings = ["azure-native:web:WebAppApplicationSettings", "azure-native:web:WebAppAuthSettingsV2"];
    expect(readByPost(settings)).toEqual(["azure-native:web:WebAppApplicationSettings"]);
    expect(patternCovers("*/read", "Microsoft.Web/sites/config/read")).toBe(true);
  });

  it("every reason in the allowance list still explains a grant someone holds", () => {
    const held = new Set(unusedGrants(reports.prod.rows as readonly Need[]));
    for (const key of Object.keys(ALLOWED_EXCESS)) expect(held).toContain(key);
  });

  it("renders a table per stage with the identity and the role that grants each action", () => {
    const text = renderText(reports.dev);
    expect(text).toMatch(/drift \(preview --refresh\) — preview identity/);
    expect(text).toMatch(/Microsoft\.Web\/sites\/config\/list\/action +acs-notifications preview/);
    expect(text).toMatch(/^bootstrap — the person who runs the bootstrap once/m);
    expect(text).toContain("Every need is granted");
  });
});

describe("the checks fail when the model and the roles part", () => {
  const plan: PlannedResource[] = [
    { type: "azure-native:web:WebAppApplicationSettings", custom: true },
    { type: "pulumi-nodejs:dynamic:HubKeySecret", custom: true },
    { type: "azure-native:notificationhubs:NotificationHubAuthorizationRule", custom: true },
  ];

  it("finds the drift check's POST read missing when the preview role lacks it (the old role)", () => {
    const identity = STAGE_IDENTITIES["drift (preview --refresh)"];
    const saved = identity.roles[0].actions;
    try {
      (identity.roles[0] as { actions: readonly string[] }).actions = ["*/read"];
      expect(missingGrants(deriveNeeds(plan)).map((n) => n.action)).toContain("Microsoft.Web/sites/config/list/action");
    } finally {
      (identity.roles[0] as { actions: readonly string[] }).actions = saved;
    }
  });

  it("finds the preview identity able to read keys when its role grants listKeys (the old role)", () => {
    const identity = STAGE_IDENTITIES["pull-request preview"];
    const saved = identity.roles[0].actions;
    try {
      (identity.roles[0] as { actions: readonly string[] }).actions = ["*/read", "Microsoft.NotificationHubs/*/listKeys/action"];
      expect(grantedRefusals(deriveNeeds(plan)).map((n) => n.stage)).toContain("pull-request preview");
    } finally {
      (identity.roles[0] as { actions: readonly string[] }).actions = saved;
    }
  });

  it("finds destroy's secret delete missing without the vault role (the old deploy identity)", () => {
    const identity = STAGE_IDENTITIES.destroy;
    const roles = identity.roles;
    try {
      (identity as { roles: typeof roles }).roles = roles.filter((r) => r.name !== VAULT_SECRETS_DELETE_ROLE.Name);
      expect(missingGrants(deriveNeeds(plan)).map((n) => n.action)).toEqual(["Microsoft.KeyVault/vaults/secrets/delete"]);
    } finally {
      (identity as { roles: typeof roles }).roles = roles;
    }
  });

  it("finds the bootstrap's role writes missing for a runner with Contributor alone", () => {
    const identity = STAGE_IDENTITIES.bootstrap;
    const roles = identity.roles;
    const bootstrapPlan: PlannedResource[] = [
      { type: "azure-native:authorization:RoleAssignment", custom: true },
      { type: "azure-native:managedidentity:UserAssignedIdentity", custom: true },
      { type: ESC_SECRETS_READER_TYPE, custom: false },
    ];
    try {
      (identity as { roles: typeof roles }).roles = roles.filter((r) => r.name === "Contributor");
      expect(missingGrants(deriveBootstrapNeeds(bootstrapPlan)).map((n) => n.action)).toEqual([
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/roleAssignments/delete",
      ]);
    } finally {
      (identity as { roles: typeof roles }).roles = roles;
    }
  });

  it("tells a published action from a published data action", () => {
    const needs: Need[] = [
      { stage: "destroy", kind: "action", action: "Microsoft.KeyVault/vaults/secrets/delete", resourceType: "x", why: "test" },
    ];
    // Key Vault publishes secrets/delete as a data action only: as a control-plane action it is not an operation.
    expect(buildReport("dev", needs).unpublished).toEqual(["Microsoft.KeyVault/vaults/secrets/delete"]);
  });

  it("reports an action Microsoft does not publish, and fails", () => {
    const needs: Need[] = [
      {
        stage: "deploy (up)",
        kind: "action",
        action: "Microsoft.NotificationHubs/namespaces/notificationHubs/sendPush/action",
        resourceType: "x",
        why: "test",
      },
    ];
    const report = buildReport("dev", needs);
    expect(report.unpublished).toEqual(["Microsoft.NotificationHubs/namespaces/notificationHubs/sendPush/action"]);
    expect(reportFails(report)).toBe(true);
  });
});

describe("npm run permissions", () => {
  it("answers --help and refuses a bad stack name with exit 2", async () => {
    expect((await runTool("permissions", "--help")).code).toBe(0);
    const bad = await runTool("permissions", "--stack", "../prod");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--stack/);
  });

  it("prints the report as JSON", async () => {
    const run = await runTool("permissions", "--stack", "dev", "--json");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as PermissionsReport;
    expect(report.stack).toBe("dev");
    expect(report.rows.length).toBeGreaterThan(40);
  }, 30_000);
});
