import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { userPath, stackNameProblem } from "../../tools/shared/cli";
import { FileReadError, readJsonFile, readYamlFile } from "../../tools/shared/readFiles";
import { projectRoot, runTool, runToolInEnv, runToolProcess } from "../support/runTool";

// What every command line here promises: --help exits 0, bad usage exits 2 and names the option,
// a broken file is named by line and column without its content, and nothing prints a stack trace.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-cli-"));
const SECRET_LOOKING = "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKey=c2VjcmV0LXZhbHVlLW5vdC10by1wcmludA==";
const noStackTrace = /\n\s+at [\w.<]/;

describe.each(["plan", "policy", "doctor", "docs"])("%s command line", (tool) => {
  // Every tool ends through the same runAsCommand (tools/shared/toolMain.ts): one of them is run as
  // a process to show the exit code and streams there, the others in this process.
  const run = tool === "plan" ? runToolProcess : runTool;

  it("answers --help on stdout and exits 0", async () => {
    const { code, stdout, stderr } = await run(tool, "--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: npm run -s ${tool}`));
    expect(stdout).toMatch(/-h, --help/);
    expect(stderr).toBe("");
  });

  it("names an unknown option, shows usage and exits 2", async () => {
    const { code, stdout, stderr } = await runTool(tool, "--frobnicate");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^unknown option '--frobnicate'\nusage: /);
  });
});

// (npm run docs takes no stack.)
describe.each(["plan", "policy", "doctor"])("%s --stack", (tool) => {
  it("refuses a stack name that is a path", async () => {
    const { code, stderr } = await runTool(
      tool,
      "--stack",
      "../../etc/passwd",
      ...(tool === "policy" ? ["--state", "x.json"] : []),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/--stack: '\.\.\/\.\.\/etc\/passwd' is not a stack name/);
  });
});

describe("output reaches a slow reader whole", () => {
  it("a command's exit waits until the pipe has taken everything it printed", async () => {
    // The reader starts only after the command's main has returned: process.exit there used to
    // drop all but the first 64 KiB (a plan piped into jq got half a JSON document).
    const child = spawn(
      process.execPath,
      [path.join(projectRoot, "scripts", "run-ts.js"), path.join(__dirname, "..", "fixtures", "tools", "largeOutputTool.ts")],
      { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    await new Promise<void>((resolve) => child.stderr.on("data", (chunk: Buffer) => chunk.includes("returned") && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    let received = 0;
    child.stdout.on("data", (chunk: Buffer) => (received += chunk.length));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(received).toBe(1 << 20);
  });
});

describe("a broken file is named, never shown", () => {
  it("plan: a stack file with a YAML error gives file:line:col and the kind of problem", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stack-"));
    fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.broken.yaml"),
      `config:\n  acs-notifications:location: westeurope\n  acs-notifications:hub: "${SECRET_LOOKING}\n`,
    );
    const { code, stdout, stderr } = await runTool("plan", "--stack", "broken", "--dir", dir);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/\/Pulumi\.broken\.yaml:4:1: the stack file is not valid YAML: .*\(the content is not shown\)/);
    expect(stderr).not.toContain("SharedAccessKey");
    expect(stderr).not.toMatch(noStackTrace);
  });

  it("policy: a state export with a JSON error gives file:line:col, with --format json as JSON", async () => {
    const state = path.join(tmp, "broken-state.json");
    fs.writeFileSync(state, `{\n  "deployment": {\n    "secret": "${SECRET_LOOKING}",\n    oops\n  }\n}\n`);
    const text = await runTool("policy", "--state", state);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/broken-state\.json:4:5: the state export is not valid JSON: an unexpected character/);
    expect(text.stderr).not.toContain("SharedAccessKey");
    expect(text.stderr).not.toMatch(noStackTrace);

    const json = await runTool("policy", "--state", state, "--format", "json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatch(/broken-state\.json:4:5/);
    expect(json.stdout).not.toContain("SharedAccessKey");
  });

  it("doctor: an outputs file that ends early is named, with no content", async () => {
    const outputs = path.join(tmp, "outputs.json");
    fs.writeFileSync(outputs, `{"hubSendConnectionString": "${SECRET_LOOKING}"`);
    const { code, stderr } = await runTool("doctor", "--outputs", outputs);
    expect(code).toBe(1);
    expect(stderr).toMatch(/outputs\.json:1:\d+: the outputs file is not valid JSON: it ends early/);
    expect(stderr).not.toContain("SharedAccessKey");
    expect(stderr).not.toMatch(noStackTrace);
  });

  it("a file that is not there, or is a directory, is said plainly", () => {
    expect(() => readJsonFile(path.join(tmp, "missing.json"), "the state export")).toThrow(
      /the state export .*missing\.json does not exist\./,
    );
    expect(() => readYamlFile(tmp, "the stack file")).toThrow(/is a directory, not a file/);
    expect(() => readYamlFile(tmp)).toThrow(FileReadError);
  });

  it("a YAML file with a duplicate key is rejected rather than silently keeping the last", () => {
    const file = path.join(tmp, "dup.yaml");
    fs.writeFileSync(file, "config:\n  a: 1\n  a: 2\n");
    expect(() => readYamlFile(file, "dup.yaml")).toThrow(/dup\.yaml:3:3: dup\.yaml is not valid YAML: a duplicate key/);
  });
});

describe("paths and reports", () => {
  it("takes relative paths from where npm was run, not from the package root", () => {
    expect(userPath("reports/policy.md", { INIT_CWD: "/home/me/app" })).toBe("/home/me/app/reports/policy.md");
    expect(userPath("/abs/file.json", { INIT_CWD: "/home/me/app" })).toBe("/abs/file.json");
  });

  it("accepts real stack names and refuses paths", () => {
    for (const name of ["dev", "prod-weu", "org.team_stack"]) expect(stackNameProblem(name)).toBeUndefined();
    for (const name of ["../dev", "a/b", ".hidden", ""]) expect(stackNameProblem(name)).toBeDefined();
  });

  it("a report that cannot be written is one line naming the file, and the run fails", async () => {
    const blocker = path.join(tmp, "not-a-dir");
    fs.writeFileSync(blocker, "");
    // In this process, with npm's INIT_CWD set: the subject is the report's path, not the process boundary.
    const { code, stdout, stderr } = await runToolInEnv(
      { INIT_CWD: tmp },
      "plan",
      "--stack",
      "dev",
      "--report",
      "markdown=not-a-dir/plan.md",
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/cannot write the markdown report to .*not-a-dir\/plan\.md \((ENOTDIR|EEXIST)\)/);
    expect(stderr).not.toMatch(noStackTrace);
  });

  it("a report path relative to the user's directory lands there", async () => {
    const { code } = await runToolInEnv({ INIT_CWD: tmp }, "plan", "--stack", "dev", "--report", "sarif=out/plan.sarif");
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, "out", "plan.sarif"), "utf8")).version).toBe("2.1.0");
  });
});
