import { ARM_ENDPOINT_ENV } from "../../azure/armEndpoint";
import { armExample, keyVaultExample } from "./azureFixtures";
import { TlsFakeServer } from "./tlsFake";

/** A recorded request to the fake ARM endpoint. */
export interface ArmRequest {
  readonly method: string;
  readonly path: string;
  readonly apiVersion: string | null;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface ArmReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** The CA the tests trust: the fake server's self-signed certificate. */

const LINK =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Communication\/communicationServices\/([^/]+)\/linkNotificationHub$/i;
const ACS =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Communication\/communicationServices\/([^/]+)$/i;

// Azure's published examples for the API version the SDK calls (azure-rest-api-specs,
// Microsoft.Communication/stable/2025-09-01): every answer below is derived from them.
const PUBLISHED_GET = armExample("communication/get.json");
const PUBLISHED_LINK = armExample("communication/linkNotificationHub.json");
// Microsoft.NotificationHubs 2023-10-01-preview and Microsoft.KeyVault 2023-07-01 / data plane 7.5.
const PUBLISHED_LIST_KEYS = armExample("notificationhubs/AuthorizationRuleListKeys.json");
const PUBLISHED_CREATE_SECRET = armExample("keyvault/createSecret.json");
const PUBLISHED_DELETE_SECRET = keyVaultExample("DeleteSecret-example.json");

const LIST_KEYS =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.NotificationHubs\/namespaces\/[^/]+\/notificationHubs\/[^/]+\/authorizationRules\/[^/]+)\/listKeys$/i;
const ARM_SECRET =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)\/secrets\/([^/]+)$/i;
const DATA_PLANE_SECRET = /^\/secrets\/([^/]+)$/;

/** Azure's published ARM error bodies, for tests that queue them. */
export const PUBLISHED_ARM_ERRORS = {
  wrongSubscription: (PUBLISHED_LINK.responses.default.body as { error: { code: string; message: string } }).error,
  resourceNotFound: (PUBLISHED_GET.responses.default.body as { error: { code: string; message: string } }).error,
};

/**
 * ARM on 127.0.0.1 over TLS (the Azure SDK refuses bearer tokens over plain HTTP), modelling
 * the Communication Services link action: it remembers which hub each ACS resource is linked
 * to, so a GET after a link shows it. Tests queue failures with {@link failNext}.
 */
export class FakeArm {
  readonly requests: ArmRequest[] = [];
  /** notificationHubId per ACS resource path (lower case); absent = ACS resource does not exist. */
  readonly services = new Map<string, string>();
  /** The primary connection string per hub rule id (lower case): what listKeys answers. */
  readonly ruleKeys = new Map<string, string>();
  /** Secret values per name (the vault's data plane is this same host), with their version count. */
  readonly secrets = new Map<string, { value: string; versions: number }>();
  /** Answer listKeys with 403, as ARM answers an identity without the action (the preview identity). */
  refuseListKeys = false;
  /** Answer every listKeys with this instead (a server error that outlasts the retries, say). */
  listKeysAnswer: ArmReply | undefined;
  private readonly queued: ArmReply[] = [];
  private server?: TlsFakeServer;

  /** Registers an ACS resource, optionally already linked. */
  addService(acsId: string, notificationHubId = ""): void {
    this.services.set(acsId.toLowerCase(), notificationHubId);
  }

  /**
   * The next requests get these replies instead of the modelled behaviour — except reading a
   * rule's keys, which the providers do first and tests fail on purpose with {@link refuseListKeys}.
   */
  failNext(...replies: ArmReply[]): void {
    this.queued.push(...replies);
  }

  /** Forgets every request, resource, key and secret, and answers listKeys again. */
  reset(): void {
    this.requests.length = 0;
    this.services.clear();
    this.ruleKeys.clear();
    this.secrets.clear();
    this.refuseListKeys = false;
    this.listKeysAnswer = undefined;
  }

  /** The Send rule whose keys listKeys answers with this connection string. */
  addRuleKey(ruleId: string, connectionString: string): void {
    this.ruleKeys.set(ruleId.toLowerCase(), connectionString);
  }

  get endpoint(): string {
    return this.server!.endpoint;
  }

  async start(): Promise<void> {
    this.server = new TlsFakeServer((req, res) => {
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "https://127.0.0.1");
        const request: ArmRequest = {
          method: req.method ?? "",
          path: url.pathname,
          apiVersion: url.searchParams.get("api-version"),
          authorization: req.headers.authorization,
          body: raw ? JSON.parse(raw) : undefined,
        };
        this.requests.push(request);
        const reply = (!LIST_KEYS.test(request.path) && this.queued.shift()) || this.model(request);
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
      });
    });
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private model(request: ArmRequest): ArmReply {
    if (!request.authorization?.startsWith("Bearer ")) return armError(401, "AuthenticationFailed", "Authentication failed.");
    const listKeys = LIST_KEYS.exec(request.path);
    if (listKeys && request.method === "POST") {
      if (this.listKeysAnswer) return this.listKeysAnswer;
      if (this.refuseListKeys)
        return armError(
          403,
          "AuthorizationFailed",
          "The client does not have authorization to perform action 'listKeys/action'.",
        );
      const connectionString = this.ruleKeys.get(listKeys[1].toLowerCase());
      if (connectionString === undefined) return armError(404, "ResourceNotFound", "The authorization rule was not found.");
      const published = PUBLISHED_LIST_KEYS.responses["200"].body as Record<string, unknown>;
      return { status: 200, body: { ...published, primaryConnectionString: connectionString } };
    }
    const armSecret = ARM_SECRET.exec(request.path);
    if (armSecret && request.method === "PUT") {
      const [, , name] = armSecret;
      const earlier = this.secrets.get(name);
      const value = (request.body as { properties: { value: string } }).properties.value;
      this.secrets.set(name, { value, versions: (earlier?.versions ?? 0) + 1 });
      const status = earlier ? "200" : "201";
      const published = PUBLISHED_CREATE_SECRET.responses[status].body as { properties: Record<string, unknown> };
      const secretUri = `${this.endpoint}/secrets/${name}`;
      const version = `${String((earlier?.versions ?? 0) + 1).padStart(32, "0")}`;
      return {
        status: Number(status),
        body: {
          ...published,
          id: request.path,
          name,
          properties: { ...published.properties, secretUri, secretUriWithVersion: `${secretUri}/${version}` },
        },
      };
    }
    const dataPlaneSecret = DATA_PLANE_SECRET.exec(request.path);
    if (dataPlaneSecret && request.method === "DELETE") {
      const name = dataPlaneSecret[1];
      if (!this.secrets.delete(name))
        return { status: 404, body: { error: { code: "SecretNotFound", message: "Secret not found" } } };
      return {
        status: 200,
        body: { ...(PUBLISHED_DELETE_SECRET.responses["200"].body as object), id: `${this.endpoint}/secrets/${name}` },
      };
    }
    const link = LINK.exec(request.path);
    if (link && request.method === "POST") {
      const acsPath = request.path.slice(0, -"/linkNotificationHub".length).toLowerCase();
      if (!this.services.has(acsPath)) return armError(404, "ResourceNotFound", "The communication service was not found.");
      const body = request.body as { resourceId: string; connectionString: string };
      this.services.set(acsPath, body.resourceId);
      return { status: 200, body: { ...(PUBLISHED_LINK.responses["200"].body as object), resourceId: body.resourceId } };
    }
    const acs = ACS.exec(request.path);
    if (acs && request.method === "GET") {
      const hubId = this.services.get(request.path.toLowerCase());
      if (hubId === undefined) {
        const { code, message } = PUBLISHED_ARM_ERRORS.resourceNotFound;
        return armError(404, code, message);
      }
      const published = PUBLISHED_GET.responses["200"].body as { properties: Record<string, unknown> };
      return {
        status: 200,
        body: {
          ...published,
          id: request.path,
          name: acs[3],
          properties: { ...published.properties, ...(hubId ? { notificationHubId: hubId } : {}) },
        },
      };
    }
    return armError(404, "NoRoute", `No fake route for ${request.method} ${request.path}`);
  }
}

export function armError(status: number, code: string, message: string, headers?: Record<string, string>): ArmReply {
  return { status, body: { error: { code, message } }, headers };
}

/** A fake ARM for the test file: started before its tests, made the ARM endpoint, stopped after. */
export function useFakeArm(): FakeArm {
  const arm = new FakeArm();
  beforeAll(async () => {
    await arm.start();
    process.env[ARM_ENDPOINT_ENV] = arm.endpoint;
  });
  afterAll(async () => {
    delete process.env[ARM_ENDPOINT_ENV];
    await arm.stop();
  });
  return arm;
}
