import * as fs from "node:fs";
import * as path from "node:path";
import { readStackFiles, StackFileError } from "../../../tools/shared/stackFiles";
import { projectRoot, runTool } from "../../support/runTool";
import { stackDirWith } from "../../support/stackDir";

// A stack file's shape is checked as Pulumi reads it, every problem at once, each named.
function problemsOf(yaml: string): string {
  try {
    readStackFiles(stackDirWith(yaml), "bad");
  } catch (error) {
    expect(error).toBeInstanceOf(StackFileError);
    return (error as Error).message;
  }
  throw new Error("expected the stack file to be refused");
}
const dev = fs.readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8");

describe("a stack file's shape", () => {
  it("says once that config must be a mapping, not once per character", () => {
    const dir = stackDirWith("config: contoso-chat-dev\n");
    expect(() => readStackFiles(dir, "bad")).toThrow(
      // A stack folder outside the project is named in full, not by the file's base name.
      `Invalid stack file (1 problem):\n  - ${path.join(dir, "Pulumi.bad.yaml")}: config must be a mapping of settings (key: value), not a single value or a list.`,
    );
  });

  it("names misspelt top-level keys with what they probably meant", () => {
    const message = problemsOf("confg:\n  acs-notifications:location: westeurope\nenviroment:\n  - acs-notifications/dev\n");
    expect(message).toMatch(/'confg' is not a key of a stack file; did you mean 'config'\?/);
    expect(message).toMatch(/'enviroment' is not a key of a stack file; did you mean 'environment'\?/);
  });

  it("refuses a secure value Pulumi would not read as a secret: beside other keys, empty, or not text", () => {
    const message = problemsOf(
      [
        "config:",
        "  acs-notifications:apnsToken: { secure: v1:c2VjcmV0, extra: x }",
        '  acs-notifications:webhookUrl: { secure: "" }',
        "  acs-notifications:fcmPrivateKey: { secure: 12345 }",
        "",
      ].join("\n"),
    );
    expect(message).toMatch(
      /acs-notifications:apnsToken holds 'secure' beside other keys \(extra\): Pulumi reads that as a plain object/,
    );
    expect(message).toMatch(/acs-notifications:webhookUrl has a 'secure' value that is not encrypted text/);
    expect(message).toMatch(/acs-notifications:fcmPrivateKey has a 'secure' value that is not encrypted text/);
  });

  it("still reads the committed stacks", () => {
    for (const stack of ["dev", "staging", "prod"]) expect(readStackFiles(projectRoot, stack).stack).toBe(stack);
  });
});

describe("settings that are set but say nothing, and namespaces misspelt", () => {
  it("refuses an empty hubSku instead of quietly using Free", async () => {
    const { code, stderr } = await runTool(
      "plan",
      "--stack",
      "bad",
      "--dir",
      stackDirWith(dev.replace("acs-notifications:hubSku: Free", 'acs-notifications:hubSku: ""')),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /acs-notifications:hubSku: is empty: set one of Free \| Basic \| Standard, or remove the key for Free\./,
    );
  });

  it("suggests azure-native:location for azure-nativ:location", async () => {
    const { stderr } = await runTool(
      "plan",
      "--stack",
      "bad",
      "--dir",
      stackDirWith(`${dev}  azure-nativ:location: westeurope\n`),
    );
    expect(stderr).toMatch(/azure-nativ:location: is read by nobody.*did you mean azure-native:location\?/);
  });
});
