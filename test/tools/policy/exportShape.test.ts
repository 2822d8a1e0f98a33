import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stackFromExport } from "../../../tools/policy/policy";
import { readStackExport, StackExportError } from "../../../tools/policy/stackExport";
import { compliantStack } from "../../policies/fixtures";
import { stackExport } from "../../support/stackExport";
import { runTool } from "../../support/runTool";

// What an export cannot steer, and what it must not pass off as something else.
describe("the stack an export's URNs name", () => {
  const urn = (stack: string) => `urn:pulumi:${stack}::acs-notifications::azure-native:notificationhubs:Namespace::ns`;

  it("is taken only when every URN names the same plain stack name", () => {
    expect(stackFromExport([urn("prod"), urn("prod")])).toBe("prod");
    expect(stackFromExport([urn("prod"), urn("dev")])).toBe("unknown");
    expect(stackFromExport([])).toBe("unknown");
  });

  it("never a path (it picks the policy config file) nor markup (it lands in the PR comment)", () => {
    expect(stackFromExport([urn("../../../etc/cfg")])).toBe("unknown");
    expect(stackFromExport([urn("prod\n-->\n# injected")])).toBe("unknown");
  });

  it("keeps a planted path from loading a config outside the project", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-export-"));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "acs-outside-"));
    fs.writeFileSync(path.join(outside, "cfg.json"), JSON.stringify({ all: "disabled" }));
    const stack = compliantStack("dev");
    const rel = path.relative(path.join(__dirname, "..", "..", "..", "policies", "config"), path.join(outside, "cfg"));
    const exported = stackExport(Object.values(stack)) as { deployment: { resources: { urn: string }[] } };
    for (const r of exported.deployment.resources) r.urn = r.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${rel}::`);
    const state = path.join(tmp, "export.json");
    fs.writeFileSync(state, JSON.stringify(exported));
    const { stdout } = await runTool("policy", "--state", state, "--format", "markdown");
    expect(stdout).not.toMatch(/cfg\.json|nothing was checked: the config disables every rule/);
    expect(stdout).toMatch(/unknown/);
  });
});

describe("an export's shape", () => {
  it("refuses a deployment that is not an object instead of calling it an empty stack", () => {
    expect(() => readStackExport({ version: 3, deployment: "x" })).toThrow(StackExportError);
    expect(() => readStackExport({ version: 3, deployment: "x" })).toThrow(/expected deployment to be an object/);
  });

  it("notes a format version it does not know", () => {
    expect(readStackExport({ version: 99, deployment: { resources: [] } }).notes[0]).toMatch(
      /the export says version 99; this tool reads versions 1-3/,
    );
    expect(readStackExport({ version: 3, deployment: { resources: [] } }).notes.join(" ")).not.toMatch(/version/);
  });
});
