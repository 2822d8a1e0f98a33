import * as os from "node:os";
import * as path from "node:path";

// Whatever a test writes under the system's temporary directory lands in the run's own one, which
// the run removes at its end (test/support/tempRoot.ts): a run leaves nothing behind.
describe("the test run's temporary directory", () => {
  it("is this worker's os.tmpdir(), and is the run's own", () => {
    expect(process.env.ACS_TEST_RUN_TMPDIR).toBeDefined();
    expect(os.tmpdir()).toBe(process.env.ACS_TEST_RUN_TMPDIR);
    expect(path.basename(os.tmpdir())).toMatch(/^acs-test-run-/);
  });
});
