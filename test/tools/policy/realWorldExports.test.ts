import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackExport, StackExportError } from "../../../tools/policy/stackExport";
import { acsEventSubscriptions } from "../../../policies/rules/eventGrid";
import { StackGraph } from "../../../policies/framework/stackGraph";
import { compliantStack } from "../../policies/fixtures";
import { stackExport } from "../../support/stackExport";
import { runTool } from "../../support/runTool";

const SIG = "4dabf18193072939515e22adb298388d";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-exports-"));

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

/** The compliant stack's export with extra raw entries and values, as real `pulumi stack export` files hold them. */
function realWorldExport(): { deployment: { resources: unknown[] } } {
  const exported = stackExport(Object.values(compliantStack("dev")), ["fcmV1Credential"]) as {
    deployment: { resources: Record<string, unknown>[] };
  };
  const [, acs, hub] = exported.deployment.resources as { urn: string; inputs: Record<string, unknown> }[];
  // A component output that is another resource (a resource reference).
  hub.inputs.namespace = {
    [SIG]: "5cf8f73096256a8f31e491e813e4eb8e",
    urn: acs.urn,
    id: "/subscriptions/x/ns",
    packageVersion: "3.28.0",
  };
  // An output value, as state written with output values in properties keeps it.
  acs.inputs.hostName = { [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "acs-dev.communication.azure.com", dependencies: [] };
  acs.inputs.pending = { [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", dependencies: [] };
  // The push sender's package, stored by hash.
  acs.inputs.archive = { [SIG]: "0def7320c3a5731c473e5ecbe6d01bc7", hash: "ab12cd34ef56ab12cd34ef56" };
  return { deployment: { resources: [...exported.deployment.resources, null, { urn: 42 }] } } as never;
}

describe("pulumi stack export files as they come", () => {
  it("converts references, output values and archives, skips null entries and says so", () => {
    const read = readStackExport(realWorldExport());
    expect(read.resources).toHaveLength(8);
    const hub = read.resources.find((r) => r.name === "hub")!;
    expect(hub.properties.namespace).toBe("/subscriptions/x/ns");
    const acs = read.resources.find((r) => r.name === "acs")!;
    expect(acs.properties.hostName).toBe("acs-dev.communication.azure.com");
    expect(acs.properties.pending).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect(acs.properties.archive).toBe("[archive ab12cd34ef56ab12]");
    expect(read.encryptedProperties).toEqual(["hub.fcmV1Credential"]);
    expect(read.notes).toEqual([
      "2 entries of deployment.resources skipped: null or without a urn and type.",
      "1 resource reference checked as the referenced resource's id.",
      "2 output values checked as their value (not known where the state has none).",
      "1 asset or archive not checked (no rule reads them).",
    ]);
  });

  it("names the property holding a value of an unknown kind, without the value", () => {
    const exported = stackExport(Object.values(compliantStack("dev"))) as { deployment: { resources: { inputs?: object }[] } };
    exported.deployment.resources[1].inputs = {
      weird: { nested: { [SIG]: "ffffffffffffffffffffffffffffffff", secret: "s3cr3t" } },
    };
    expect(() => readStackExport(exported)).toThrow(StackExportError);
    expect(() => readStackExport(exported)).toThrow(/^acs\.weird\.nested holds a value of a kind this tool does not know/);
  });

  it("reads an empty stack's export as no resources, with a note", () => {
    expect(readStackExport({ version: 3, deployment: { manifest: {} } })).toMatchObject({
      resources: [],
      notes: [expect.stringMatching(/empty stack/)],
    });
    expect(readStackExport({ version: 3, deployment: { resources: [] } }).notes).toEqual([
      "the export holds no resources to check.",
    ]);
  });

  it("runs the pack on such an export end to end, reporting what it covered", async () => {
    const { code, stdout, stderr } = await runTool(
      "policy",
      "--state",
      writeJson("real.json", realWorldExport()),
      "--format",
      "json",
    );
    expect(stderr).not.toMatch(/TypeError|Unrecognized signature/);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      checked: true,
      resources: 8,
      config: expect.stringMatching(/^policies\/config\/dev\.json$/),
      encryptedProperties: ["hub.fcmV1Credential"],
    });
    expect(report.notes).toContain("2 entries of deployment.resources skipped: null or without a urn and type.");
    expect(code).toBe(report.summary.mandatory > 0 ? 1 : 0);
  });
});

describe("a report never says passed when nothing was checked", () => {
  it("an empty export fails, and every format says nothing was checked", async () => {
    const state = writeJson("empty.json", { version: 3, deployment: { resources: [] } });
    const md = path.join(tmp, "empty.md");
    const sarif = path.join(tmp, "empty.sarif");
    const { code, stdout } = await runTool(
      "policy",
      "--state",
      state,
      "--stack",
      "dev",
      "--report",
      `markdown=${md}`,
      "--report",
      `sarif=${sarif}`,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/Nothing was checked: the input holds no resources\./);
    expect(stdout).not.toMatch(/no violations/);
    const markdown = fs.readFileSync(md, "utf8");
    expect(markdown).toMatch(/⚪ nothing was checked: the input holds no resources/);
    expect(markdown).not.toMatch(/✅ passed/);
    const run = JSON.parse(fs.readFileSync(sarif, "utf8")).runs[0];
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text)).toContain(
      "nothing was checked: the input holds no resources",
    );
  });

  it("a config that disables every rule is said plainly, and lists the disabled rules", async () => {
    const state = writeJson("ok.json", stackExport(Object.values(compliantStack("dev"))));
    const config = writeJson("all-off.json", { all: "disabled" });
    const { code, stdout } = await runTool("policy", "--state", state, "--policy-config", config, "--format", "markdown");
    expect(stdout).toMatch(/⚪ nothing was checked: the config disables every rule/);
    expect(stdout).toContain(`Config: ${config}. Resources checked: 8.`);
    expect(stdout).toMatch(/Disabled rules \(not checked\): apns-token-auth-required, /);
    // A pipeline must not pass on it, unless asked to.
    expect(code).toBe(1);
    expect((await runTool("policy", "--state", state, "--policy-config", config, "--allow-nothing-checked")).code).toBe(0);
    const planConfig = writeJson("all-off-plan.json", { all: "disabled" });
    expect((await runTool("plan", "--policy-config", planConfig)).code).toBe(1);
    expect((await runTool("plan", "--policy-config", planConfig, "--allow-nothing-checked")).code).toBe(0);
  });

  it("names the encrypted properties it could not check", async () => {
    const state = writeJson("enc.json", stackExport(Object.values(compliantStack("dev")), ["fcmV1Credential", "apnsCredential"]));
    const { stdout } = await runTool("policy", "--state", state);
    expect(stdout).toMatch(
      /Encrypted, so not checked \(2\): hub\.apnsCredential, hub\.fcmV1Credential; export with --show-secrets/,
    );
  });
});

describe("subscriptions to ACS events whose topic lives in another stack", () => {
  it("are recognised by their event-type filter or their ACS scope", () => {
    const stack = compliantStack("dev");
    const view = (name: string, type: string, props: Record<string, unknown>) => ({
      type,
      name,
      urn: `urn:pulumi:dev::app::${type}::${name}`,
      props,
      dependencies: [],
      propertyDependencies: {},
    });
    const shared = view("shared-topic-sub", stack.subscription.type, {
      systemTopicName: "platform-acs-topic",
      filter: { includedEventTypes: ["Microsoft.Communication.ChatMessageReceived"] },
    });
    const classic = view("classic-sub", "azure:eventgrid/systemTopicEventSubscription:SystemTopicEventSubscription", {
      systemTopic: "platform-acs-topic",
      includedEventTypes: ["Microsoft.Communication.IncomingCall"],
    });
    const storage = view("blob-sub", stack.subscription.type, {
      systemTopicName: "storage-topic",
      filter: { includedEventTypes: ["Microsoft.Storage.BlobCreated"] },
    });
    const found = acsEventSubscriptions(new StackGraph([shared, classic, storage])).map((s) => s.name);
    expect(found).toEqual(["shared-topic-sub", "classic-sub"]);
  });
});
