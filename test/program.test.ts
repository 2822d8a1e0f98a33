import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runPlan, PlanResult } from "../tools/plan/plan";
import { normalizeApnsToken } from "../config/platformCredentials";
import { ROLES_THE_STACK_ASSIGNS } from "../bootstrap/roles";

const root = path.resolve(__dirname, "..");

// index.ts is the program `pulumi up` runs; here it runs under mocks with the committed dev stack.
describe("the stack program (index.ts) on the dev stack", () => {
  let plan: PlanResult;
  beforeAll(async () => {
    // Modelled values, to follow the wiring from one resource to the next (the plan shows them as unknown).
    plan = await runPlan({ stack: "dev", json: false, root, stackDir: root }, "modelled");
  });

  const byName = (name: string) => {
    const found = plan.recording.resources.find((r) => r.name === name && r.custom);
    if (!found) throw new Error(`no resource ${name}`);
    return found;
  };

  it("creates exactly the expected resources", () => {
    expect(
      plan.recording.resources
        .filter((r) => r.custom)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual([
      "azure-native:applicationinsights:Component acsnotif-dev-insights",
      "azure-native:applicationinsights:Workbook acsnotif-dev-workbook",
      "azure-native:authorization:RoleAssignment acsnotif-dev-func-secrets",
      "azure-native:authorization:RoleAssignment acsnotif-dev-func-storage",
      "azure-native:authorization:RoleAssignment acsnotif-dev-func-telemetry",
      "azure-native:authorization:RoleAssignment acsnotif-dev-topic-dead-letter",
      "azure-native:communication:CommunicationService acsnotif-dev-acs",
      "azure-native:eventgrid:SystemTopic acsnotif-dev-acs-events",
      "azure-native:eventgrid:SystemTopicEventSubscription acsnotif-dev-push",
      "azure-native:keyvault:Vault acsnotif-dev-kv",
      "azure-native:notificationhubs:Namespace acsnotif-dev-ns",
      "azure-native:notificationhubs:NotificationHub acsnotif-dev-hub",
      "azure-native:notificationhubs:NotificationHubAuthorizationRule acsnotif-dev-register",
      "azure-native:notificationhubs:NotificationHubAuthorizationRule acsnotif-dev-send",
      "azure-native:operationalinsights:Workspace acsnotif-dev-logs",
      "azure-native:storage:BlobContainer acsnotif-dev-dead-letter",
      "azure-native:storage:BlobContainer acsnotif-dev-deployments",
      "azure-native:storage:StorageAccount acsnotif-dev-st",
      "azure-native:web:AppServicePlan acsnotif-dev-plan",
      "azure-native:web:WebApp acsnotif-dev-func",
      "azure-native:web:WebAppApplicationSettings acsnotif-dev-func-settings",
      "azure-native:web:WebAppAuthSettingsV2 acsnotif-dev-func-auth",
      "azure-native:web:WebAppFtpAllowed acsnotif-dev-func-basic-ftp",
      "azure-native:web:WebAppScmAllowed acsnotif-dev-func-basic-scm",
      "pulumi-nodejs:dynamic:FunctionCodeDeployment acsnotif-dev-code",
      "pulumi-nodejs:dynamic:HubKeySecret acsnotif-dev-hub-register",
      "pulumi-nodejs:dynamic:HubKeySecret acsnotif-dev-hub-send",
      "pulumi-nodejs:dynamic:NotificationHubLink acsnotif-dev-link",
      "pulumi-nodejs:dynamic:VaultNameSuffix acsnotif-dev-kv-name",
    ]);
  });

  it("assigns only roles a deploy identity may grant (the bootstrap's role assignment condition)", () => {
    const assigned = plan.recording.resources
      .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
      .map((r) => String(r.inputs.roleDefinitionId).split("/").pop());
    expect(assigned.length).toBeGreaterThan(0);
    for (const role of assigned) expect(ROLES_THE_STACK_ASSIGNS).toContain(role);
  });

  it("uses acs-notifications type tokens for its components", () => {
    expect(
      plan.recording.resources
        .filter((r) => !r.custom)
        .map((r) => r.type)
        .sort(),
    ).toEqual([
      "acs-notifications:communication:CommunicationServices",
      "acs-notifications:communication:NotificationHubLink",
      "acs-notifications:delivery:PushDelivery",
      "acs-notifications:delivery:PushSenderFunction",
      "acs-notifications:monitoring:PushDashboard",
      "acs-notifications:notificationhubs:NotificationHub",
    ]);
  });

  it("keeps the URNs the push sender's resources had under PushDelivery, through aliases", () => {
    const delivery = plan.recording.one("acs-notifications:delivery:PushDelivery");
    const sender = plan.recording.one("acs-notifications:delivery:PushSenderFunction");
    expect(sender.parent).toBe(delivery.urn);
    const moved = plan.recording.resources.filter((r) => r.parent === sender.urn);
    expect(moved.map((r) => r.name).sort()).toEqual(
      [
        "code",
        "deployments",
        "func",
        "func-auth",
        "func-basic-ftp",
        "func-basic-scm",
        "func-secrets",
        "func-settings",
        "func-storage",
        "func-telemetry",
        "hub-register",
        "hub-send",
        "insights",
        "kv",
        "kv-name",
        "logs",
        "plan",
      ].map((suffix) => `acsnotif-dev-${suffix}`),
    );
    for (const r of moved)
      expect({ name: r.name, aliasParents: r.aliasParents }).toEqual({ name: r.name, aliasParents: [delivery.urn] });
    // Nothing else moved.
    expect(plan.recording.resources.filter((r) => r.aliasParents.length > 0)).toEqual(moved);
  });

  it("configures ACS with its data location, tags and a system-assigned identity", () => {
    expect(byName("acsnotif-dev-acs").inputs).toMatchObject({
      dataLocation: "Europe",
      location: "global",
      identity: { type: "SystemAssigned" },
      tags: { environment: "dev", owner: "platform-team", costCenter: "CC-1234" },
    });
  });

  it("creates ACS and the hub in parallel: neither depends on the other", () => {
    const acs = byName("acsnotif-dev-acs");
    const hubSide = ["acsnotif-dev-ns", "acsnotif-dev-hub", "acsnotif-dev-send"].map(byName);
    for (const r of hubSide) expect(acs.dependencies).not.toContain(r.urn);
    for (const r of hubSide) expect(r.dependencies).not.toContain(acs.urn);
  });

  it("makes the link wait for ACS, the hub and the Send rule", () => {
    const link = byName("acsnotif-dev-link");
    for (const name of ["acsnotif-dev-acs", "acsnotif-dev-hub", "acsnotif-dev-send"]) {
      expect(link.dependencies).toContain(byName(name).urn);
    }
  });

  it("links with the Send rule, whose key the link's provider reads when it deploys: no key in the program", () => {
    const link = byName("acsnotif-dev-link");
    expect(link.inputs.authorizationRuleId).toMatch(
      /\/notificationHubs\/[^/]+\/authorizationRules\/acsnotif-dev-send[0-9a-f]{7}$/i,
    );
    // Not a key anywhere in what the program registers or exports, secret or not.
    const everything = JSON.stringify([plan.recording.resources.map((r) => r.inputs), plan.recording.invokes, plan.outputs]);
    expect(everything).not.toMatch(/SharedAccessKey=/);
    expect(plan.recording.invokes.map((i) => i.token).filter((t) => /list.*Keys/i.test(t))).toEqual([]);
  });

  it("points APNs at the sandbox gateway in dev", () => {
    const apns = pulumi.runtime.unwrapRpcSecret(byName("acsnotif-dev-hub").inputs.apnsCredential) as Record<string, unknown>;
    expect(apns.endpoint).toBe("https://api.development.push.apple.com:443/3/device");
  });

  it("exports the documented outputs, and no key among them", () => {
    const outputs = Object.fromEntries(plan.outputs.map((o) => [o.name, o]));
    expect(Object.keys(outputs).sort()).toEqual([
      "acsHostName",
      "acsId",
      "acsName",
      "apnsEnvironment",
      "appHubs",
      "applicationInsightsId",
      "deadLetterContainerUrl",
      "deadLetterStorageAccount",
      "deliveryWorkbookId",
      "eventGridSystemTopicId",
      "eventSubscriptionName",
      "hubId",
      "hubName",
      "hubNamespace",
      "hubRegistrationRuleName",
      "hubSendRuleId",
      "hubSendRuleName",
      "linkedConnectionStringFingerprint",
      "linkedNotificationHubId",
      "nativeApp",
      "pushFunctionAppId",
      "pushFunctionAppName",
      "registrationEndpoint",
    ]);
    // The gateway the dev stack's hub uses, for the doctor to check against.
    expect(outputs.apnsEnvironment).toMatchObject({ value: "sandbox", secret: false });
    expect(outputs.linkedNotificationHubId.value).toBe(outputs.hubId.value);
    expect(outputs.acsHostName.value).toMatch(/\.communication\.azure\.com$/);
    for (const name of ["acsId", "hubId", "linkedConnectionStringFingerprint"]) expect(outputs[name].secret).toBe(false);
  });

  it("subscribes the push function only after its code is deployed, and deploys the bundled sender", () => {
    const subscription = byName("acsnotif-dev-push");
    const deployment = byName("acsnotif-dev-code");
    expect(subscription.dependencies).toContain(deployment.urn);
    expect(deployment.inputs.packagePath).toMatch(/push-sender-[0-9a-f]{16}\.zip$/);
    expect(deployment.inputs.packageSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reports the ESC-provided secrets as opaque", () => {
    expect(plan.opaqueSecrets.map((s) => s.key).sort()).toEqual([
      "acs-notifications:apnsToken",
      "acs-notifications:fcmPrivateKey",
    ]);
  });

  it("normalizes a PEM token only when it is readable", () => {
    expect(normalizeApnsToken("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----")).toBeUndefined();
  });
});
