/** How ACS events become pushes: delivery mode, event types, chat push path, registration and an existing system topic. */
import { ACS_EVENT_TYPES, CHAT_MESSAGE_EVENTS, FUNCTION_EVENT_TYPES } from "../azure/acsEventTypes";
import { ProblemList, readBoolean, readChoice, readInteger, readObject, readString, reportUnknownFields } from "./readerKit";
import {
  CHAT_PUSH_PATHS,
  type ChatPushPath,
  DELIVERY_MODES,
  type DeliveryChoices,
  type DeliveryMode,
  type FunctionDeliveryConfig,
  type PushDeliveryConfig,
  type RawStackConfig,
} from "./stackConfigTypes";
import { RESOURCE_GROUP_NAME } from "../azure/armResourceId";
import { DEFAULT_FUNCTION_NODE_VERSION, FUNCTION_NODE_VERSIONS } from "../function/src/contract";

function readEventTypes(
  problems: ProblemList,
  value: unknown,
  mode: DeliveryMode | undefined,
  chatPush: ChatPushPath | undefined,
): string[] | undefined {
  // With native chat push the SDK sends messages; the function still tells people about new conversations.
  const fallback =
    chatPush === "native"
      ? ["Microsoft.Communication.ChatThreadCreatedWithUser", "Microsoft.Communication.ChatParticipantAddedToThreadWithUser"]
      : ["Microsoft.Communication.ChatMessageReceived"];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string")) {
    return problems.add(
      "eventTypes",
      "must be a non-empty list of ACS event types, like [Microsoft.Communication.ChatMessageReceived].",
    );
  }
  const types = value as string[];
  const repeated = [...new Set(types.filter((t, i) => types.indexOf(t) !== i))];
  if (repeated.length > 0) problems.add("eventTypes", `lists ${repeated.join(", ")} more than once; each type once.`);
  const allowed = mode === "function" ? FUNCTION_EVENT_TYPES : ACS_EVENT_TYPES;
  const unknown = types.filter((t) => !allowed.includes(t));
  if (unknown.length > 0) {
    const why = mode === "function" ? "the push sender can push only" : "known ACS event types are";
    problems.add("eventTypes", `has ${unknown.join(", ")}; ${why} ${allowed.join(", ")}.`);
  }
  if (chatPush === "native" && types.some((t) => CHAT_MESSAGE_EVENTS.includes(t))) {
    problems.add(
      "eventTypes",
      "must not include chat-message events when chatPush is native: the ACS SDK already pushes them, and users would get every message twice.",
    );
  }
  return types;
}

export function readDelivery(problems: ProblemList, raw: RawStackConfig): PushDeliveryConfig | undefined {
  const mode = readChoice(problems, "delivery", raw.values.delivery, DELIVERY_MODES, "function");
  const chatPush = readChoice(problems, "chatPush", raw.values.chatPush, CHAT_PUSH_PATHS, "function");
  const eventTypes = readEventTypes(problems, raw.values.eventTypes, mode, chatPush);
  const messagePreview = readBoolean(problems, "messagePreview", raw.values.messagePreview, false);
  const nodeVersion = readChoice(
    problems,
    "functionNodeVersion",
    raw.values.functionNodeVersion === undefined ? undefined : String(raw.values.functionNodeVersion),
    FUNCTION_NODE_VERSIONS,
    DEFAULT_FUNCTION_NODE_VERSION,
  );
  // Flex Consumption accepts a maximum instance count from 1 to 1000 (MicrosoftDocs/azure-docs,
  // articles/azure-functions/event-driven-scaling.md, "Limit scale-out"; Azure's own default is 100).
  const maxInstances = readInteger(problems, "functionMaxInstances", raw.values.functionMaxInstances, 40, 1, 1000);
  const memory = readChoice(
    problems,
    "functionMemoryMb",
    raw.values.functionMemoryMb === undefined ? undefined : String(raw.values.functionMemoryMb),
    ["512", "2048", "4096"] as const,
    "2048",
  );
  const webhookUrl = raw.secrets.webhookUrl;
  if (mode === "webhook") {
    if (!webhookUrl)
      problems.add(
        "webhookUrl",
        "is required when delivery is webhook; set it with: pulumi config set --secret acs-notifications:webhookUrl https://…",
      );
    else if (webhookUrl.kind === "plain" && !/^https:\/\/[^\s/]+/.test(webhookUrl.value))
      problems.add("webhookUrl", "must be an https URL (the value is not shown).");
  } else if (webhookUrl) {
    problems.add("webhookUrl", `is only used when delivery is webhook; delivery is ${mode}.`);
  }
  const existingSystemTopic = readExistingSystemTopic(problems, raw.values.existingEventGridSystemTopic, mode);
  const registration = readRegistration(problems, raw.values.registration, mode);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (!mode || !chatPush || !eventTypes || messagePreview === undefined || !nodeVersion || !maxInstances || !memory)
    return undefined;
  const choices: DeliveryChoices = { eventTypes, chatPush, messagePreview, existingSystemTopic };
  switch (mode) {
    case "function":
      return {
        mode,
        ...choices,
        nodeVersion,
        maxInstances,
        instanceMemoryMb: Number(memory) as 512 | 2048 | 4096,
        registration,
      };
    case "webhook":
      // Reported above when missing, so a config without it never gets here.
      return webhookUrl ? { mode, ...choices, webhookUrl } : undefined;
    case "none":
      return { mode, ...choices };
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who may register devices: the back end's client ids, and the application its tokens are for. */
function readRegistration(
  problems: ProblemList,
  value: unknown,
  mode: DeliveryMode | undefined,
): FunctionDeliveryConfig["registration"] {
  const name = "registration";
  const obj = readObject(problems, name, value);
  if (!obj) return undefined;
  if (mode !== "function") {
    problems.add(
      name,
      `is only used when delivery is function (the endpoint lives in the push sender); delivery is ${mode ?? "invalid"}.`,
    );
    return undefined;
  }
  reportUnknownFields(problems, name, obj, ["audience", "allowedClientApplications", "accessTokenVersion"]);
  const version = obj.accessTokenVersion;
  if (version !== undefined && version !== 1 && version !== 2)
    problems.add(
      `${name}.accessTokenVersion`,
      "must be 1 or 2: the access token version the audience's app registration issues (its manifest's requestedAccessTokenVersion; null, the default, means 1).",
    );
  const audience = readString(
    problems,
    `${name}.audience`,
    obj.audience,
    GUID,
    "the client id (GUID) of the Entra ID application the back end requests tokens for",
  );
  const clients = obj.allowedClientApplications;
  if (
    !Array.isArray(clients) ||
    clients.length === 0 ||
    clients.length > 20 ||
    clients.some((c) => typeof c !== "string" || !GUID.test(c))
  ) {
    problems.add(
      `${name}.allowedClientApplications`,
      "must list 1-20 client ids (GUIDs) of the back ends allowed to register devices.",
    );
    return undefined;
  }
  if (!audience) return undefined;
  return {
    audience,
    allowedClientApplications: clients as string[],
    ...(version === 2 ? { accessTokenVersion: 2 as const } : {}),
  };
}

// Event Grid system topic names: 3-128 letters, digits and hyphens.
const SYSTEM_TOPIC_NAME = /^[A-Za-z0-9-]{3,128}$/;

/** Azure allows one system topic per source: a stack whose ACS resource already has one names it here. */
function readExistingSystemTopic(
  problems: ProblemList,
  value: unknown,
  mode: DeliveryMode | undefined,
): PushDeliveryConfig["existingSystemTopic"] {
  const name = "existingEventGridSystemTopic";
  const obj = readObject(problems, name, value);
  if (!obj) return undefined;
  if (mode === "none") {
    problems.add(name, "is only used when delivery is function or webhook; delivery is none.");
    return undefined;
  }
  reportUnknownFields(problems, name, obj, ["name", "resourceGroupName"]);
  const topic = readString(
    problems,
    `${name}.name`,
    obj.name,
    SYSTEM_TOPIC_NAME,
    "the system topic's name (3-128 letters, digits, hyphens)",
  );
  const resourceGroupName =
    obj.resourceGroupName === undefined
      ? undefined
      : readString(problems, `${name}.resourceGroupName`, obj.resourceGroupName, RESOURCE_GROUP_NAME, "a resource group name");
  return topic ? { name: topic, resourceGroupName } : undefined;
}
