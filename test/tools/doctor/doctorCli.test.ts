import { parseDoctorArgs, targetFrom } from "../../../tools/doctor/doctor";
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
    [["retrace", "--stack", "prod"], /unknown command 'retrace' \(the commands are test-send, trace and freshness\)/],
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
});
