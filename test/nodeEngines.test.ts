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
