/**
 * `npm run doctor -- --stack NAME` checks a deployed environment against every cause of lost pushes
 * the ACS troubleshooting guide lists; `npm run doctor -- test-send --stack NAME --user RAW_ID` sends a
 * test push and shows what each device registration did with it. See the README's troubleshooting section.
 * Exit codes: 0 no failure, 1 a check failed (or Azure could not be read), 2 bad usage.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommunicationServiceId, parseNotificationHubId } from "../components/armResourceId";
import { withDeadline } from "../components/requestLimits";
import { committedStacks, readStackFiles } from "./stackFiles";
import { createDoctorClients } from "./doctor/azureClients";
import { DoctorTarget, runDoctor } from "./doctor/checks";
import { renderChecks, renderTestSend } from "./doctor/report";
import { tagForUser, testSend } from "./doctor/testSend";

export const CONNECTION_STRING_ENV = "ACS_NOTIFICATIONS_HUB_CONNECTION_STRING";
/** The longest a doctor run may take: ACS_NOTIFICATIONS_DOCTOR_DEADLINE_SECONDS, default 180. */
const DOCTOR_DEADLINE_MS = Math.max(1, Number(process.env.ACS_NOTIFICATIONS_DOCTOR_DEADLINE_SECONDS) || 180) * 1000;
const USAGE = [
  "usage: npm run doctor -- (--stack NAME | --outputs FILE | --acs-id ID --hub-id ID) [--since 24h] [--apns-environment production|sandbox] [--json]",
  "       npm run doctor -- test-send (--stack NAME | --outputs FILE) (--user ACS_RAW_ID | --tag TAG) [--platform apple|fcmv1|all]",
].join("\n");

export interface DoctorArgs {
  command: "check" | "test-send";
  stack?: string;
  outputsFile?: string;
  acsId?: string;
  hubId?: string;
  rule?: string;
  sinceHours: number;
  apnsEnvironment?: "production" | "sandbox";
  json: boolean;
  user?: string;
  tag?: string;
  platform: "apple" | "fcmv1" | "all";
}

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs | string {
  const args: DoctorArgs = { command: "check", sinceHours: 24, json: false, platform: "all" };
  const rest = [...argv];
  if (rest[0] === "test-send") {
    args.command = "test-send";
    rest.shift();
  }
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--json") {
      args.json = true;
      continue;
    }
    const value = rest[++i];
    if (value === undefined || value.startsWith("--")) return `${flag} needs a value\n${USAGE}`;
    switch (flag) {
      case "--stack":
        args.stack = value;
        break;
      case "--outputs":
        args.outputsFile = value;
        break;
      case "--acs-id":
        args.acsId = value;
        break;
      case "--hub-id":
        args.hubId = value;
        break;
      case "--rule":
        args.rule = value;
        break;
      case "--user":
        args.user = value;
        break;
      case "--tag":
        args.tag = value;
        break;
      case "--since": {
        const m = /^(\d+)(h|d)$/.exec(value);
        if (!m) return `--since takes hours or days, like 24h or 7d; got '${value}'`;
        args.sinceHours = Number(m[1]) * (m[2] === "d" ? 24 : 1);
        break;
      }
      case "--apns-environment":
        if (value !== "production" && value !== "sandbox")
          return `--apns-environment must be production or sandbox; got '${value}'`;
        args.apnsEnvironment = value;
        break;
      case "--platform":
        if (value !== "apple" && value !== "fcmv1" && value !== "all")
          return `--platform must be apple, fcmv1 or all; got '${value}'`;
        args.platform = value;
        break;
      default:
        return `unknown argument '${flag}'\n${USAGE}`;
    }
  }
  if (args.acsId !== undefined && !parseCommunicationServiceId(args.acsId))
    return `--acs-id is not the ARM id of a Communication Services resource (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Communication/communicationServices/NAME)\n${USAGE}`;
  if (args.hubId !== undefined && !parseNotificationHubId(args.hubId))
    return `--hub-id is not the ARM id of a notification hub (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.NotificationHubs/namespaces/NS/notificationHubs/HUB)\n${USAGE}`;
  if (!args.stack && !args.outputsFile && !(args.acsId && args.hubId))
    return `say which environment: --stack, --outputs or --acs-id with --hub-id\n${USAGE}`;
  if (args.command === "test-send" && !args.user === !args.tag) return `test-send needs exactly one of --user or --tag\n${USAGE}`;
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
  if (args.outputsFile) return JSON.parse(fs.readFileSync(args.outputsFile, "utf8")) as Outputs;
  if (args.stack) return JSON.parse(pulumiOutputs(args.stack, "--json")) as Outputs;
  return {};
}

const str = (v: unknown) => (typeof v === "string" && v !== "[secret]" && v !== "" ? v : undefined);

/** What the committed stack file says about the APNs gateway, when the stack is one of this repository's. */
function apnsEnvironmentOfStack(stack: string | undefined): "production" | "sandbox" | undefined {
  const root = path.resolve(__dirname, "..");
  if (!stack || !committedStacks(root).includes(stack)) return undefined;
  const apns = readStackFiles(root, stack).config["acs-notifications:apns"];
  const environment = apns ? (JSON.parse(apns) as { environment?: string }).environment : undefined;
  return environment === "production" || environment === "sandbox" ? environment : undefined;
}

export function targetFrom(args: DoctorArgs, outputs: Outputs): DoctorTarget {
  return {
    acsId: args.acsId ?? str(outputs.acsId) ?? "",
    hubId: args.hubId ?? str(outputs.hubId) ?? "",
    sendRuleName: args.rule ?? str(outputs.hubSendRuleName),
    registrationRuleName: str(outputs.hubRegistrationRuleName),
    linkedFingerprint: str(outputs.linkedConnectionStringFingerprint),
    apnsEnvironment: args.apnsEnvironment ?? apnsEnvironmentOfStack(args.stack),
    eventGridSystemTopicId: str(outputs.eventGridSystemTopicId),
    eventSubscriptionName: str(outputs.eventSubscriptionName),
    applicationInsightsId: str(outputs.applicationInsightsId),
    functionAppId: str(outputs.pushFunctionAppId),
    deadLetterContainerUrl: str(outputs.deadLetterContainerUrl),
    sinceHours: args.sinceHours,
  };
}

async function main(): Promise<number> {
  const args = parseDoctorArgs(process.argv.slice(2));
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  try {
    const outputs = readOutputs(args);
    if (args.command === "test-send") {
      const connectionString =
        process.env[CONNECTION_STRING_ENV] ??
        (args.stack ? pulumiOutputs(args.stack, "hubSendConnectionString", "--show-secrets").trim() : undefined);
      const hubName = str(outputs.hubName);
      if (!connectionString || !hubName) {
        console.error(
          `test-send needs the hub name (outputs) and the Send connection string: --stack NAME, or ${CONNECTION_STRING_ENV} with --outputs FILE`,
        );
        return 2;
      }
      const platforms = args.platform === "all" ? (["apple", "fcmv1"] as const) : ([args.platform] as const);
      const summary = await withDeadline(
        testSend(connectionString, hubName, args.tag ?? tagForUser(args.user!), [...platforms]),
        DOCTOR_DEADLINE_MS,
        "The test send",
      );
      console.log(args.json ? JSON.stringify(summary, null, 2) : renderTestSend(summary));
      return summary.failure > 0 || summary.results.length === 0 ? 1 : 0;
    }
    const target = targetFrom(args, outputs);
    const subscription = parseCommunicationServiceId(target.acsId)?.subscriptionId;
    if (!subscription) {
      console.error("no valid ACS id: the outputs have no acsId (pass --acs-id)");
      return 2;
    }
    // Each request has a timeout and a host that does not answer fails every check at once;
    // this bounds the whole run besides.
    const results = await withDeadline(
      runDoctor(target, await createDoctorClients(subscription)),
      DOCTOR_DEADLINE_MS,
      "The doctor's checks",
    );
    console.log(args.json ? JSON.stringify({ target, results }, null, 2) : renderChecks(results));
    return results.some((r) => r.status === "fail") ? 1 : 0;
  } catch (error) {
    // Messages here are the project's own; Azure errors were already explained by the checks.
    console.error(`doctor: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
