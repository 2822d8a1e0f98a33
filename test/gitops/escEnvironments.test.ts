import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SECRET_KEYS } from "../../config/stackConfigTypes";

/**
 * The rules of Pulumi ESC's parser that the example environments rely on, as pulumi/esc
 * `ast/expr.go` (commit 04eee2a190e774d035b3734c0e9c7e21f1187be9) states them:
 *   - tryParseFunction: an `fn::` key must be the only key of its object, and `fn::` is a reserved
 *     prefix for anything but the builtins (fn::open, fn::open::<provider>, fn::secret, …);
 *   - parseSecret: `fn::secret` takes a string literal or `{ ciphertext: <string> }`; anything else —
 *     a `${reference}` included, which ParseExpr turns into a symbol — is "secret values must be
 *     string literals", and the environment does not open.
 * Plus what the Pulumi CLI does with an opened environment: it exports `environmentVariables` and
 * `files` into its own process, so ARM_* / AZURE_* there would override the workflow's login.
 */
const BUILTINS = new Set([
  "fn::fromJSON",
  "fn::fromBase64",
  "fn::join",
  "fn::open",
  "fn::rotate",
  "fn::secret",
  "fn::toBase64",
  "fn::toJSON",
  "fn::toString",
]);

export function escProblems(definition: unknown): string[] {
  const problems: string[] = [];
  const isInterpolated = (s: string) => /(^|[^$])\$\{/.test(s);
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${at}[${i}]`));
    if (typeof node !== "object" || node === null) return;
    const entries = Object.entries(node as Record<string, unknown>);
    const fnKeys = entries.map(([k]) => k).filter((k) => k.startsWith("fn::"));
    if (fnKeys.length > 0 && entries.length !== 1)
      problems.push(`${at}: illegal call to builtin function: "${fnKeys[0]}" must be the only key within its containing object`);
    for (const [key, value] of entries) {
      if (key.startsWith("fn::") && !BUILTINS.has(key) && !key.startsWith("fn::open::") && !key.startsWith("fn::rotate::"))
        problems.push(`${at}.${key}: 'fn::' is a reserved prefix`);
      if (key === "fn::secret") {
        const literal = typeof value === "string" && !isInterpolated(value);
        const ciphertext =
          typeof value === "object" &&
          value !== null &&
          Object.keys(value).length === 1 &&
          typeof (value as { ciphertext?: unknown }).ciphertext === "string";
        if (!literal && !ciphertext) problems.push(`${at}.fn::secret: secret values must be string literals`);
      }
      walk(value, `${at}.${key}`);
    }
  };
  walk(definition, "");
  const values = (definition as { values?: Record<string, unknown> })?.values ?? {};
  for (const block of ["environmentVariables", "files"]) {
    const exported = Object.keys((values[block] as Record<string, unknown>) ?? {}).filter((k) => /^(ARM|AZURE)_/.test(k));
    if (exported.length > 0)
      problems.push(
        `values.${block} exports ${exported.join(", ")}: the Pulumi CLI would override the workflow's Azure login with them`,
      );
  }
  return problems;
}

const escDir = path.join(__dirname, "..", "..", "esc");
const files = fs.readdirSync(escDir).filter((f) => f.endsWith(".yaml"));

describe("the example ESC environments, held to ESC's own parsing rules", () => {
  it("the rules catch what broke every preview: a reference under fn::secret, and exported Azure variables", () => {
    expect(
      escProblems({
        values: { pulumiConfig: { "acs-notifications:apnsToken": { "fn::secret": "${azure.secrets.apnsToken}" } } },
      }),
    ).toEqual([".values.pulumiConfig.acs-notifications:apnsToken.fn::secret: secret values must be string literals"]);
    expect(
      escProblems({
        values: { x: { "fn::secret": { ciphertext: "ZXNjeAAAAAE=" } }, y: { "fn::secret": "literal $${not-a-ref}" } },
      }),
    ).toEqual([]);
    expect(escProblems({ values: { x: { "fn::secret": "a", other: 1 } } })[0]).toMatch(/must be the only key/);
    expect(escProblems({ values: { x: { "fn::sekret": "a" } } })).toEqual([".values.x.fn::sekret: 'fn::' is a reserved prefix"]);
    expect(escProblems({ values: { environmentVariables: { ARM_CLIENT_ID: "x", OTHER: "y" } } })).toEqual([
      "values.environmentVariables exports ARM_CLIENT_ID: the Pulumi CLI would override the workflow's Azure login with them",
    ]);
  });

  it.each(files)("%s follows them", (file) => {
    expect(escProblems(parse(fs.readFileSync(path.join(escDir, file), "utf8")))).toEqual([]);
  });

  it.each(files)("%s logs in with OIDC under a subject that survives being imported by a stack", (file) => {
    const login = parse(fs.readFileSync(path.join(escDir, file), "utf8")).values.azure.login["fn::open::azure-login"];
    expect(login.oidc).toBe(true);
    expect(login.subjectAttributes).toContain("currentEnvironment.name");
  });

  it.each(files)("%s provides exactly the stack's secrets, referenced directly", (file) => {
    const config = parse(fs.readFileSync(path.join(escDir, file), "utf8")).values.pulumiConfig as Record<string, unknown>;
    for (const [key, value] of Object.entries(config)) {
      expect((SECRET_KEYS as readonly string[]).map((k) => `acs-notifications:${k}`)).toContain(key);
      expect(value).toMatch(/^\$\{azure\.secrets\.\w+\}$/);
    }
  });
});
