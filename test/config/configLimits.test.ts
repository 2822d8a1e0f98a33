import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { editDistance } from "../../config/readerKit";
import { RawStackConfig } from "../../config/stackConfigTypes";
import { projectRoot, runTool } from "../support/runTool";
import { configProblems, validInput } from "../support/stackConfigInput";

// Nothing silently ignored, and Azure's own limits checked before anything is created.

/** Every problem for the valid input with these changes, by full key (one message each). */
function problems(change: Partial<RawStackConfig> & { values?: Record<string, unknown> }): Record<string, string> {
  const base = validInput();
  const found = configProblems({ ...base, ...change, values: { ...base.values, ...(change.values ?? {}) } });
  return Object.fromEntries(
    Object.entries(found).map(([key, messages]) => [key.includes(":") ? key : `acs-notifications:${key}`, messages.join(" ")]),
  );
}

const tags = (extra: Record<string, unknown>) => ({ tags: { ...(validInput().values.tags as object), ...extra } });

describe("keys nobody reads", () => {
  it("reports a misspelt namespace and names the key that was meant", () => {
    const found = problems({ otherNamespaceKeys: ["acs-notification:hubSku"] });
    expect(found["acs-notification:hubSku"]).toMatch(
      /is read by nobody: 'acs-notification' is neither this project's namespace \(acs-notifications\).*did you mean acs-notifications:hubSku\?/,
    );
  });

  it("reports a key in a namespace of a provider this program does not use, without a suggestion it cannot make", () => {
    expect(problems({ otherNamespaceKeys: ["aws:region"] })["aws:region"]).toMatch(/remove it or move it/);
  });

  it("leaves the engine's and azure-native's keys alone", () => {
    expect(problems({ otherNamespaceKeys: ["azure-native:location", "azure-native:subscriptionId", "pulumi:tags"] })).toEqual({});
  });

  it("suggests the nearest known key for a typo inside the namespace", () => {
    expect(problems({ values: { hubsku: "Free" } })["acs-notifications:hubsku"]).toMatch(
      /did you mean acs-notifications:hubSku\?/,
    );
    expect(problems({ values: { zzzzzz: 1 } })["acs-notifications:zzzzzz"]).not.toMatch(/did you mean/);
  });

  it("measures edit distance", () => {
    expect(editDistance("acs-notification", "acs-notifications")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("rejects a plain setting that holds an encrypted value, which would land in plain resource properties", () => {
    expect(problems({ encryptedPlainKeys: ["apns"] })["acs-notifications:apns"]).toMatch(
      /is encrypted \(a secure: value, perhaps nested\), but it is a plain setting/,
    );
  });
});

describe("Azure tag limits", () => {
  it("allows 50 tags and rejects 51", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n - 3 }, (_, i) => [`t${i}`, "v"]));
    expect(problems({ values: tags(many(50)) })).toEqual({});
    expect(problems({ values: tags(many(51)) })["acs-notifications:tags"]).toMatch(/has 51 tags; Azure allows at most 50/);
  });

  it("rejects an empty tag name, forbidden characters, names over 128 and values over 256", () => {
    expect(problems({ values: tags({ "": "x" }) })["acs-notifications:tags"]).toMatch(/empty tag name/);
    expect(problems({ values: tags({ "a/b": "x" }) })["acs-notifications:tags.a/b"]).toMatch(/none of < > % &/);
    expect(problems({ values: tags({ ["n".repeat(128)]: "x" }) })).toEqual({});
    const long = problems({ values: tags({ ["n".repeat(129)]: "x" }) });
    expect(long[`acs-notifications:tags.${"n".repeat(37)}...`]).toMatch(
      /129-character tag name; at most 128 \(the storage account limit/,
    );
    expect(problems({ values: tags({ big: "v".repeat(256) }) })).toEqual({});
    expect(problems({ values: tags({ big: "v".repeat(257) }) })["acs-notifications:tags.big"]).toMatch(/at most 256/);
  });
});

describe("alert emails and event types", () => {
  const alerts = (emails: unknown) => ({ alerts: { enabled: true, emails } });

  it("names each bad or repeated address by position", () => {
    const found = problems({
      values: alerts(["oncall@contoso.com", "ONCALL@contoso.com", "nobody", `${"a".repeat(250)}@x.com`]),
    });
    expect(found["acs-notifications:alerts.emails[1]"]).toMatch(/repeats 'ONCALL@contoso.com'/);
    expect(found["acs-notifications:alerts.emails[2]"]).toMatch(/must be an email address/);
    expect(found["acs-notifications:alerts.emails[3]"]).toMatch(/at most 254 characters/);
    expect(found["acs-notifications:alerts.emails[0]"]).toBeUndefined();
  });

  it("bounds the list at an action group's 1,000 email receivers", () => {
    const emails = Array.from({ length: 1001 }, (_, i) => `oncall${i}@contoso.com`);
    expect(problems({ values: alerts(emails) })["acs-notifications:alerts.emails"]).toMatch(/1001 addresses; .* at most 1000/);
    expect(problems({ values: alerts(emails.slice(0, 1000)) })).toEqual({});
  });

  it("names only the unknown type in a list that mixes known and unknown ones", () => {
    const found = problems({
      values: { eventTypes: ["Microsoft.Communication.ChatMessageReceived", "Microsoft.Storage.BlobCreated"] },
    });
    expect(found["acs-notifications:eventTypes"]).toMatch(/^has Microsoft\.Storage\.BlobCreated; the push sender can push only/);
    expect(found["acs-notifications:eventTypes"]).not.toMatch(/has Microsoft\.Communication\.ChatMessageReceived/);
  });

  it("reports an event type listed twice", () => {
    const type = "Microsoft.Communication.ChatMessageReceived";
    expect(problems({ values: { eventTypes: [type, type] } })["acs-notifications:eventTypes"]).toMatch(
      /lists Microsoft\.Communication\.ChatMessageReceived more than once/,
    );
  });
});

describe("npm run plan with keys nobody reads and nested secure values", () => {
  function stackDir(lines: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-limits-"));
    fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const dev = fs.readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.limits.yaml"),
      dev.replace(/^config:\n/m, `config:\n${lines.map((l) => `  ${l}\n`).join("")}`),
    );
    return dir;
  }

  it("fails on a misspelt namespace and on a secure value nested in a plain setting, showing neither value", async () => {
    const dir = stackDir([
      "acs-notification:hubSku: Standard",
      "azure-native:location: westeurope",
      "acs-notifications:alerts:",
      "    enabled: true",
      "    emails: [{ secure: AAABAGVuY3J5cHRlZC1ub3Qtc2hvd24= }]",
    ]);
    const { code, stdout, stderr } = await runTool("plan", "--stack", "limits", "--dir", dir, "--no-policy");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/acs-notification:hubSku: is read by nobody.*did you mean acs-notifications:hubSku\?/);
    expect(stderr).toMatch(/acs-notifications:alerts: is encrypted/);
    expect(stderr).not.toMatch(/azure-native:location/);
    expect(stderr).not.toContain("AAABAGVuY3J5cHRlZC1ub3Qtc2hvd24=");
  });
});

describe("resource group names at Azure's limits", () => {
  it("takes 1 to 90 characters of letters, digits, _ - . ( ), not ending in a dot", () => {
    const problem = (name: string) =>
      problems({ values: { existingResourceGroup: name } })["acs-notifications:existingResourceGroup"];
    for (const name of ["a", "r".repeat(90), "rg_(prod).eu-1"]) expect(problem(name)).toBeUndefined();
    for (const name of ["r".repeat(91), "rg.", "rg prod", "rg/prod"])
      expect(problem(name)).toMatch(
        /^must be the name of an existing resource group \(1-90 letters, digits, \. _ - \( \), not ending in \.\)/,
      );
  });
});
