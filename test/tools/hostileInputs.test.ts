import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { runTool } from "../support/runTool";
import { stackDirWith } from "../support/stackDir";

// The class, not the instances: hostile files, exports and arguments generated for the tools, each
// run asserting what a user relies on — exit 0, 1 or 2, no stack trace, and no planted secret in
// any output. PROPERTY_RUNS widens the run (a few per property in `npm test`).
const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);
const SECRET = "Zx9-hunter2-Pa55w0rd-SECRET";
const noStackTrace = /\n\s+at [\w.<]/;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-hostile-"));

function expectContained(run: { code: number; stdout: string; stderr: string }, codes: number[]): void {
  expect(codes).toContain(run.code);
  expect(run.stdout + run.stderr).not.toMatch(noStackTrace);
  expect(run.stdout + run.stderr).not.toContain(SECRET);
}

/** Stack-file lines that carry the secret where no tool may show it. */
const secretLine = fc.constantFrom(
  `  acs-notifications:hub: "${SECRET}`, // an unclosed quote
  `  acs-notifications:apnsToken: *${SECRET}`, // an alias to no anchor
  `  acs-notifications:apnsToken: { secure: ${SECRET}, extra: x }`, // secure beside another key
  `  acs-notifications:webhookUrl: ${SECRET}`, // a secret in clear text
  `  acs-notificatons:webhookUrl: ${SECRET}`, // a misspelt namespace
  `  acs-notifications:unknownSetting: ${SECRET}`, // a key nobody reads
  `\tacs-notifications:hub: ${SECRET}`, // a tab as indentation
  `  acs-notifications:tags: [${SECRET}`, // an unclosed list
);
/** Anything else a broken file may hold. */
const junkLine = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "config:",
    "  acs-notifications:location: westeurope",
    "environment: [",
    "- x",
    "  : :",
    "&a [*a]",
    "---",
    "...",
  ),
);

describe("hostile inputs to the tools", () => {
  it("a broken or hostile stack file: plan ends 1 or 2, in one message, never showing the secret", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(secretLine, junkLine), { minLength: 1, maxLength: 8 }),
        secretLine,
        async (lines, planted) => {
          const dir = stackDirWith(["config:", planted, ...lines].join("\n") + "\n");
          expectContained(await runTool("plan", "--stack", "bad", "--dir", dir, "--no-policy"), [1, 2]);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("a hostile state export: policy ends 0 or 1, never showing a property's value or a stack trace", async () => {
    const property = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.constant(SECRET),
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.constant(null),
        fc.constantFrom(
          { "4dabf18193072939515e22adb298388d": SECRET },
          { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: `"${SECRET}"` },
        ),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a", "b", "apnsCredential", "rights", "token"), tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    const resource = fc.record({
      urn: fc.constantFrom(
        "urn:pulumi:dev::acs-notifications::azure-native:notificationhubs:NotificationHub::hub",
        "urn:pulumi:dev::acs-notifications::azure-native:notificationhubs:NotificationHubAuthorizationRule::send",
        "urn:pulumi:dev::acs-notifications::pulumi-nodejs:dynamic:NotificationHubLink::link",
      ),
      type: fc.constantFrom(
        "azure-native:notificationhubs:NotificationHub",
        "azure-native:notificationhubs:NotificationHubAuthorizationRule",
        "pulumi-nodejs:dynamic:NotificationHubLink",
      ),
      inputs: fc.dictionary(fc.constantFrom("apnsCredential", "rights", "connectionString", "notificationHubId", "x"), property, {
        maxKeys: 4,
      }),
    });
    const exported = fc.oneof(
      fc.record({ version: fc.constantFrom(3, 99), deployment: fc.record({ resources: fc.array(resource, { maxLength: 4 }) }) }),
      fc.record({
        version: fc.constant(3),
        deployment: fc.oneof(fc.constant(SECRET), fc.constant(null), fc.array(property, { maxLength: 2 })),
      }),
      property,
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(exported, async (value) => {
        const file = path.join(tmp, `export-${n++}.json`);
        fs.writeFileSync(file, JSON.stringify(value));
        expectContained(await runTool("policy", "--state", file, "--format", "markdown"), [0, 1]);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("a file that is not the JSON it should be: every tool names it, never shows it", async () => {
    const text = fc.oneof(
      fc.constant(`{"version": 3, "deployment": {"resources": [${"[".repeat(5000)}`),
      fc.constant(`{"acsId": "${SECRET}`),
      fc.string({ maxLength: 30 }).map((s) => `${s}${SECRET}`),
      fc.constant("null"),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (content) => {
        const file = path.join(tmp, `file-${n++}.json`);
        fs.writeFileSync(file, content);
        expectContained(await runTool("policy", "--state", file), [1]);
        expectContained(await runTool("doctor", "--outputs", file, "--json"), [1, 2]);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("arguments out of the blue: usage errors exit 2, in one message, no stack trace", async () => {
    const arg = fc.oneof(
      fc.constantFrom(
        "--stack",
        "-s",
        "--json",
        "--since",
        "--tag",
        "--user",
        "--report",
        "--state",
        "--format",
        "--dir",
        "--",
        "-h",
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("plan", "policy", "doctor"),
        fc.array(arg, { minLength: 1, maxLength: 5 }),
        async (tool, argv) => {
          const run = await runTool(tool, ...argv.filter((a) => a !== "-h" && a !== "--help"));
          expect([0, 1, 2]).toContain(run.code);
          expect(run.stdout + run.stderr).not.toMatch(noStackTrace);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
