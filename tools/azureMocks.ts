import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { connectionStringFingerprint } from "../components/hubConnectionString";

/**
 * Pulumi mocks that answer like Azure would: ARM ids, names and computed outputs for every
 * resource type this project creates, and the one invoke it makes. Strict on purpose: an
 * unknown type or invoke throws, so a new resource cannot slip into a plan unmodelled.
 */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

type Inputs = Record<string, unknown>;

/** Stands in for Azure's random suffix on auto-named resources, but stays the same between runs. */
function autoName(logicalName: string): string {
  return `${logicalName}${createHash("sha256").update(logicalName).digest("hex").slice(0, 7)}`;
}

function plain(value: unknown): unknown {
  return pulumi.runtime.isRpcSecret(value) ? pulumi.runtime.unwrapRpcSecret(value) : value;
}

function str(inputs: Inputs, key: string): string {
  const v = plain(inputs[key]);
  return typeof v === "string" ? v : "";
}

const rgId = (inputs: Inputs) => `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${str(inputs, "resourceGroupName")}`;

type Model = (name: string, inputs: Inputs) => { id: string; outputs: Inputs };

const MODELS: Record<string, Model> = {
  "azure-native:resources:ResourceGroup": (name, inputs) => {
    const rgName = str(inputs, "resourceGroupName") || autoName(name);
    return { id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${rgName}`, outputs: { name: rgName } };
  },
  "azure-native:communication:CommunicationService": (name, inputs) => {
    const acsName = str(inputs, "communicationServiceName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.Communication/communicationServices/${acsName}`,
      outputs: {
        name: acsName,
        hostName: `${acsName}.communication.azure.com`,
        notificationHubId: "",
        provisioningState: "Succeeded",
      },
    };
  },
  "azure-native:notificationhubs:Namespace": (name, inputs) => {
    const nsName = str(inputs, "namespaceName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.NotificationHubs/namespaces/${nsName}`,
      outputs: { name: nsName, serviceBusEndpoint: `https://${nsName}.servicebus.windows.net:443/` },
    };
  },
  "azure-native:notificationhubs:NotificationHub": (name, inputs) => {
    const hubName = str(inputs, "notificationHubName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.NotificationHubs/namespaces/${str(inputs, "namespaceName")}/notificationHubs/${hubName}`,
      outputs: { name: hubName },
    };
  },
  "azure-native:notificationhubs:NotificationHubAuthorizationRule": (name, inputs) => {
    const ruleName = str(inputs, "authorizationRuleName") || autoName(name);
    return {
      id:
        `${rgId(inputs)}/providers/Microsoft.NotificationHubs/namespaces/${str(inputs, "namespaceName")}` +
        `/notificationHubs/${str(inputs, "notificationHubName")}/AuthorizationRules/${ruleName}`,
      outputs: { name: ruleName },
    };
  },
  "pulumi-nodejs:dynamic:NotificationHubLink": (_name, inputs) => ({
    id: `${str(inputs, "communicationServiceId")}/notificationHubLink`,
    outputs: {
      linkedNotificationHubId: str(inputs, "notificationHubId"),
      connectionStringFingerprint: connectionStringFingerprint(str(inputs, "connectionString")),
    },
  }),
};

/** The fake key the plan's hub hands out: deterministic, obviously not real. */
export function fakeSharedAccessKey(seed: string): string {
  return createHash("sha256").update(`fake-key:${seed}`).digest("base64");
}

const INVOKES: Record<string, (inputs: Inputs) => Inputs> = {
  "azure-native:notificationhubs:listNotificationHubKeys": (inputs) => {
    const ns = str(inputs, "namespaceName");
    const rule = str(inputs, "authorizationRuleName");
    const key = fakeSharedAccessKey(`${ns}/${str(inputs, "notificationHubName")}/${rule}`);
    const cs = (k: string) => `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${k}`;
    return {
      keyName: rule,
      primaryKey: key,
      secondaryKey: `${key}2`,
      primaryConnectionString: cs(key),
      secondaryConnectionString: cs(`${key}2`),
    };
  },
};

export class AzureMocks implements pulumi.runtime.Mocks {
  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Inputs } {
    if (!args.custom) return { id: undefined, state: args.inputs };
    const model = MODELS[args.type];
    if (!model) throw new Error(`AzureMocks has no model for resource type ${args.type} (${args.name}).`);
    const { id, outputs } = model(args.name, args.inputs);
    return { id, state: { ...args.inputs, ...outputs, id } };
  }

  call(args: pulumi.runtime.MockCallArgs): Inputs {
    const invoke = INVOKES[args.token];
    if (!invoke) throw new Error(`AzureMocks has no model for invoke ${args.token}.`);
    return invoke(args.inputs);
  }
}
