import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// npm test's type-check is incremental (scripts/static-checks.js): it must check again — and lint again —
// every file whose result can change, also one that did not change itself, and keep no stale error.
const { compile } = require("../../scripts/static-checks.js") as {
  compile(
    tsconfig: string,
    root: string,
    cacheDir: string,
  ): { diagnostics: { code: number; file?: { fileName: string } }[]; isAffected(file: string): boolean };
};

describe("the incremental type-check", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "acs-static-checks-"));
  const cacheDir = path.join(root, ".cache");
  const importer = path.join(root, "importer.ts");
  const imported = path.join(root, "imported.ts");
  fs.writeFileSync(
    path.join(root, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, lib: ["ES2022"], types: [], skipLibCheck: true }, include: ["*.ts"] }),
  );
  fs.writeFileSync(importer, 'import { f } from "./imported";\nexport const n: number = f();\n');
  const check = () => {
    const { diagnostics, isAffected } = compile("tsconfig.json", root, cacheDir);
    return {
      errors: diagnostics.map((d) => `${path.basename(d.file?.fileName ?? "")} TS${d.code}`),
      importer: isAffected(importer),
      imported: isAffected(imported),
    };
  };

  it("checks every file first, then only what changed or depends on a changed declaration", () => {
    fs.writeFileSync(imported, "export function f(): number {\n  return 1;\n}\n");
    expect(check()).toEqual({ errors: [], importer: true, imported: true });
    expect(check()).toEqual({ errors: [], importer: false, imported: false });
    // A change that leaves the declaration as it was: the importer's result cannot change. (The first
    // such change after a full check rechecks importers too: TypeScript learns the declaration's
    // signature then.)
    fs.writeFileSync(imported, "// one\nexport function f(): number {\n  return 2;\n}\n");
    expect(check()).toMatchObject({ errors: [], imported: true });
    fs.writeFileSync(imported, "// two\nexport function f(): number {\n  return 3;\n}\n");
    expect(check()).toEqual({ errors: [], importer: false, imported: true });
    // A changed declaration: the unchanged importer is checked (and linted) again, and its error found.
    fs.writeFileSync(imported, 'export function f(): string {\n  return "";\n}\n');
    expect(check()).toEqual({ errors: ["importer.ts TS2322"], importer: true, imported: true });
    // Mended: the error does not stay in the build info.
    fs.writeFileSync(imported, "export function f(): number {\n  return 1;\n}\n");
    expect(check()).toEqual({ errors: [], importer: true, imported: true });
  });
});
