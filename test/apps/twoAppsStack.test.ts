import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runTool } from "../support/runTool";

/**
 * The committed example stack (examples/two-apps): a customer app on 3 Standard partitions and a
 * staff app on one Basic hub, planned offline with the policy pack, as a platform team would run it.
 */
const EXAMPLE = path.join(__dirname, "..", "..", "examples", "two-apps");

interface Planned {
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  dependsOn: string[];
}
interface Plan {
  resources: Planned[];
  policy: { summary: { mandatory: number; advisory: number }; violations: { policy: string; message: string }[] };
}

async function plan(dir: string): Promise<Plan> {
  const { code, stdout, stderr } = await runTool(
    "plan",
    "--dir",
    dir,
    "--stack",
    "two-apps",
    "--json",
    "--policy-config",
    path.join(EXAMPLE, "policy-config.json"),
  );
  expect({ code, stderr }).toEqual({ code: expect.any(Number), stderr: expect.any(String) });
  return JSON.parse(stdout) as Plan;
}

describe("the two-app example stack", () => {
  let example: Plan;
  beforeAll(async () => {
    example = await plan(EXAMPLE);
  });

  it("plans one namespace and hub per app partition, the linked app's first under the stack's own name", () => {
    const hubs = example.resources.filter((r) => r.type === "acs-notifications:notificationhubs:NotificationHub");
    expect(hubs.map((h) => [h.name, h.inputs.app, h.inputs.partition, h.inputs.sku, h.inputs.linked])).toEqual([
      ["acsnotif-apps", "customer", 0, "Standard", true],
      ["acsnotif-apps-p1", "customer", 1, "Standard", false],
      ["acsnotif-apps-p2", "customer", 2, "Standard", false],
      ["acsnotif-apps-staff", "staff", 0, "Basic", false],
    ]);
    expect(example.resources.filter((r) => r.type === "azure-native:notificationhubs:Namespace")).toHaveLength(4);
    // Send and Listen rules for each, and each one's keys into the vault.
    expect(
      example.resources.filter((r) => r.type === "azure-native:notificationhubs:NotificationHubAuthorizationRule"),
    ).toHaveLength(8);
    expect(example.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:HubKeySecret")).toHaveLength(8);
  });

  it("keeps each app's partition count in state, and every namespace of the app waits for it", () => {
    const layouts = example.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:PartitionLayout");
    expect(layouts.map((l) => [l.name, l.inputs.app, l.inputs.partitions])).toEqual([
      ["acsnotif-apps-customer-partitions", "customer", 3],
      ["acsnotif-apps-staff-partitions", "staff", 1],
    ]);
    const hubs = example.resources.filter((r) => r.type === "acs-notifications:notificationhubs:NotificationHub");
    for (const hub of hubs) expect(hub.dependsOn.join(" ")).toContain(`acsnotif-apps-${hub.inputs.app}-partitions`);
  });

  it("links ACS to the customer app's first partition only", () => {
    const links = example.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:NotificationHubLink");
    expect(links).toHaveLength(1);
    expect(links[0].dependsOn.join(" ")).toContain("acsnotif-apps-hub");
    expect(links[0].dependsOn.join(" ")).not.toMatch(/acsnotif-apps-(p1|p2|staff)-hub/);
  });

  it("watches every hub with its own alerts, and no credential alert for a platform the app lacks", () => {
    const alerts = example.resources.filter((r) => r.type === "azure-native:monitor:MetricAlert").map((r) => r.name);
    for (const label of ["", "-customer-p1", "-customer-p2", "-staff-p0"])
      for (const key of ["hub-auth-errors", "hub-pns-errors", "hub-payload-errors", "hub-rejected-sends"])
        expect(alerts).toContain(`acsnotif-apps-${key}${label}`);
    expect(alerts).toContain("acsnotif-apps-hub-fcm-auth-errors-customer-p2");
    expect(alerts).not.toContain("acsnotif-apps-hub-fcm-auth-errors-staff-p0");
  });

  it("passes the policy pack", () => {
    expect(example.policy.summary).toEqual({ mandatory: 0, advisory: 0 });
  });

  it("warns when an app's partitions cannot hold the devices it expects", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "two-apps-"));
    fs.copyFileSync(path.join(EXAMPLE, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const stack = fs.readFileSync(path.join(EXAMPLE, "Pulumi.two-apps.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.two-apps.yaml"),
      stack
        .replace("expectedDevices: 24000000", "expectedDevices: 40000000")
        .replace(/expectedDevices: 4000$/m, "expectedDevices: 250000"),
    );
    const grown = await plan(dir);
    const findings = grown.policy.violations.filter((v) => v.policy === "app-hubs-hold-expected-devices").map((v) => v.message);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /App 'customer' expects 40000000 devices, but 3 Standard namespace\(s\) hold 30000000 .* needs 5 partitions\.$/,
        ),
        expect.stringMatching(
          /App 'staff' expects 250000 devices, but 1 Basic namespace\(s\) hold 200000 .* needs 2 partitions or a higher tier\.$/,
        ),
      ]),
    );
    // The example's policy config makes every rule mandatory, as a production stack's does.
    expect(grown.policy.summary).toEqual({ mandatory: 2, advisory: 0 });
  });
});
