/**
 * `npm run permissions -- [--stack NAME] [--json]`: for each stage of a stack — the bootstrap,
 * pull-request preview, deploy, drift, destroy, the Function App at run time, Event Grid delivery,
 * an ESC environment's opening — the Azure actions and data actions it performs, derived from the
 * stack's offline plan and the bootstrap's (permissionModel.ts),
 * the identity that performs them and the role that grants each; then what is missing, what is
 * held beyond the needs without a stated reason, and which derived actions Microsoft's published
 * operation list does not have. Exit: 0 all granted and explained, 1 a problem, 2 bad usage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { exitWithoutWork, parseCli, reportError, stackNameProblem } from "../shared/cli";
import { runAsCommand, ToolIO } from "../shared/toolMain";
import { PROJECT_ROOT } from "../shared/projectRoot";
import { parsePlanArgs, runPlan } from "../plan/plan";
import { bootstrapInstallProblem, runBootstrapPlan } from "../plan/bootstrapPlan";
import {
  ALLOWED_EXCESS,
  deriveBootstrapNeeds,
  deriveNeeds,
  grantedRefusals,
  grantingRole,
  missingGrants,
  Need,
  publishedOperations,
  PublishedOperations,
  STAGE_IDENTITIES,
  STAGES,
  unusedGrants,
} from "./permissionModel";

const USAGE = `usage: npm run -s permissions -- [--stack NAME] [--json]

  --stack, -s NAME  the stack whose plan to derive from (default dev): Pulumi.NAME.yaml
  --json            the stages, needs and findings as JSON on stdout; errors as JSON too
  -h, --help        this help

Exit: 0 every need granted and every extra grant explained, 1 a finding or an error, 2 bad usage.`;

/** Where the providers' published operation lists are: one file per provider namespace, `<namespace>.md`. */
const OPERATIONS_DIR = path.join(__dirname, "published", "operations");

export interface PermissionsReport {
  readonly stack: string;
  readonly rows: readonly (Need & { identity: string; grantedBy: string })[];
  readonly missing: readonly Need[];
  readonly refusalsGranted: readonly Need[];
  readonly unexplainedExcess: readonly string[];
  readonly unpublished: readonly string[];
  readonly notChecked: readonly string[];
}

/** The published lists by lower-cased namespace, read once per process (every report checks against the same files). */
let publishedLists: Readonly<Record<string, PublishedOperations>> | undefined;
function readPublishedLists(): Readonly<Record<string, PublishedOperations>> {
  publishedLists ??= Object.fromEntries(
    fs
      .readdirSync(OPERATIONS_DIR)
      .filter((file) => file.endsWith(".md"))
      .map((file) => [
        path.basename(file, ".md").toLowerCase(),
        publishedOperations(fs.readFileSync(path.join(OPERATIONS_DIR, file), "utf8")),
      ]),
  );
  return publishedLists;
}

/** Whether each derived action of a provider whose list we hold is in it; the others are reported as not checked. */
function checkPublished(needs: readonly Need[]): { unpublished: string[]; notChecked: string[] } {
  const lists = readPublishedLists();
  const unpublished = new Set<string>();
  const notChecked = new Set<string>();
  for (const n of needs) {
    const ns = n.action.split("/")[0].toLowerCase();
    const list = lists[ns];
    if (!list) notChecked.add(n.action.split("/")[0]);
    else if (!(n.kind === "dataAction" ? list.dataActions : list.actions).has(n.action.toLowerCase())) unpublished.add(n.action);
  }
  return { unpublished: [...unpublished].sort(), notChecked: [...notChecked].sort() };
}

export function buildReport(stack: string, needs: readonly Need[]): PermissionsReport {
  const rows = needs.map((n) => {
    const identity = STAGE_IDENTITIES[n.stage];
    const role = grantingRole(identity, n);
    return {
      ...n,
      identity: identity.name,
      grantedBy: role ? role.name : n.refusalExpected ? "none (refused by design)" : "NOT GRANTED",
    };
  });
  const { unpublished, notChecked } = checkPublished(needs);
  return {
    stack,
    rows,
    missing: missingGrants(needs),
    refusalsGranted: grantedRefusals(needs),
    unexplainedExcess: unusedGrants(needs).filter((g) => !ALLOWED_EXCESS[g]),
    unpublished,
    notChecked,
  };
}

export function reportFails(report: PermissionsReport): boolean {
  return report.missing.length + report.refusalsGranted.length + report.unexplainedExcess.length + report.unpublished.length > 0;
}

export function renderText(report: PermissionsReport): string {
  const lines = [`Azure permissions of stack ${report.stack}, derived from its plan and the bootstrap's`, ""];
  for (const stage of STAGES) {
    const rows = report.rows.filter((r) => r.stage === stage);
    if (rows.length === 0) continue;
    lines.push(`${stage} — ${STAGE_IDENTITIES[stage].name}`);
    const width = Math.max(...rows.map((r) => r.action.length));
    for (const r of rows)
      lines.push(`  ${r.action.padEnd(width)}  ${r.kind === "dataAction" ? "data " : "      "}${r.grantedBy}`);
    lines.push("");
  }
  lines.push(
    "registration back end — an Entra application listed in `registration.allowedClientApplications`: App Service authentication admits its token to the Function's HTTP route; no Azure RBAC action.",
    "",
  );
  const findings: string[] = [
    ...report.missing.map(
      (n) => `missing: ${n.stage} needs ${n.action} (${n.why}); no role of ${STAGE_IDENTITIES[n.stage].name} grants it`,
    ),
    ...report.refusalsGranted.map(
      (n) => `too much: ${STAGE_IDENTITIES[n.stage].name} may ${n.action}, which ${n.stage} must be refused`,
    ),
    ...report.unexplainedExcess.map(
      (g) =>
        `unexplained: ${g} is held beyond what the stages need, with no stated reason (add one to ALLOWED_EXCESS or drop the grant)`,
    ),
    ...report.unpublished.map((a) => `unpublished: ${a} is not in Microsoft's published operation list`),
  ];
  lines.push(
    findings.length === 0 ? "Every need is granted; every grant beyond the needs has a stated reason." : findings.join("\n"),
  );
  if (report.notChecked.length > 0) {
    lines.push(`Not checked against a published operation list (none held for): ${report.notChecked.join(", ")}.`);
  }
  return lines.join("\n");
}

/** The bootstrap's needs, from its committed stack's plan: the same for every stack, so derived once per process. */
let bootstrapNeeds: Promise<Need[]> | undefined;
function deriveBootstrapPlanNeeds(): Promise<Need[]> {
  const notInstalled = bootstrapInstallProblem();
  if (notInstalled) return Promise.reject(new Error(notInstalled));
  bootstrapNeeds ??= runBootstrapPlan("gitops").then(({ recording }) => deriveBootstrapNeeds(recording.resources));
  return bootstrapNeeds;
}

export async function derivePermissions(stack: string): Promise<PermissionsReport> {
  const args = parsePlanArgs(["--stack", stack, "--no-policy"], PROJECT_ROOT);
  if (typeof args === "string" || "help" in args) throw new Error(typeof args === "string" ? args : "unexpected help");
  const bootstrap = await deriveBootstrapPlanNeeds();
  const { recording } = await runPlan(args);
  return buildReport(stack, [...bootstrap, ...deriveNeeds(recording.resources)]);
}

export async function main(argv: readonly string[], io: ToolIO): Promise<number> {
  const parsed = parseCli<{ stack?: string; json?: boolean }>(
    argv,
    { stack: { type: "string", short: "s" }, json: { type: "boolean" } },
    USAGE,
  );
  const json = argv.includes("--json");
  if (parsed.kind !== "ok") return exitWithoutWork(parsed, json, io);
  const stack = parsed.values.stack ?? "dev";
  const badName = stackNameProblem(stack);
  if (badName) {
    reportError(`--stack: ${badName}`, json, io);
    return 2;
  }
  const report = await derivePermissions(stack);
  io.out(json ? JSON.stringify(report, null, 2) : renderText(report));
  return reportFails(report) ? 1 : 0;
}

if (require.main === module) runAsCommand("permissions", main);
