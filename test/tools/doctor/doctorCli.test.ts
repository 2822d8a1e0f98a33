import { appHubsOf, outputsForHub, parseDoctorArgs, targetFrom } from "../../../tools/doctor/doctor";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runToolInEnv } from "../../support/runTool";

describe("doctor command line", () => {
  it.each([
    [[], /say which environment/],
    [["--stack", "prod", "--since", "yesterday"], /--since takes hours or days/],
    [["--stack", "prod", "--since", "0h"], /--since takes hours or days from 1h to 93d .*got '0h'/],
    [["--stack", "prod", "--since", "99999999999d"], /from 1h to 93d .*got '99999999999d'/],
    [["--acs-id", "not-an-id"], /--acs-id is not the ARM id of a Communication Services resource/],
    [
      [
        "--acs-id",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
        "--hub-id",
        "hub",
      ],
      /--hub-id is not the ARM id of a notification hub/,
    ],
    [
      ["--acs-id", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs"],
      /say which environment/,
    ],
    [["test-send", "--stack", "prod"], /exactly one of --user, --tag or --tag-expression/],
    [["trace", "--stack", "prod"], /trace follows one user: it needs --user/],
    [["trace", "--stack", "prod", "--tag", "user_1"], /trace follows one user: it needs --user/],
    [["trace", "--stack", "prod", "--user", "someone"], /--user must be an ACS user's raw id/],
    [["retrace", "--stack", "prod"], /unknown command 'retrace' \(the commands are test-send, trace, freshness and rebalance\)/],
    [["rebalance", "--stack", "prod"], /rebalance counts one app's moving users: it needs --app NAME/],
    [["--stack", "prod", "--partition", "1"], /--partition needs --app/],
    [["--stack", "prod", "--app", "Customer App"], /--app must be an app's name/],
    [["--stack", "prod", "--app", "customer", "--partition", "one"], /--partition must be a partition number/],
    [["--stack", "prod", "--platform", "ios"], /--platform must be/],
    [["--stack", "prod", "--bogus", "1"], /unknown option '--bogus'/],
    [["--stack", "../../etc"], /--stack: '..\/..\/etc' is not a stack name/],
    [["--stack"], /--stack needs a value/],
  ])("rejects %j with usage", (argv, message) => {
    expect(parseDoctorArgs(argv as string[])).toMatch(message);
  });

  it("takes a stack as workflows and self-managed backends name it: org/stack and org/project/stack", () => {
    for (const stack of ["myorg/prod", "organization/acs-notifications/prod"]) {
      const args = parseDoctorArgs(["--stack", stack]);
      expect(typeof args === "object" && !("help" in args) ? args.stack : args).toBe(stack);
    }
  });

  it("takes ids and the APNs environment from stack outputs, and the window from --since", () => {
    const args = parseDoctorArgs(["--stack", "staging", "--since", "7d"]);
    if (typeof args === "string" || "help" in args) throw new Error(String(args));
    const target = targetFrom(args, {
      acsId: "/a",
      hubId: "/h",
      hubSendRuleName: "send",
      linkedConnectionStringFingerprint: "sha256:abc",
      hubSendRuleId: "/h/authorizationRules/send",
      apnsEnvironment: "production",
    });
    expect(target).toMatchObject({
      acsId: "/a",
      hubId: "/h",
      sendRuleName: "send",
      linkedFingerprint: "sha256:abc",
      apnsEnvironment: "production",
      sinceHours: 168,
    });
  });

  it("lets --apns-environment win over the output, and ignores an output that names no environment", () => {
    const parsed = (argv: string[]) => {
      const args = parseDoctorArgs(argv);
      if (typeof args === "string" || "help" in args) throw new Error(String(args));
      return args;
    };
    const outputs = { acsId: "/a", hubId: "/h", apnsEnvironment: "production" };
    expect(targetFrom(parsed(["--stack", "dev", "--apns-environment", "sandbox"]), outputs).apnsEnvironment).toBe("sandbox");
    expect(targetFrom(parsed(["--stack", "dev"]), { ...outputs, apnsEnvironment: "Production" }).apnsEnvironment).toBeUndefined();
    expect(targetFrom(parsed(["--stack", "dev"]), { acsId: "/a", hubId: "/h" }).apnsEnvironment).toBeUndefined();
    expect(parseDoctorArgs(["--stack", "dev", "--apns-environment", "develop"])).toMatch(
      /--apns-environment must be production or sandbox; got 'develop'/,
    );
  });

  it("test-send names where it reads the Send key (no key is an output): the Send rule's id, or the environment", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-doctor-"));
    const outputs = path.join(dir, "outputs.json");
    fs.writeFileSync(outputs, JSON.stringify({ hubName: "hub" }));
    const { code, stderr } = await runToolInEnv({}, "doctor", "test-send", "--outputs", outputs, "--user", "8:acs:abc_def");
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /the outputs hubName and hubSendRuleId.*or the Send connection string in ACS_NOTIFICATIONS_HUB_CONNECTION_STRING/,
    );
  });

  it("freshness looks a week back unless told otherwise", () => {
    const week = parseDoctorArgs(["freshness", "--stack", "prod"]);
    const month = parseDoctorArgs(["freshness", "--stack", "prod", "--since", "30d"]);
    expect([week, month].map((a) => (typeof a === "object" && !("help" in a) ? a.sinceHours : a))).toEqual([168, 720]);
  });

  it("trace says it needs the push sender's Application Insights when the outputs have none", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-doctor-"));
    const outputs = path.join(dir, "outputs.json");
    fs.writeFileSync(outputs, JSON.stringify({ hubName: "hub" }));
    const { code, stderr } = await runToolInEnv({}, "doctor", "trace", "--outputs", outputs, "--user", "8:acs:abc_def");
    expect(code).toBe(2);
    expect(stderr).toMatch(/the outputs have no applicationInsightsId/);
  });

  it("without the pulumi CLI, says how to run with --outputs instead", async () => {
    // A PATH with node alone, so the result does not depend on whether this machine has the CLI.
    const { code, stderr } = await runToolInEnv({ PATH: path.dirname(process.execPath) }, "doctor", "--stack", "dev");
    expect(code).toBe(1);
    expect(stderr).toMatch(/pulumi CLI is not installed here.*--outputs FILE/);
  });

  describe("with several apps (--app)", () => {
    const hub = (app: string, partition: number) => ({
      app,
      partition,
      partitions: app === "customer" ? 3 : 1,
      hubName: `${app}-hub-${partition}`,
      hubId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/${app}-${partition}/notificationHubs/${app}-hub-${partition}`,
      hubSendRuleId: `/h/${app}/${partition}/authorizationRules/send`,
      apnsEnvironment: "production",
    });
    const outputs = {
      acsId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
      hubId: hub("customer", 0).hubId,
      hubSendRuleName: "acsnotif-apps-send",
      linkedConnectionStringFingerprint: "sha256:abc",
      appHubs: [hub("customer", 0), hub("customer", 1), hub("customer", 2), hub("staff", 0)],
    };
    const args = () => {
      const a = parseDoctorArgs(["--stack", "prod", "--app", "staff"]);
      if (typeof a === "string" || "help" in a) throw new Error(String(a));
      return a;
    };

    it("checks another app's hub by its own ids, and still expects ACS linked to the linked app's hub", () => {
      const staff = appHubsOf(outputs, "staff");
      if (typeof staff === "string") throw new Error(staff);
      const target = targetFrom(args(), outputsForHub(outputs, staff[0]));
      expect(target).toMatchObject({
        hubId: hub("staff", 0).hubId,
        linkedHubId: hub("customer", 0).hubId,
        appPartition: { app: "staff", partition: 0 },
      });
      // ACS does not link this hub: no link fingerprint to compare, and its own Send rule is found by its rights.
      expect(target.linkedFingerprint).toBeUndefined();
      expect(target.sendRuleName).toBeUndefined();
      // The linked hub keeps them.
      const customer = appHubsOf(outputs, "customer") as ReturnType<typeof hub>[];
      expect(targetFrom(args(), outputsForHub(outputs, customer[0]))).toMatchObject({
        linkedFingerprint: "sha256:abc",
        sendRuleName: "acsnotif-apps-send",
      });
    });

    it("lists an app's partitions in order, and names the apps when asked for one the stack does not have", () => {
      expect((appHubsOf(outputs, "customer") as ReturnType<typeof hub>[]).map((h) => h.partition)).toEqual([0, 1, 2]);
      expect(appHubsOf(outputs, "kiosk")).toBe("the stack has no app 'kiosk'; its apps: customer, staff");
      expect(appHubsOf({}, "kiosk")).toMatch(/the outputs have no appHubs/);
    });

    it("test-send to a tag on an app with several partitions asks which partition", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-doctor-"));
      const file = path.join(dir, "outputs.json");
      fs.writeFileSync(file, JSON.stringify(outputs));
      const { code, stderr } = await runToolInEnv(
        {},
        "doctor",
        "test-send",
        "--outputs",
        file,
        "--app",
        "customer",
        "--tag",
        "user_1",
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(/app customer has 3 partitions: a test send to a tag needs --partition/);
      const wrong = await runToolInEnv({}, "doctor", "--outputs", file, "--app", "customer", "--partition", "7");
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/--partition 7: app customer has partitions 0 to 2/);
    });
  });
});
