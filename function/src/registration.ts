import { createHash } from "node:crypto";
import { userTag } from "./tags";
import { ledgerLine } from "./ledger";
import { partitionOf, partitionsToReach } from "./partitions";
import { APP_NAME } from "./contract";

/**
 * Device registration for the pushes this function sends. The caller is the app's trusted back
 * end — the service that signs users in and issues their ACS tokens, so it knows which ACS user a
 * device belongs to. App Service authentication (Entra ID, allowed client applications) admits
 * only that back end; this code checks the principal again and derives the tag itself from the
 * ACS user id the back end vouches for. A caller can never choose a tag, and nothing here reads an
 * ACS token: ACS says its format and claims are not a contract.
 *
 * An installation belongs to its user on the server: the hub's installation id is derived from the
 * user and the app's installation id together ({@link hubInstallationId}), so a request naming
 * another user can neither re-tag nor delete an installation someone else registered — it only
 * ever reaches an installation of the user it names. What the back end must still check itself is
 * that the user it names is the one signed in on that device.
 */
export type InstallationPlatform = "apns" | "fcmv1";

export interface RegistrationRequest {
  /** The ACS user's raw id (`8:acs:…`), as the back end authenticated them. */
  readonly userId: string;
  /** Which app the device runs (required when the stack has several). */
  readonly app?: string;
  readonly platform: InstallationPlatform;
  /** The APNs device token (hex) or the FCM registration token. */
  readonly pushChannel: string;
}

/** What the endpoint sends to Notification Hubs: an installation whose only tag is derived here. */
export interface InstallationRecord {
  /** The hub's id: {@link hubInstallationId} of the user and the app's installation id. */
  readonly installationId: string;
  readonly platform: InstallationPlatform;
  readonly pushChannel: string;
  readonly tags: string[];
}

/** The part of NotificationHubsClient the endpoint uses. */
export interface InstallationClient {
  createOrUpdateInstallation(installation: InstallationRecord): Promise<unknown>;
  deleteInstallation(installationId: string): Promise<unknown>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: { readonly [key: string]: unknown };
}

// Installation ids are chosen by the app (a UUID per install, kept on the device).
const INSTALLATION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// An ACS communication user (public and sovereign clouds); Teams users and phone numbers have no app installation.
export const ACS_USER = /^8:(acs|spool|dod-acs|gcch-acs):[A-Za-z0-9_.:-]{1,256}$/;
// APNs device tokens are bytes written as hex (so an even count); Apple documents them as opaque and
// variable in length: 32 bytes today, up to 100 accepted.
const APNS_TOKEN = /^(?:[0-9a-fA-F]{2}){32,100}$/;
// FCM registration tokens: an optional instance id and a colon, then the token proper, URL-safe
// characters (real ones are `<instance id>:APA91b…`, ~150-170 characters in all).
const FCM_TOKEN = /^(?:[A-Za-z0-9_-]{8,64}:)?[A-Za-z0-9_-]{100,4000}$/;
/** A token proper is mostly letters and digits: a run of punctuation is not a device's token. */
const FCM_MIN_ALPHANUMERIC = 60;

const REQUEST_FIELDS = ["userId", "platform", "pushChannel", "app"];
/** How many unknown field names an answer names, and which names it shows at all (never a value-like one). */
const NAMED_UNKNOWN_FIELDS = 3;
const SHOWABLE_FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,31}$/;

/**
 * The hub's installation id for one app installation of one user: a hash of both, so that the
 * ids of two users can never meet (the app's id comes from the device and may leak or be guessed).
 */
export function hubInstallationId(userId: string, installationId: string): string {
  return `i-${createHash("sha256").update(`${userId}\n${installationId}`).digest("hex").slice(0, 48)}`;
}

/** Names a few unknown fields that look like field names; never a value-like name, never all of a long list. */
function describeUnknownFields(names: string[]): string {
  const showable = names.filter((n) => SHOWABLE_FIELD_NAME.test(n)).slice(0, NAMED_UNKNOWN_FIELDS);
  const rest = names.length - showable.length;
  const listed = [
    ...showable,
    ...(rest > 0 ? [`${rest} other${showable.length ? "" : " unknown"} field${rest === 1 ? "" : "s"}`] : []),
  ];
  return `unknown field(s) ${listed.join(", ")}`;
}

function fcmTokenProblem(token: string): boolean {
  if (!FCM_TOKEN.test(token)) return true;
  const proper = token.slice(token.indexOf(":") + 1);
  return (proper.match(/[A-Za-z0-9]/g)?.length ?? 0) < FCM_MIN_ALPHANUMERIC;
}

/** Reads a registration body; problems name the field and what is expected, never the value. */
export function readRegistration(body: unknown): RegistrationRequest | { problems: string[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { problems: ["the body must be a JSON object { userId, platform, pushChannel }"] };
  }
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(b).filter((k) => !REQUEST_FIELDS.includes(k));
  // Tags are never taken from a caller: that is what would let one user subscribe to another's pushes.
  if (unknown.length > 0)
    problems.push(
      `${describeUnknownFields(unknown)}: only ${REQUEST_FIELDS.join(", ")} are accepted; tags are derived from userId`,
    );
  if (typeof b.userId !== "string" || !ACS_USER.test(b.userId)) problems.push("userId must be the ACS user's raw id (8:acs:…)");
  if (b.app !== undefined && (typeof b.app !== "string" || !APP_NAME.test(b.app))) problems.push("app must be an app's name");
  if (b.platform !== "apns" && b.platform !== "fcmv1") problems.push("platform must be apns or fcmv1");
  const channel = b.pushChannel;
  if (typeof channel !== "string") problems.push("pushChannel must be the device's push token");
  else if (b.platform === "apns" && !APNS_TOKEN.test(channel))
    problems.push("pushChannel must be an APNs device token: an even number of hex characters, 64 to 200");
  else if (b.platform === "fcmv1" && fcmTokenProblem(channel))
    problems.push(
      "pushChannel must be an FCM registration token: an optional instance id and ':', then 100-4000 URL-safe characters, mostly letters and digits",
    );
  if (problems.length > 0) return { problems };
  return {
    userId: b.userId as string,
    platform: b.platform as InstallationPlatform,
    pushChannel: channel as string,
    ...(b.app !== undefined ? { app: b.app as string } : {}),
  };
}

/** Reads the user a DELETE names (body `{ userId }` or the `userId` query parameter): only their installation goes. */
export function readOwner(body: unknown): { userId: string; app?: string } | { problems: string[] } {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const userId = fields.userId;
  if (typeof userId !== "string" || !ACS_USER.test(userId))
    return { problems: ["userId must name the ACS user (8:acs:…) whose installation is removed (query parameter or body)"] };
  if (fields.app !== undefined && (typeof fields.app !== "string" || !APP_NAME.test(fields.app)))
    return { problems: ["app must be an app's name"] };
  return { userId, ...(typeof fields.app === "string" ? { app: fields.app } : {}) };
}

export function isValidInstallationId(id: string | undefined): id is string {
  return typeof id === "string" && INSTALLATION_ID.test(id);
}

/** The caller App Service authentication admitted, from its `x-ms-client-principal` header. */
export interface Caller {
  /** The client application (appid for v1 tokens, azp for v2). */
  readonly clientId: string;
}

export function callerOf(header: string | null | undefined): Caller | undefined {
  if (!header) return undefined;
  try {
    const principal = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as { claims?: { typ?: string; val?: string }[] };
    const claim = (type: string) => principal.claims?.find((c) => c.typ === type)?.val;
    const clientId = claim("azp") ?? claim("appid");
    return clientId ? { clientId: clientId.toLowerCase() } : undefined;
  } catch {
    return undefined;
  }
}

export interface RegistrarLog {
  info(message: string): void;
  warn(message: string): void;
}

/** One app's hubs, as the endpoint writes installations to them: a client per partition. */
export interface RegistrarApp {
  readonly name: string;
  /** The platforms the app's hubs have credentials for: a device of another platform is refused. */
  readonly platforms: readonly InstallationPlatform[];
  readonly partitions: readonly InstallationClient[];
  /** While the app grows: the partition count before (an installation saved now leaves its old partition). */
  readonly growingFrom?: number;
}

/** Creates, updates and deletes installations for the back end that App Service let in. */
export class InstallationRegistrar {
  private readonly allowed: ReadonlySet<string>;
  private readonly apps: readonly RegistrarApp[];
  /** One app and one hub (the one-app stack): requests need not name the app, and records name none. */
  private readonly oneHub: boolean;

  constructor(clientOrApps: InstallationClient | readonly RegistrarApp[], allowedClientIds: readonly string[]) {
    this.allowed = new Set(allowedClientIds.map((id) => id.toLowerCase()));
    this.oneHub = !Array.isArray(clientOrApps);
    this.apps = Array.isArray(clientOrApps)
      ? clientOrApps
      : [{ name: "default", platforms: ["apns", "fcmv1"], partitions: [clientOrApps as InstallationClient] }];
  }

  /** The app a request names; with one app it may name none. An answer when it names none that exists. */
  private appFor(name: string | undefined): RegistrarApp | HttpAnswer {
    if (name === undefined && this.apps.length === 1) return this.apps[0];
    const app = this.apps.find((a) => a.name === name);
    if (app) return app;
    return {
      status: name === undefined ? 400 : 404,
      body: { error: `app must name one of this stack's apps: ${this.apps.map((a) => a.name).join(", ")}` },
    };
  }

  async handle(
    method: string,
    installationId: string | undefined,
    principalHeader: string | null,
    body: unknown,
    log: RegistrarLog,
  ): Promise<HttpAnswer> {
    // App Service authentication should have answered 401 already; if it is off or misconfigured, refuse here too.
    const caller = callerOf(principalHeader);
    if (!caller)
      return { status: 401, body: { error: "no authenticated caller: the back end must call with an Entra ID token" } };
    if (!this.allowed.has(caller.clientId)) {
      log.warn(`registration refused: client application ${caller.clientId} is not allowed`);
      return { status: 403, body: { error: "this client application may not register devices" } };
    }
    if (!isValidInstallationId(installationId)) {
      return {
        status: 400,
        body: { error: "installationId must be 1-128 letters, digits, '.', '_' or '-' (a UUID per app install)" },
      };
    }
    if (method === "DELETE") {
      const owner = readOwner(body);
      if ("problems" in owner) return { status: 400, body: { error: owner.problems.join("; ") } };
      const app = this.appFor(owner.app);
      if ("status" in app) return app;
      const tag = userTag(owner.userId);
      const hubId = hubInstallationId(owner.userId, installationId);
      // While the app grows the installation may still be in the user's old partition: delete it there too.
      const partitions = partitionsToReach(tag, app.partitions.length, app.growingFrom);
      for (const partition of partitions) {
        const failed = await this.hubCall(() => app.partitions[partition].deleteInstallation(hubId), log);
        if (failed) return failed;
      }
      log.info(`installation ${installationId} deleted by ${caller.clientId}`);
      log.info(ledgerLine({ step: "installation-deleted", recipientTag: tag, ...this.where(app, partitions[0]) }));
      return { status: 204, body: {} };
    }
    if (method !== "PUT") return { status: 405, body: { error: "use PUT to register and DELETE to unregister" } };
    const request = readRegistration(body);
    if ("problems" in request) return { status: 400, body: { error: request.problems.join("; ") } };
    const app = this.appFor(request.app);
    if ("status" in app) return app;
    if (!app.platforms.includes(request.platform))
      return {
        status: 400,
        body: {
          error: `app ${app.name} has no ${request.platform} credential: its devices register as ${app.platforms.join(" or ")}`,
        },
      };
    const tag = userTag(request.userId);
    // Every device of one user in one app lives in one partition, so a push to them is one send.
    const partition = partitionOf(tag, app.partitions.length);
    const installation: InstallationRecord = {
      installationId: hubInstallationId(request.userId, installationId),
      platform: request.platform,
      pushChannel: request.pushChannel,
      tags: [tag],
    };
    const failed = await this.hubCall(() => app.partitions[partition].createOrUpdateInstallation(installation), log);
    if (failed) return failed;
    await this.leaveOldPartition(app, tag, partition, installation.installationId, log);
    // Ids and outcomes only: neither the device token nor the user id is logged.
    log.info(`installation ${installationId} (${request.platform}) registered by ${caller.clientId}`);
    log.info(
      ledgerLine({ step: "installation-saved", recipientTag: tag, platform: request.platform, ...this.where(app, partition) }),
    );
    return {
      status: 200,
      body: { installationId, platform: request.platform, tag, ...(this.oneHub ? {} : { app: app.name }) },
    };
  }

  /** With several apps or partitions, records say which hub; the one-app stack's say none, as before. */
  private where(app: RegistrarApp, partition: number): { app?: string; partition?: number } {
    return this.oneHub ? {} : { app: app.name, partition };
  }

  /**
   * While an app grows, a device that renews lands in the user's new partition: the copy in the old
   * one is deleted, so the move completes as devices renew (and `doctor rebalance` moves the rest).
   * A failure here is logged, not answered: the save succeeded, and the sender still reaches both.
   */
  private async leaveOldPartition(
    app: RegistrarApp,
    tag: string,
    partition: number,
    hubId: string,
    log: RegistrarLog,
  ): Promise<void> {
    if (app.growingFrom === undefined) return;
    const old = partitionOf(tag, app.growingFrom);
    if (old === partition) return;
    try {
      await app.partitions[old].deleteInstallation(hubId);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 404)
        log.warn(`registration: the old partition ${old} of app ${app.name} answered ${status ?? "a network error"} to the move`);
    }
  }

  /** Runs a hub call; an error becomes an answer the back end can act on (retry or not), without the hub's text. */
  private async hubCall(call: () => Promise<unknown>, log: RegistrarLog): Promise<HttpAnswer | undefined> {
    try {
      await call();
      return undefined;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      log.warn(`registration: the hub answered ${status ? `HTTP ${status}` : "with a network error"}`);
      if (status === undefined || status === 429 || status >= 500)
        return { status: 503, body: { error: "Notification Hubs is unavailable or throttling: retry later" } };
      if (status === 401 || status === 403)
        return {
          status: 502,
          body: { error: "the hub refused the registration credential: check NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING" },
        };
      return { status: 502, body: { error: `the hub rejected the installation (HTTP ${status})` } };
    }
  }
}
