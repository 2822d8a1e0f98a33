import { parsePlanArgs } from "../../../tools/plan/plan";
import { withComputedUnknown } from "../../../tools/mocks/azureMocks";
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../../support/runTool";
import { committedPlan } from "../../support/committedPlan";

// What a reviewer reads in the plan says what it is: unknown values as unknown, counts that count
// what they say, arguments named as typed, no report silently overwriting another.
describe("the plan's wording", () => {
  it("shows a principal Azure assigns as (known after deploy), never as an empty string", async () => {
    const { code, stdout } = await committedPlan("--stack", "dev", "--json");
    expect(code).toBe(0);
    const assignments = (JSON.parse(stdout).resources as { type: string; inputs: Record<string, unknown> }[]).filter(
      (r) => r.type === "azure-native:authorization:RoleAssignment",
    );
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments) expect(a.inputs.principalId).toBe("(known after deploy)");
  });

  it("counts the project's own provider resources apart from Azure's", async () => {
    const { stdout } = await committedPlan("--no-policy");
    const line =
      /Resources to create \((\d+) Azure resources, (\d+) the project's own providers manage, (\d+) components\):/.exec(stdout);
    expect(line).not.toBeNull();
    const dynamic = (stdout.match(/^ {2}\+ pulumi-nodejs:dynamic:\S+ {2}/gm) ?? []).length;
    const all = (stdout.match(/^ {2}\+ (?!acs-notifications:)\S+ {2}/gm) ?? []).length;
    expect(Number(line![2])).toBe(dynamic);
    expect(Number(line![1])).toBe(all - dynamic);
  });

  it("refuses two reports into one file instead of overwriting the first", () => {
    expect(parsePlanArgs(["--report", "markdown=r.txt", "--report", "sarif=./r.txt"], projectRoot)).toMatch(
      /^--report: markdown and sarif both name \S*\/r\.txt; give each report its own file$/,
    );
  });

  it("names a missing value by the spelling the user typed", () => {
    expect(parsePlanArgs(["-s"], projectRoot)).toMatch(/^-s needs a value/);
    expect(parsePlanArgs(["--stack"], projectRoot)).toMatch(/^--stack needs a value/);
  });
});

describe("what a preview cannot know", () => {
  it("is unknown at any depth: an output beside an input in the same object", () => {
    const state = withComputedUnknown(
      { identity: { type: "SystemAssigned" }, location: "westeurope" },
      {
        identity: { type: "SystemAssigned", principalId: "00000000-0000-0000-0000-000000000001" },
        id: "x",
        location: "westeurope",
      },
    );
    expect(state).toEqual({
      identity: { type: "SystemAssigned", principalId: pulumi.runtime.unknownValue },
      id: pulumi.runtime.unknownValue,
      location: "westeurope",
    });
  });
});
