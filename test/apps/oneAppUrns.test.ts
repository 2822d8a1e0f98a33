import * as fs from "node:fs";
import * as path from "node:path";
import { committedPlan } from "../support/committedPlan";

/**
 * A stack with one app and one partition plans exactly the resources it did before apps and
 * partitions existed — same URNs, so `pulumi up` replaces nothing (test/fixtures/urns/README.md).
 */
describe("one-app stacks keep their URNs", () => {
  it.each(["dev", "staging", "prod"])("%s plans the same URNs as before apps and partitions", async (stack) => {
    const { code, stdout } = await committedPlan("--stack", stack, "--json");
    expect(code).toBe(0);
    const urns = (JSON.parse(stdout) as { resources: { urn: string }[] }).resources.map((r) => r.urn).sort();
    const before = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "fixtures", "urns", `${stack}.json`), "utf8"),
    ) as string[];
    expect(urns).toEqual(before);
  });
});
