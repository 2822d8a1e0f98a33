import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  FileReadError,
  MAX_NESTING,
  nestingDepth,
  readBoundedText,
  readJsonFile,
  readYamlFile,
} from "../../../tools/shared/readFiles";
import { PROJECT_ROOT, shownPath } from "../../../tools/shared/projectRoot";

// The one bounded way the tools read a file: named by file (and line where there is one), never
// shown, never read past its limit, never a crash on a hostile shape.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-read-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const SECRET = "hunter2-Pa55w0rd";
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};
function failure(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(FileReadError);
    return (error as Error).message;
  }
  throw new Error("expected the read to fail");
}

describe("YAML that cannot become values", () => {
  it("names an alias to no anchor by file:line:column, never its name (a mistyped secret)", () => {
    const file = write("alias.yaml", `config:\n  acs-notifications:location: westeurope\n  acs-notifications:hub: *${SECRET}\n`);
    const message = failure(() => readYamlFile(file, "Pulumi.dev.yaml"));
    expect(message).toMatch(/alias\.yaml:3:26: Pulumi\.dev\.yaml is not valid YAML: an alias .* to no anchor/);
    expect(message).not.toContain(SECRET);
  });

  it("refuses aliases that expand a small file into a huge value", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      laughs.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    const message = failure(() => readYamlFile(write("laughs.yaml", laughs.join("\n") + "\n"), "the stack file"));
    expect(message).toMatch(/laughs\.yaml: the stack file is not valid YAML: its aliases expand too far/);
  });

  it("refuses a file nested deeper than any real one, by name", () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    expect(failure(() => readJsonFile(write("deep.json", deep), "the state export"))).toMatch(
      new RegExp(`deep\\.json: the state export nests deeper than ${MAX_NESTING} levels`),
    );
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
  });
});

describe("bounded reads", () => {
  it("refuses a file past its limit before reading it whole, naming the file and the limit", () => {
    const file = write("big.json", `"${"x".repeat(2048)}"`);
    expect(failure(() => readJsonFile(file, "the outputs file", { maxBytes: 1024 }))).toBe(
      `the outputs file ${file} is larger than 1 KiB, the most this tool reads (the content is not shown).`,
    );
    expect(readJsonFile(file, "the outputs file", { maxBytes: 4096 })).toHaveLength(2048);
  });

  it("stops reading a device with no size at the limit (/dev/zero)", () => {
    expect(failure(() => readBoundedText("/dev/zero", "the state export", { maxBytes: 4 * 1024 * 1024 }))).toMatch(
      /the state export \/dev\/zero is larger than 4 MiB/,
    );
  });

  it("names a missing file and a directory", () => {
    expect(failure(() => readBoundedText(path.join(tmp, "nope.json"), "the policy config"))).toMatch(/does not exist\.$/);
    expect(failure(() => readBoundedText(tmp, "the policy config"))).toMatch(/is a directory, not a file\.$/);
  });
});

describe("how the tools name a file", () => {
  it("relative inside the project, in full outside it: never a base name that could be any folder's", () => {
    expect(shownPath(path.join(PROJECT_ROOT, "policies", "config", "prod.json"))).toBe("policies/config/prod.json");
    const outside = path.join(tmp, "elsewhere", "prod.json");
    expect(shownPath(outside)).toBe(outside);
    expect(failure(() => readJsonFile(outside, "the policy config"))).toBe(`the policy config ${outside} does not exist.`);
  });
});
