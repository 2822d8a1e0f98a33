import * as fs from "node:fs";
import * as path from "node:path";
import { READ_BY_POST, refreshAction, roleAllows } from "../../azure/refreshActions";
import { runPlan } from "../../tools/plan/plan";
import { committedStacks } from "../../tools/shared/stackFiles";
import { projectRoot as root } from "../support/runTool";

// The daily drift check runs `preview --refresh` as the preview identity: it must be able to read
// back every resource every committed stack has, or refresh fails and "drift" is reported daily.
const previewRole = JSON.parse(fs.readFileSync(path.join(root, "gitops", "preview-role.json"), "utf8")) as {
  Actions: string[];
};

describe("the preview identity can refresh every stack", () => {
  it.each(committedStacks(root))("%s: every resource's read is an action the preview role holds", async (stack) => {
    const plan = await runPlan({ stack, json: false, root, stackDir: root, policy: false });
    const types = [...new Set(plan.recording.resources.filter((r) => r.custom).map((r) => r.type))].filter((t) =>
      t.startsWith("azure-native:"),
    );
    const missing = types.filter((t) => !roleAllows(previewRole.Actions, refreshAction(t)));
    expect(missing).toEqual([]);
  });

  it("knows the app settings are read by POST …/config/appsettings/list, which */read does not cover", () => {
    expect(refreshAction("azure-native:web:WebAppApplicationSettings")).toBe("Microsoft.Web/sites/config/list/action");
    expect(roleAllows(["*/read"], "Microsoft.Web/sites/config/list/action")).toBe(false);
    expect(roleAllows(["*/read"], "Microsoft.Web/sites/config/read")).toBe(true);
    // AuthSettingsV2 has a GET of its own (WebApps_GetAuthSettingsV2): a read.
    expect(refreshAction("azure-native:web:WebAppAuthSettingsV2")).toBe("*/read");
  });

  it("grants nothing a refresh does not need: reads, and the POST reads in the table", () => {
    expect(previewRole.Actions.filter((a) => a !== "*/read" && !Object.values(READ_BY_POST).includes(a))).toEqual([]);
  });
});
