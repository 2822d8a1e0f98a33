import * as fs from "node:fs";
import * as path from "node:path";
import { READ_BY_POST, refreshAction, roleAllows } from "../../azure/refreshActions";
import { projectRoot as root } from "../support/runTool";

// The daily drift check runs `preview --refresh` as the preview identity: it must be able to read
// back every resource every committed stack has, or refresh fails and "drift" is reported daily.
// Each committed stack's plan is held against the role in test/gitops/workflows.test.ts.
const previewRole = JSON.parse(fs.readFileSync(path.join(root, "gitops", "preview-role.json"), "utf8")) as {
  Actions: string[];
};

describe("the actions a refresh needs", () => {
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
