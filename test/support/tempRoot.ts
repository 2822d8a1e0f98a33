import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Jest global setup and teardown: every test run gets one temporary directory of its own, made the
 * system's temporary directory (TMPDIR) for the run's workers and the processes they start, and
 * removed when the run ends — so whatever a test leaves in `os.tmpdir()` is gone too.
 */
const VARIABLE = "ACS_TEST_RUN_TMPDIR";

export function setUp(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "acs-test-run-"));
  process.env[VARIABLE] = root;
  process.env.TMPDIR = root;
}

export function tearDown(): void {
  const root = process.env[VARIABLE];
  if (root && path.basename(root).startsWith("acs-test-run-")) fs.rmSync(root, { recursive: true, force: true });
}
