import { MAX_WAIT_TIMER_MINUTES, RawConfig, validateBootstrapConfig } from "../../bootstrap/config";

const STACKS = ["dev", "prod", "staging"];

function valid(): RawConfig {
  return {
    repository: "contoso/acs-notifications",
    location: "westeurope",
    identityResourceGroup: "acsnotif-gitops-rg",
    pulumiOrganization: "contoso",
    environments: {
      dev: { resourceGroup: "acsnotif-dev-rg" },
      staging: { resourceGroup: "acsnotif-staging-rg" },
      prod: { resourceGroup: "acsnotif-prod-rg", reviewers: { teams: ["platform-team"], users: ["alice"] } },
    },
  };
}

function problemsOf(edit: (c: RawConfig & { environments: Record<string, Record<string, unknown>> }) => void): string[] {
  const c = valid() as RawConfig & { environments: Record<string, Record<string, unknown>> };
  edit(c);
  return validateBootstrapConfig(c, STACKS).problems;
}

describe("bootstrap configuration", () => {
  it("accepts a complete configuration and keeps what it says", () => {
    const { config, problems } = validateBootstrapConfig(valid(), STACKS);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ owner: "contoso", repository: "acs-notifications", pulumiOrganization: "contoso" });
    const prod = config!.environments.find((e) => e.name === "prod")!;
    expect(prod).toEqual({
      name: "prod",
      resourceGroup: "acsnotif-prod-rg",
      reviewers: { users: ["alice"], teams: ["platform-team"] },
      waitTimerMinutes: 0,
      preventSelfReview: true,
      escSecretsVault: undefined,
    });
  });

  it("reports every problem at once, each naming its key and what is expected", () => {
    const problems = validateBootstrapConfig({ environments: {} }, STACKS).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        "acs-notifications-bootstrap:repository is required: the GitHub repository as owner/name.",
        "acs-notifications-bootstrap:location is required: an Azure region name such as westeurope.",
        expect.stringMatching(/^acs-notifications-bootstrap:identityResourceGroup is required: a resource group name/),
        expect.stringMatching(/^acs-notifications-bootstrap:pulumiOrganization is required: the Pulumi Cloud organization/),
        "acs-notifications-bootstrap:environments lacks dev, prod, staging: every committed stack is deployed in the GitHub environment of its name.",
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it.each([
    ["an owner alone", "contoso"],
    ["a URL", "https://github.com/contoso/acs-notifications"],
    ["three parts", "contoso/acs/notifications"],
    ["an owner with a leading hyphen", "-contoso/acs-notifications"],
    ["an owner with a double hyphen", "con--toso/acs-notifications"],
    ["a name with a space", "contoso/acs notifications"],
    ["the name ..", "contoso/.."],
  ])("rejects a repository that is %s", (_what, repository) => {
    const problems = problemsOf((c) => (c.repository = repository));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^acs-notifications-bootstrap:repository(:| must be)/);
    expect(problems[0]).not.toContain(repository);
  });

  it.each([
    ["location", "westeurope", (c: RawConfig, v: string) => (c.location = v)],
    ["identityResourceGroup", "acsnotif-gitops-rg", (c: RawConfig, v: string) => (c.identityResourceGroup = v)],
    ["pulumiOrganization", "contoso", (c: RawConfig, v: string) => (c.pulumiOrganization = v)],
  ])("rejects %s with junk before or after a valid value", (key, good, set) => {
    for (const bad of [`${good} `, ` ${good}`, `${good}\n#`, `x/${good}`]) {
      const problems = problemsOf((c) => set(c, bad));
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^acs-notifications-bootstrap:${key} must be `))]);
    }
  });

  it("takes resource group names at Azure's limits: 90 characters, no trailing period", () => {
    expect(problemsOf((c) => (c.environments.dev.resourceGroup = "r".repeat(90)))).toEqual([]);
    expect(problemsOf((c) => (c.environments.dev.resourceGroup = "r".repeat(91)))).toEqual([
      expect.stringMatching(/^acs-notifications-bootstrap:environments\.dev\.resourceGroup must be a resource group name \(1–90/),
    ]);
    expect(problemsOf((c) => (c.environments.dev.resourceGroup = "rg."))).toHaveLength(1);
    expect(problemsOf((c) => (c.environments.dev.resourceGroup = "rg.(x)"))).toEqual([]);
  });

  it("needs exactly the committed stacks as environments", () => {
    expect(problemsOf((c) => delete c.environments.staging)).toEqual([
      "acs-notifications-bootstrap:environments lacks staging: every committed stack is deployed in the GitHub environment of its name.",
    ]);
    expect(problemsOf((c) => (c.environments.qa = { resourceGroup: "acsnotif-qa-rg" }))).toEqual([
      "acs-notifications-bootstrap:environments names qa, which no committed stack (Pulumi.<stack>.yaml) deploys.",
    ]);
    expect(problemsOf((c) => (c.environments["Prod Env"] = { resourceGroup: "x" }))).toEqual([
      expect.stringMatching(/has an environment whose name is not a stack name/),
    ]);
  });

  it("needs a reviewer on prod, since deploy.yml waits for an approval there", () => {
    expect(problemsOf((c) => delete c.environments.prod.reviewers)).toEqual([
      "acs-notifications-bootstrap:environments.prod.reviewers must name at least one user or team: deploy.yml waits for an approval before prod.",
    ]);
    expect(problemsOf((c) => (c.environments.prod.reviewers = { users: [], teams: [] }))).toHaveLength(1);
  });

  it("takes at most six reviewers, users and teams together, each once", () => {
    const six = { users: ["a1", "a2", "a3"], teams: ["t1", "t2", "t3"] };
    expect(problemsOf((c) => (c.environments.prod.reviewers = six))).toEqual([]);
    expect(problemsOf((c) => (c.environments.prod.reviewers = { ...six, users: [...six.users, "a4"] }))).toEqual([
      "acs-notifications-bootstrap:environments.prod.reviewers names 7 reviewers; GitHub allows at most 6 users and teams together.",
    ]);
    expect(problemsOf((c) => (c.environments.prod.reviewers = { users: ["Alice", "alice"] }))).toEqual([
      "acs-notifications-bootstrap:environments.prod.reviewers.users[1] repeats an earlier entry.",
    ]);
    expect(problemsOf((c) => (c.environments.prod.reviewers = { teams: ["Platform Team"] }))).toEqual([
      expect.stringMatching(/^acs-notifications-bootstrap:environments\.prod\.reviewers\.teams\[0\] must be team slugs/),
    ]);
    expect(problemsOf((c) => (c.environments.prod.reviewers = { users: "alice", teams: ["t1"] }))).toEqual([
      "acs-notifications-bootstrap:environments.prod.reviewers.users must be a list of GitHub logins.",
    ]);
    expect(problemsOf((c) => (c.environments.prod.reviewers = { people: ["alice"], users: ["bob"] }))).toEqual([
      "acs-notifications-bootstrap:environments.prod.reviewers.people is not a setting (known: users, teams).",
    ]);
  });

  it("takes a wait timer from 0 to 43,200 minutes, whole", () => {
    expect(problemsOf((c) => (c.environments.prod.waitTimerMinutes = MAX_WAIT_TIMER_MINUTES))).toEqual([]);
    for (const bad of [MAX_WAIT_TIMER_MINUTES + 1, -1, 1.5, "10"]) {
      expect(problemsOf((c) => (c.environments.prod.waitTimerMinutes = bad))).toEqual([
        "acs-notifications-bootstrap:environments.prod.waitTimerMinutes must be a whole number of minutes from 0 to 43200.",
      ]);
    }
  });

  it("gives every environment its own resource group, apart from the identities'", () => {
    expect(problemsOf((c) => (c.environments.staging.resourceGroup = "ACSNOTIF-DEV-RG"))).toEqual([
      "acs-notifications-bootstrap:environments.staging.resourceGroup is also dev's: each environment needs its own, or one deploy identity could change another environment.",
    ]);
    expect(problemsOf((c) => (c.identityResourceGroup = "acsnotif-prod-rg"))).toEqual([
      "acs-notifications-bootstrap:identityResourceGroup must not be an environment's resource group: that environment's deploy identity could delete the identities.",
    ]);
  });

  it("takes a Key Vault id for the ESC reader, and nothing else", () => {
    const vault =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/secrets/providers/Microsoft.KeyVault/vaults/kv-prod";
    expect(problemsOf((c) => (c.environments.prod.escSecretsVault = vault))).toEqual([]);
    for (const bad of ["kv-prod", `${vault}/secrets/x`, vault.replace("vaults", "managedHSMs"), ` ${vault}`]) {
      expect(problemsOf((c) => (c.environments.prod.escSecretsVault = bad))).toEqual([
        expect.stringMatching(
          /^acs-notifications-bootstrap:environments\.prod\.escSecretsVault must be the ARM id of a Key Vault/,
        ),
      ]);
    }
  });

  it("names unknown settings, and never echoes a value", () => {
    const token = "ghp_canary0123456789abcdefghijklmnopqrstuv";
    const problems = problemsOf((c) => {
      c.githubToken = token;
      c.environments.dev.reviewer = token;
      c.environments.dev.preventSelfReview = token;
    });
    expect(problems).toEqual([
      "acs-notifications-bootstrap:githubToken is not a setting (known: repository, location, identityResourceGroup, pulumiOrganization, environments).",
      "acs-notifications-bootstrap:environments.dev.reviewer is not a setting (known: resourceGroup, reviewers, waitTimerMinutes, preventSelfReview, escSecretsVault).",
      "acs-notifications-bootstrap:environments.dev.preventSelfReview must be true or false.",
    ]);
    expect(problems.join("\n")).not.toContain(token);
  });
});
