/**
 * `npm run doctor -- --stack NAME` checks a deployed environment against every cause of lost pushes
 * the ACS troubleshooting guide lists; `npm run doctor -- test-send --stack NAME --user RAW_ID` sends a
 * test push and shows what each device registration did with it; `… trace --stack NAME --user RAW_ID` follows
 * one user's pushes through the delivery ledger. See docs/troubleshooting.md.
 * Exit codes: 0 no failure, 1 a check failed (or Azure could not be read), 2 bad usage.
 */
import { execFileSync } from "node:child_process";
import { parseCommunicationServiceId, parseNotificationHubId } from "../../azure/armResourceId";
import { withDeadline } from "../../azure/requestLimits";
import { INTERACTIVE_RETRIES } from "../../azure/authenticatedPipeline";
import { fetchRuleConnectionString } from "../../azure/hubRuleKeys";
import { parseCli, reportError, stackNameProblem, userPath } from "../shared/cli";
import { describeThrown, runAsCommand, ToolIO } from "../shared/toolMain";
import { readJsonFile } from "../shared/readFiles";
import { createDoctorClients } from "./azureClients";
import { DoctorTarget, runDoctor } from "./checks";
import { renderChecks, renderFreshness, renderTestSend, renderTrace } from "./report";
import { registrationFreshness } from "./freshness";
import { rebalanceFromApplicationInsights, renderRebalance } from "./rebalance";
import { partitionOf } from "../../function/src/partitions";
import { APP_NAME } from "../../function/src/contract";
import { traceFromApplicationInsights } from "./trace";
import { tagForUser, testSend } from "./testSend";
import { ACS_USER } from "../../function/src/registration";
import { APNS_ENVIRONMENTS, ApnsEnvironment } from "../../azure/apns";

export const CONNECTION_STRING_ENV = "ACS_NOTIFICATIONS_HUB_CONNECTION_STRING";
/** The longest a doctor run may take: ACS_NOTIFICATIONS_DOCTOR_DEADLINE_SECONDS, default 180. */
const DOCTOR_DEADLINE_MS = Math.max(1, Number(process.env.ACS_NOTIFICATIONS_DOCTOR_DEADLINE_SECONDS) || 180) * 1000;
/** The APNs environment a value names (an option or the stack's `apnsEnvironment` output), if any. */
const apnsEnvironmentNamed = (v: unknown): ApnsEnvironment | undefined =>
  APNS_ENVIRONMENTS.find((environment) => environment === v);

/** Azure Monitor keeps platform metrics 93 days. */
const MAX_SINCE_HOURS = 93 * 24;
/** One Notification Hubs tag: no operators, no spaces — an expression can reach many users. */
const PLAIN_TAG = /^[A-Za-z0-9_@#.:-]{1,120}$/;

/** `NAME`, `ORG/NAME` or `ORG/PROJECT/NAME`, as `pulumi stack output --stack` takes them; each part a plain name. */
export function qualifiedStackProblem(stack: string): string | undefined {
  const parts = stack.split("/");
  if (parts.length > 3 || parts.some((p) => stackNameProblem(p) !== undefined))
    return `'${stack.slice(0, 60)}' is not a stack name (NAME, ORG/NAME or ORG/PROJECT/NAME; letters, digits, '-', '_' and '.')`;
  return undefined;
}

const USAGE = `usage: npm run -s doctor -- (--stack NAME | --outputs FILE | --acs-id ID --hub-id ID) [--since 24h|7d] [--apns-environment production|sandbox] [--rule NAME] [--json]
       npm run -s doctor -- test-send (--stack NAME | --outputs FILE) (--user ACS_RAW_ID | --tag TAG | --tag-expression EXPR) [--platform apple|fcmv1|all] [--json]
       npm run -s doctor -- trace (--stack NAME | --outputs FILE) --user ACS_RAW_ID [--since 24h|7d] [--json]
       npm run -s doctor -- freshness (--stack NAME | --outputs FILE) [--since 7d] [--json]
       npm run -s doctor -- rebalance (--stack NAME | --outputs FILE) --app NAME [--json]

  --stack NAME        read the stack's outputs with \`pulumi stack output\` (NAME, ORG/NAME or ORG/PROJECT/NAME)
  --outputs FILE      a saved \`pulumi stack output --json\`
  --acs-id, --hub-id  ARM ids, without outputs
  --since             the metrics window: 1h to 93d, Azure Monitor's retention (default 24h)
  --apns-environment  the APNs gateway the hub should use (default: the stack's apnsEnvironment output)
  --rule NAME         the hub's Send rule to check (default: the stack's hubSendRuleName output)
  --json              results (and errors) as JSON on stdout
  -h, --help          this help

  test-send sends one test notification through the hub, to one recipient:
  --user ACS_RAW_ID   an ACS user (8:acs:…): the tag the push sender uses for them
  --tag TAG           one plain hub tag (letters, digits, _ @ # . : -)
  --tag-expression EXPR  a Notification Hubs tag expression (!, ||, &&): can reach many users' devices, so it is
                      never taken from --tag
  --platform          apple, fcmv1 or all (default all)

  trace reads one user's delivery ledger from the push sender's Application Insights, with your own Entra
  identity (Log Analytics Reader on it), and says why their push did or did not arrive:
  --user ACS_RAW_ID   the ACS user (8:acs:…) whose devices and pushes to follow
  --since             how far back (default 24h)

  --app NAME          with several apps: check (every partition's hub, or --partition N), test-send (to the
                      user's partition, or --partition N for a tag) that app's hubs
  rebalance counts, while an app grows (growingFrom), the users whose installations are still in their old
  partition (the push sender reaches both until they move); exit 0 when none remain

  freshness counts, per platform, the users whose installations were not renewed within --since (default 7d),
  from the registration endpoint's records over the last 90 days (the same logs reader role)

Relative paths are taken from the directory you ran npm in. Exit: 0 no failure, 1 a check failed or Azure could not be read, 2 bad usage.`;

export interface DoctorArgs {
  command: "check" | "test-send" | "trace" | "freshness" | "rebalance";
  stack?: string;
  /** With several apps: which app's hubs (output appHubs). */
  app?: string;
  /** Which of the app's partitions; default: all (check), the user's (test-send --user). */
  partition?: number;
  outputsFile?: string;
  acsId?: string;
  hubId?: string;
  rule?: string;
  sinceHours: number;
  apnsEnvironment?: ApnsEnvironment;
  json: boolean;
  user?: string;
  tag?: string;
  platform: "apple" | "fcmv1" | "all";
}

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs | string | { help: string } {
  const parsed = parseCli<Record<string, string | boolean | undefined>>(
    argv,
    {
      stack: { type: "string" },
      outputs: { type: "string" },
      "acs-id": { type: "string" },
      "hub-id": { type: "string" },
      rule: { type: "string" },
      since: { type: "string" },
      "apns-environment": { type: "string" },
      json: { type: "boolean" },
      user: { type: "string" },
      tag: { type: "string" },
      "tag-expression": { type: "string" },
      platform: { type: "string" },
      app: { type: "string" },
      partition: { type: "string" },
    },
    USAGE,
    true,
  );
  if (parsed.kind === "help") return { help: parsed.text };
  if (parsed.kind === "usage-error") return parsed.message;
  const v = parsed.values as Record<string, string | undefined> & { json?: boolean };
  const [command, ...extra] = parsed.positionals;
  const known =
    command === undefined || command === "test-send" || command === "trace" || command === "freshness" || command === "rebalance";
  if (!known || extra.length > 0)
    return `unknown command '${!known ? command : extra[0]}' (the commands are test-send, trace, freshness and rebalance)\n${USAGE}`;
  const args: DoctorArgs = {
    command: command ?? "check",
    stack: v.stack,
    outputsFile: v.outputs && userPath(v.outputs),
    acsId: v["acs-id"],
    hubId: v["hub-id"],
    rule: v.rule,
    // freshness asks who has not renewed in a week; the checks and trace look at the last day.
    sinceHours: command === "freshness" ? 7 * 24 : 24,
    json: v.json === true,
    user: v.user,
    tag: v.tag ?? v["tag-expression"],
    platform: "all",
  };
  if (v.app !== undefined) {
    if (!APP_NAME.test(v.app))
      return `--app must be an app's name (a lowercase letter, then up to 11 letters or digits)\n${USAGE}`;
    args.app = v.app;
  }
  if (v.partition !== undefined) {
    if (!/^\d{1,2}$/.test(v.partition))
      return `--partition must be a partition number (0, 1, …); got '${v.partition.slice(0, 10)}'\n${USAGE}`;
    if (args.app === undefined) return `--partition needs --app: partitions belong to an app\n${USAGE}`;
    args.partition = Number(v.partition);
  }
  if (command === "rebalance" && args.app === undefined)
    return `rebalance counts one app's moving users: it needs --app NAME\n${USAGE}`;
  if (v.stack !== undefined && qualifiedStackProblem(v.stack)) return `--stack: ${qualifiedStackProblem(v.stack)}`;
  if (v.since !== undefined) {
    const m = /^(\d{1,6})(h|d)$/.exec(v.since);
    const hours = m ? Number(m[1]) * (m[2] === "d" ? 24 : 1) : NaN;
    if (!(hours >= 1 && hours <= MAX_SINCE_HOURS))
      return `--since takes hours or days from 1h to 93d (Azure Monitor keeps metrics 93 days), like 24h or 7d; got '${v.since.slice(0, 20)}'`;
    args.sinceHours = hours;
  }
  // The same form the registration endpoint accepts: the users whose devices can carry the tag.
  if (v.user !== undefined && !ACS_USER.test(v.user))
    return `--user must be an ACS user's raw id (8:acs:<resource id>_<user id>, as ACS's identity API returns it); '${v.user.slice(0, 40)}' is not one\n${USAGE}`;
  if (v.tag !== undefined && !PLAIN_TAG.test(v.tag))
    return `--tag takes one plain tag (1-120 letters, digits, _ @ # . : -); for a tag expression, which can reach other users' devices, use --tag-expression\n${USAGE}`;
  if (v["tag-expression"] !== undefined && (v["tag-expression"].trim() === "" || v["tag-expression"].trim() === "*"))
    return `--tag-expression must name tags: an empty or '*' expression would send to every device of the hub\n${USAGE}`;
  const environment = v["apns-environment"];
  if (environment !== undefined) {
    args.apnsEnvironment = apnsEnvironmentNamed(environment);
    if (!args.apnsEnvironment) return `--apns-environment must be production or sandbox; got '${environment}'`;
  }
  if (v.platform !== undefined) {
    if (v.platform !== "apple" && v.platform !== "fcmv1" && v.platform !== "all")
      return `--platform must be apple, fcmv1 or all; got '${v.platform}'`;
    args.platform = v.platform;
  }
  if (args.acsId !== undefined && !parseCommunicationServiceId(args.acsId))
    return `--acs-id is not the ARM id of a Communication Services resource (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Communication/communicationServices/NAME)\n${USAGE}`;
  if (args.hubId !== undefined && !parseNotificationHubId(args.hubId))
    return `--hub-id is not the ARM id of a notification hub (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.NotificationHubs/namespaces/NS/notificationHubs/HUB)\n${USAGE}`;
  if (!args.stack && !args.outputsFile && !(args.acsId && args.hubId))
    return `say which environment: --stack, --outputs or --acs-id with --hub-id\n${USAGE}`;
  const recipients = [v.user, v.tag, v["tag-expression"]].filter((r) => r !== undefined).length;
  if (args.command === "test-send" && recipients !== 1)
    return `test-send needs exactly one of --user, --tag or --tag-expression\n${USAGE}`;
  if (args.command === "trace" && (v.user === undefined || v.tag !== undefined || v["tag-expression"] !== undefined))
    return `trace follows one user: it needs --user (an ACS raw id), not a tag\n${USAGE}`;
  return args;
}

type Outputs = Record<string, unknown>;

function pulumiOutputs(stack: string, ...extra: string[]): string {
  try {
    return execFileSync("pulumi", ["stack", "output", "--stack", stack, ...extra], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const missing = (error as { code?: string }).code === "ENOENT";
    throw new Error(
      missing
        ? "the pulumi CLI is not installed here: save `pulumi stack output --json` to a file elsewhere and pass --outputs FILE, or pass --acs-id and --hub-id"
        : `\`pulumi stack output --stack ${stack}\` failed: is the stack selected and are you logged in to its backend?`,
    );
  }
}

function readOutputs(args: DoctorArgs): Outputs {
  const outputs = args.outputsFile
    ? readJsonFile(args.outputsFile, "the outputs file")
    : args.stack
      ? (JSON.parse(pulumiOutputs(args.stack, "--json")) as unknown)
      : {};
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
    throw new Error(
      `${args.outputsFile ?? "the stack's outputs"} must hold a JSON object, as \`pulumi stack output --json\` writes`,
    );
  }
  return outputs as Outputs;
}

const str = (v: unknown) => (typeof v === "string" && v !== "[secret]" && v !== "" ? v : undefined);

/** The Application Insights the trace, freshness and rebalance commands query, or why there is none. */
function insightsIdOf(command: DoctorArgs["command"], outputs: Outputs): { id: string } | { problem: string } {
  const id = str(outputs.applicationInsightsId);
  return id
    ? { id }
    : {
        problem: `${command} reads the push sender's Application Insights: the outputs have no applicationInsightsId (a stack with delivery mode function has it; --stack NAME or --outputs FILE)`,
      };
}

/** One hub of an app, as the stack's `appHubs` output lists it. */
interface AppHubOutput {
  app: string;
  partition: number;
  partitions: number;
  growingFrom?: number;
  hubName?: string;
  hubId?: string;
  hubSendRuleId?: string;
  apnsEnvironment?: string;
}

/** The app's hubs from the outputs, in partition order, or why there are none. */
export function appHubsOf(outputs: Outputs, app: string): AppHubOutput[] | string {
  const all = Array.isArray(outputs.appHubs) ? (outputs.appHubs as AppHubOutput[]) : [];
  if (all.length === 0)
    return "the outputs have no appHubs (a stack of this version has them: run pulumi up, or pass --stack / --outputs)";
  const mine = all.filter((h) => h && h.app === app).sort((a, b) => a.partition - b.partition);
  if (mine.length === 0) return `the stack has no app '${app}'; its apps: ${[...new Set(all.map((h) => h.app))].join(", ")}`;
  return mine;
}

/**
 * The outputs as the checks and the test send read them, for one app partition's hub: its ids in
 * place of the linked hub's. ACS stays expected to link the linked hub (outputs.hubId); a hub ACS
 * does not link has no linked fingerprint and its own Send rule.
 */
export function outputsForHub(outputs: Outputs, hub: AppHubOutput): Outputs {
  const linked =
    str(outputs.hubId) !== undefined && hub.hubId !== undefined && hub.hubId.toLowerCase() === str(outputs.hubId)!.toLowerCase();
  return {
    ...outputs,
    linkedHubId: outputs.hubId,
    hubId: hub.hubId,
    hubName: hub.hubName,
    hubSendRuleId: hub.hubSendRuleId,
    hubSendRuleName: linked ? outputs.hubSendRuleName : undefined,
    hubRegistrationRuleName: linked ? outputs.hubRegistrationRuleName : undefined,
    linkedConnectionStringFingerprint: linked ? outputs.linkedConnectionStringFingerprint : undefined,
    apnsEnvironment: hub.apnsEnvironment,
    appPartition: { app: hub.app, partition: hub.partition },
  };
}

export function targetFrom(args: DoctorArgs, outputs: Outputs): DoctorTarget {
  return {
    acsId: args.acsId ?? str(outputs.acsId) ?? "",
    hubId: args.hubId ?? str(outputs.hubId) ?? "",
    sendRuleName: args.rule ?? str(outputs.hubSendRuleName),
    registrationRuleName: str(outputs.hubRegistrationRuleName),
    linkedFingerprint: str(outputs.linkedConnectionStringFingerprint),
    apnsEnvironment: args.apnsEnvironment ?? apnsEnvironmentNamed(outputs.apnsEnvironment),
    eventGridSystemTopicId: str(outputs.eventGridSystemTopicId),
    eventSubscriptionName: str(outputs.eventSubscriptionName),
    applicationInsightsId: str(outputs.applicationInsightsId),
    functionAppId: str(outputs.pushFunctionAppId),
    deadLetterContainerUrl: str(outputs.deadLetterContainerUrl),
    sinceHours: args.sinceHours,
    linkedHubId: str(outputs.linkedHubId),
    appPartition: outputs.appPartition as DoctorTarget["appPartition"],
  };
}

/**
 * The outputs each check or test send reads for `--app`: one per partition's hub chosen — `--partition`,
 * the user's partition for a test send to a user, or every partition for the checks — or why none.
 */
function appTargets(args: DoctorArgs, stackOutputs: Outputs): Outputs[] | string {
  const hubs = appHubsOf(stackOutputs, args.app!);
  if (typeof hubs === "string") return `--app ${args.app}: ${hubs}`;
  const chosen =
    args.partition !== undefined
      ? hubs.filter((h) => h.partition === args.partition)
      : args.command === "test-send" && args.user !== undefined
        ? hubs.filter((h) => h.partition === partitionOf(tagForUser(args.user!), hubs[0].partitions))
        : args.command === "test-send" && hubs.length > 1
          ? []
          : hubs;
  if (chosen.length > 0) return chosen.map((h) => outputsForHub(stackOutputs, h));
  return args.partition !== undefined
    ? `--partition ${args.partition}: app ${args.app} has partitions 0 to ${hubs.length - 1}`
    : `app ${args.app} has ${hubs.length} partitions: a test send to a tag needs --partition (or --user, whose partition is known)`;
}

/** `rebalance --app`: the users still to move while the app grows; exit 0 when none remain. */
async function rebalance(args: DoctorArgs, stackOutputs: Outputs, io: ToolIO): Promise<number> {
  const hubs = appHubsOf(stackOutputs, args.app!);
  const insights = insightsIdOf(args.command, stackOutputs);
  if (typeof hubs === "string") {
    reportError(`--app ${args.app}: ${hubs}`, args.json, io);
    return 2;
  }
  if ("problem" in insights) {
    reportError(insights.problem, args.json, io);
    return 2;
  }
  const report = await withDeadline(
    rebalanceFromApplicationInsights(insights.id, {
      name: args.app!,
      partitions: hubs[0].partitions,
      growingFrom: hubs[0].growingFrom,
    }),
    DOCTOR_DEADLINE_MS,
    "The rebalance query",
  );
  io.out(args.json ? JSON.stringify(report, null, 2) : renderRebalance(report));
  return report.remaining === 0 ? 0 : 1;
}

export async function main(argv: readonly string[], io: ToolIO): Promise<number> {
  const args = parseDoctorArgs(argv);
  if (typeof args === "object" && "help" in args) {
    io.out(args.help);
    return 0;
  }
  if (typeof args === "string") {
    reportError(args, argv.includes("--json"), io);
    return 2;
  }
  try {
    const stackOutputs = readOutputs(args);
    if (args.command === "rebalance") return await rebalance(args, stackOutputs, io);
    // With --app: the app's hubs the command is about (each partition's, for the checks); else the linked hub.
    const checkedHubs =
      args.app !== undefined && args.command !== "trace" && args.command !== "freshness"
        ? appTargets(args, stackOutputs)
        : [stackOutputs];
    if (typeof checkedHubs === "string") {
      reportError(checkedHubs, args.json, io);
      return 2;
    }
    const outputs = checkedHubs[0];
    if (args.command === "test-send") {
      // The Send key is no stack output: it is read from the hub's Send rule with the operator's
      // own Entra identity (listKeys on that rule), or given in the environment.
      const hubName = str(outputs.hubName);
      const sendRuleId = str(outputs.hubSendRuleId);
      if (!hubName || (!process.env[CONNECTION_STRING_ENV] && !sendRuleId)) {
        reportError(
          `test-send needs the hub name and the Send rule's id (the outputs hubName and hubSendRuleId: --stack NAME or --outputs FILE), or the Send connection string in ${CONNECTION_STRING_ENV}`,
          args.json,
          io,
        );
        return 2;
      }
      const connectionString =
        process.env[CONNECTION_STRING_ENV] ??
        (await withDeadline(
          fetchRuleConnectionString(sendRuleId!, { retryOptions: INTERACTIVE_RETRIES }),
          DOCTOR_DEADLINE_MS,
          "Reading the Send rule's key",
        ));
      const platforms = args.platform === "all" ? (["apple", "fcmv1"] as const) : ([args.platform] as const);
      const summary = await withDeadline(
        testSend(connectionString, hubName, args.tag ?? tagForUser(args.user!), [...platforms]),
        DOCTOR_DEADLINE_MS,
        "The test send",
      );
      io.out(args.json ? JSON.stringify(summary, null, 2) : renderTestSend(summary));
      return summary.failure > 0 || summary.results.length === 0 ? 1 : 0;
    }
    if (args.command === "trace" || args.command === "freshness") {
      const insights = insightsIdOf(args.command, outputs);
      if ("problem" in insights) {
        reportError(insights.problem, args.json, io);
        return 2;
      }
      const insightsId = insights.id;
      if (args.command === "freshness") {
        const report = await withDeadline(
          registrationFreshness(insightsId, args.sinceHours),
          DOCTOR_DEADLINE_MS,
          "The freshness query",
        );
        io.out(args.json ? JSON.stringify(report, null, 2) : renderFreshness(report));
        return 0;
      }
      const trace = await withDeadline(
        traceFromApplicationInsights(insightsId, tagForUser(args.user!), args.sinceHours),
        DOCTOR_DEADLINE_MS,
        "The trace",
      );
      io.out(args.json ? JSON.stringify(trace, null, 2) : renderTrace(args.user!, trace));
      // Delivered, or accepted where the hub cannot (yet) say what Apple or Google did: nothing failed.
      return trace.verdict === "delivered" || trace.verdict === "delivered to the hub" ? 0 : 1;
    }
    const targets = checkedHubs.map((o) => targetFrom(args, o));
    const subscription = parseCommunicationServiceId(targets[0].acsId)?.subscriptionId;
    if (!subscription) {
      reportError("no valid ACS id: the outputs have no acsId (pass --acs-id)", args.json, io);
      return 2;
    }
    // Each request has a timeout and a host that does not answer fails every check at once;
    // this bounds the whole run besides. With --app, every partition's hub in turn, each named.
    const clients = await createDoctorClients(subscription);
    const runs = await withDeadline(
      (async () => {
        const all: { target: DoctorTarget; results: Awaited<ReturnType<typeof runDoctor>> }[] = [];
        for (const target of targets) all.push({ target, results: await runDoctor(target, clients) });
        return all;
      })(),
      DOCTOR_DEADLINE_MS,
      "The doctor's checks",
    );
    if (args.json) io.out(JSON.stringify(runs.length === 1 ? runs[0] : runs, null, 2));
    else
      io.out(
        runs
          .map(({ target, results }) =>
            target.appPartition
              ? `App ${target.appPartition.app}, partition ${target.appPartition.partition} — hub ${target.hubId}\n${renderChecks(results)}`
              : renderChecks(results),
          )
          .join("\n\n"),
      );
    return runs.some(({ results }) => results.some((r) => r.status === "fail")) ? 1 : 0;
  } catch (error) {
    // Messages here are the project's own; Azure errors were already explained by the checks.
    reportError(`doctor: ${describeThrown(error)}`, args.json, io);
    return 1;
  }
}

if (require.main === module) runAsCommand("doctor", main);
