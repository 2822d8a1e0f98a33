/**
 * Every setting of the stack, as the README's configuration reference shows it: whether it is
 * required (or its default), the form it takes, and what it is for. The validator knows the keys
 * from here, and `npm run docs` writes the README's table from it (a test fails when the README
 * is stale), so a new setting is added in one place.
 */
import { DEFAULT_FUNCTION_NODE_VERSION, FUNCTION_NODE_VERSIONS } from "../function/src/contract";
export interface ConfigKeyReference {
  readonly key: string;
  /** "yes", "no (default)", or the condition that makes it required. */
  readonly required: string;
  /** The value's form (Markdown). */
  readonly form: string;
  /** What it is for (Markdown). */
  readonly notes: string;
}

export const CONFIG_REFERENCE: readonly ConfigKeyReference[] = [
  {
    key: "location",
    required: "yes",
    form: "Azure region, e.g. `westeurope`",
    notes: "resource group and hub namespace",
  },
  {
    key: "existingResourceGroup",
    required: "no",
    form: "resource group name",
    notes: "use this group instead of creating `<namePrefix>-rg`",
  },
  {
    key: "namePrefix",
    required: "yes",
    form: "3–16 of `a-z 0-9 -`, starts with a letter",
    notes:
      "logical names `<prefix>-acs`, `-ns`, `-hub`, `-send`, `-link`; Azure names get Pulumi's random suffix, except the storage account and key vault, whose names end in a hash of the resource group (globally unique, stable)",
  },
  {
    key: "tags",
    required: "yes",
    form: "mapping with `environment`, `owner`, `costCenter` (+ any others)",
    notes: "applied to every resource; Azure tag limits checked",
  },
  {
    key: "dataLocation",
    required: "yes",
    form: "`Africa`, `Asia Pacific`, `Australia`, `Brazil`, `Canada`, `Europe`, `France`, `Germany`, `India`, `Japan`, `Korea`, `Norway`, `Switzerland`, `UAE`, `UK`, `United States`",
    notes: "ACS data residency; fixed at creation",
  },
  {
    key: "hubSku",
    required: "no (`Free`)",
    form: "`Free` \\| `Basic` \\| `Standard`",
    notes: "Free: 1M pushes/500 devices, no SLA — use Standard in production",
  },
  {
    key: "apns",
    required: "one platform",
    form: "`{ keyId, teamId, bundleId, environment }`",
    notes:
      "`keyId`, `teamId`: 10 chars A-Z 0-9; `bundleId` like `com.contoso.chat`; `environment`: `sandbox` (development builds, `api.development.push.apple.com`) or `production` (TestFlight/App Store, `api.push.apple.com`)",
  },
  {
    key: "apnsToken",
    required: "with `apns`",
    form: "**secret**: the `.p8` auth key (PEM or its base64 body)",
    notes: "token mode only; certificate fields are rejected",
  },
  {
    key: "fcm",
    required: "one platform",
    form: "`{ projectId, clientEmail }`",
    notes: "FCM v1 service account; legacy server keys are rejected",
  },
  {
    key: "fcmPrivateKey",
    required: "with `fcm`",
    form: "**secret**: the service account's PEM private key",
    notes:
      "a key pasted with literal `\\n` escapes (as it appears inside the JSON) is turned back into PEM lines before it reaches the hub",
  },
  {
    key: "fcmServiceAccountJson",
    required: "instead of `fcm` + `fcmPrivateKey`",
    form: "**secret**: the whole service-account JSON file",
    notes: "`type` must be `service_account`",
  },
  {
    key: "apps",
    required: "instead of `apns` / `fcm`",
    form: "list of `{ name, apns?, fcm?, hubSku?, partitions?, growingFrom?, expectedDevices?, messagePreview? }`",
    notes:
      "several apps, each with its own hub per partition — see [Apps and partitions](apps-and-partitions.md); `name`: a lowercase letter then up to 11 letters or digits; `partitions`: 1–16 (default 1); `growingFrom`: the count before, while devices move",
  },
  {
    key: "appSecrets",
    required: "with `apps`",
    form: "**secret**: `{ <app>: { apnsToken?, fcmPrivateKey? } }`",
    notes: "each app's `.p8` key and FCM private key, in one secret object",
  },
  {
    key: "nativeApp",
    required: "with several `apps`",
    form: "an app's name",
    notes: "the app whose hub ACS links: native calling and chat pushes reach it alone; the others get the function's pushes",
  },
  {
    key: "delivery",
    required: "no (`function`)",
    form: "`function` \\| `webhook` \\| `none`",
    notes: "how Event Grid events become pushes: the push-sender Function, your webhook, or only the hub link",
  },
  {
    key: "eventTypes",
    required: "no",
    form: "list of ACS event types",
    notes:
      "default `[Microsoft.Communication.ChatMessageReceived]` (native chat push: thread invitations); the function pushes `ChatMessageReceived`, `ChatThreadCreatedWithUser`, `ChatParticipantAddedToThreadWithUser`",
  },
  {
    key: "chatPush",
    required: "no (`function`)",
    form: "`function` \\| `native`",
    notes: "who pushes chat messages — see [Push delivery](push-delivery.md)",
  },
  {
    key: "messagePreview",
    required: "no (`false`)",
    form: "`true` \\| `false`",
    notes: "put the message text in the notification (personal data)",
  },
  {
    key: "webhookUrl",
    required: "with `delivery: webhook`",
    form: "**secret**: an `https` URL",
    notes: "Event Grid's endpoint; kept secret (it usually carries a key)",
  },
  {
    key: "functionNodeVersion",
    required: `no (\`${DEFAULT_FUNCTION_NODE_VERSION}\`)`,
    form: FUNCTION_NODE_VERSIONS.map((v) => `\`${v}\``).join(" \\| "),
    notes: "Function App runtime: the Node.js major the project ships on and tests with (`.node-version`)",
  },
  {
    key: "functionMaxInstances",
    required: "no (`40`)",
    form: "1–1000",
    notes: "Flex Consumption scale-out limit",
  },
  {
    key: "functionMemoryMb",
    required: "no (`2048`)",
    form: "`512` \\| `2048` \\| `4096`",
    notes: "Flex Consumption instance size",
  },
  {
    key: "alerts",
    required: "no (off)",
    form: "`{ enabled, emails: [...] }`",
    notes: "metric alerts to an action group (see [Troubleshooting](troubleshooting.md)); enabled in staging and prod",
  },
  {
    key: "alertWebhookUrl",
    required: "no",
    form: "**secret**: an `https` URL",
    notes: "an extra alert receiver (chat, paging)",
  },
  {
    key: "existingEventGridSystemTopic",
    required: "no",
    form: "`{ name, resourceGroupName? }`",
    notes:
      "an Event Grid system topic already on the ACS resource (Azure allows one per source); used instead of creating one; needs a system-assigned identity. `resourceGroupName` defaults to the stack's group",
  },
  {
    key: "registration",
    required: "no (endpoint closed)",
    form: "`{ audience, allowedClientApplications: [...], accessTokenVersion?: 1 \\| 2 }`",
    notes:
      "device registration by the app's back end: the Entra ID application its tokens are for, and the back ends' client ids (GUIDs); `accessTokenVersion`: what that application's manifest issues (`requestedAccessTokenVersion`; default 1, as a new registration does), which sets the issuer App Service accepts; only with `delivery: function` — see [Apps](registering-devices.md)",
  },
];
