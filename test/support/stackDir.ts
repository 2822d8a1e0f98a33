import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "./runTool";

/**
 * A scratch directory holding a project's Pulumi.yaml (the root project's, or the one under
 * `projectDir`) and one stack file `Pulumi.<stack>.yaml` with the given text: what `--dir`
 * points a tool at to try a stack file that is not committed.
 */
export function stackDirWith(stackYaml: string, options: { projectDir?: string; stack?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-stack-"));
  fs.copyFileSync(path.join(projectRoot, options.projectDir ?? "", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, `Pulumi.${options.stack ?? "bad"}.yaml`), stackYaml);
  return dir;
}
