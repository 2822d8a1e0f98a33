import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { apnsEndpointMatchesEnvironment, apnsTokenAuthRequired } from "../../policies/rules/apns";
import { noDuplicateChatPush } from "../../policies/rules/chatPush";
import { eventGridAcsSubscriptionResilient, eventGridFunctionOneEventPerBatch } from "../../policies/rules/eventGrid";
import { fcmV1Required } from "../../policies/rules/fcm";
import { functionAppHardened, functionNoPlaintextHubConnectionString } from "../../policies/rules/functionApp";
import {
  hubHasPlatformCredentials,
  hubRuleWithoutManage,
  linkRuleSendOnly,
  linkSameSubscription,
  linkTracksConnectionString,
} from "../../policies/rules/hubLink";
import { allPolicies } from "../../policies/rules";
import { FakeResource, runResourceRule, runStackRule, UNKNOWN_STRING, urnOf } from "./harness";
import { apnsToken, compliantStack, CONNECTION_STRING, fcmV1, SUB, withProps } from "./fixtures";

const stackResources = (stack = "dev") => Object.values(compliantStack(stack));
const resourceFindings = (policy: ResourceValidationPolicy, resources: FakeResource[], config: object = {}) =>
  resources.flatMap((r) => runResourceRule(policy, r, config));

describe("every rule", () => {
  it.each(allPolicies.map((p) => [p.name, p]))(
    "%s has a kebab-case name, one-sentence description, severity, level and fix",
    (_name, policy) => {
      expect(policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(policy.description).toMatch(/^[A-Z].*\.$/);
      expect(policy.description.split(/\.\s/).length).toBe(1);
      expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
      expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
      expect(policy.remediationSteps).toBeTruthy();
      expect(policy.configSchema?.properties.exemptions).toBeDefined();
    },
  );

  it("passes the compliant stack, resource by resource and as a stack", () => {
    for (const policy of allPolicies) {
      if ("validateResource" in policy)
        expect(resourceFindings(policy as ResourceValidationPolicy, stackResources())).toEqual([]);
      else expect(runStackRule(policy as StackValidationPolicy, stackResources(), { chatPushPath: "function" })).toEqual([]);
    }
  });

  it("never puts a secret value into a message", () => {
    const leaky = withProps(compliantStack(), "functionApp", (p) => {
      (p.siteConfig as { appSettings: unknown[] }).appSettings = [{ name: "HUB", value: CONNECTION_STRING }];
    });
    const messages = [
      ...resourceFindings(functionNoPlaintextHubConnectionString, leaky),
      ...resourceFindings(
        apnsTokenAuthRequired,
        withProps(
          compliantStack(),
          "hub",
          (p) => ((p.apnsCredential as Record<string, unknown>).certificateKey = "cert-password-123"),
        ),
      ),
    ];
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).not.toContain("SharedAccessKey=");
      expect(m).not.toContain("cert-password-123");
      expect(m).not.toContain(apnsToken.token);
    }
  });
});

describe("apns-token-auth-required", () => {
  const hubWith = (apns: Record<string, unknown>) => withProps(compliantStack(), "hub", (p) => (p.apnsCredential = apns));
  it.each([
    ["apnsCertificate", { ...apnsToken, apnsCertificate: "MIIC" }, /certificate mode \(apnsCertificate\)/],
    ["certificateKey and thumbprint", { ...apnsToken, certificateKey: "pw", thumbprint: "AB12" }, /certificateKey, thumbprint/],
    ["a missing token", { ...apnsToken, token: undefined }, /must set \.p8 key \(token\)/],
    [
      "a missing key id and team id",
      { endpoint: apnsToken.endpoint, appName: "com.contoso.chat", token: "x" },
      /must set key id, team id \(appId\)/,
    ],
  ])("rejects %s, naming the hub", (_case, apns, message) => {
    const findings = resourceFindings(apnsTokenAuthRequired, hubWith(apns));
    expect(findings).toEqual([expect.stringMatching(message)]);
    expect(findings[0]).toMatch(/Notification hub 'hub'/);
  });
  it("applies to versioned azure-native modules", () => {
    const hub: FakeResource = {
      type: "azure-native:notificationhubs/v20231001preview:NotificationHub",
      name: "old",
      props: { apnsCredential: { ...apnsToken, apnsCertificate: "x" } },
    };
    expect(runResourceRule(apnsTokenAuthRequired, hub)).toHaveLength(1);
  });
  it("checks classic hubs' token fields", () => {
    const hub: FakeResource = {
      type: "azure:notificationhub/hub:Hub",
      name: "classic",
      props: { apnsCredential: { applicationMode: "Sandbox", bundleId: "com.c", keyId: "K", teamId: "" } },
    };
    expect(runResourceRule(apnsTokenAuthRequired, hub)).toEqual([expect.stringMatching(/must set team id, \.p8 key \(token\)/)]);
  });
  it("does not apply to a hub without APNs", () => {
    expect(resourceFindings(apnsTokenAuthRequired, hubWith(undefined as never))).toEqual([]);
  });
});

describe("apns-endpoint-matches-environment", () => {
  const production = "https://api.push.apple.com:443/3/device";
  it("rejects the sandbox gateway in the prod stack", () => {
    const findings = resourceFindings(apnsEndpointMatchesEnvironment, stackResources("prod"));
    expect(findings).toEqual([
      expect.stringMatching(/uses the APNs sandbox gateway in a production stack.*apns.environment: production/),
    ]);
  });
  it("rejects the production gateway outside production", () => {
    const resources = withProps(
      compliantStack("staging"),
      "hub",
      (p) => ((p.apnsCredential as Record<string, unknown>).endpoint = production),
    );
    expect(resourceFindings(apnsEndpointMatchesEnvironment, resources)).toEqual([
      expect.stringMatching(/production gateway in a non-production stack/),
    ]);
  });
  it("rejects an endpoint of no known gateway", () => {
    const resources = withProps(
      compliantStack(),
      "hub",
      (p) => ((p.apnsCredential as Record<string, unknown>).endpoint = "https://example.com/3/device"),
    );
    expect(resourceFindings(apnsEndpointMatchesEnvironment, resources)).toEqual([expect.stringMatching(/unknown gateway/)]);
  });
  it("takes production stack names and an explicit environment from config", () => {
    const live = withProps(
      compliantStack("live"),
      "hub",
      (p) => ((p.apnsCredential as Record<string, unknown>).endpoint = production),
    );
    expect(resourceFindings(apnsEndpointMatchesEnvironment, live, { productionStacks: ["live"] })).toEqual([]);
    expect(resourceFindings(apnsEndpointMatchesEnvironment, stackResources("dev"), { environment: "production" })).toHaveLength(
      1,
    );
  });
  it("reads the classic applicationMode", () => {
    const hub: FakeResource = {
      stack: "prod",
      type: "azure:notificationhub/hub:Hub",
      name: "classic",
      props: { apnsCredential: { applicationMode: "Sandbox" } },
    };
    expect(runResourceRule(apnsEndpointMatchesEnvironment, hub)).toHaveLength(1);
  });
});

describe("fcm-v1-required", () => {
  it("rejects a legacy GCM key on azure-native and classic hubs", () => {
    const native = withProps(compliantStack(), "hub", (p) => (p.gcmCredential = { googleApiKey: "AAAA" }));
    expect(resourceFindings(fcmV1Required, native)).toEqual([expect.stringMatching(/legacy GCM\/FCM server key/)]);
    const classic: FakeResource = {
      type: "azure:notificationhub/hub:Hub",
      name: "classic",
      props: { gcmCredential: { apiKey: "AAAA" } },
    };
    expect(runResourceRule(fcmV1Required, classic)).toHaveLength(1);
  });
  it("rejects an incomplete FCM v1 credential", () => {
    const resources = withProps(compliantStack(), "hub", (p) => (p.fcmV1Credential = { ...fcmV1, privateKey: "" }));
    expect(resourceFindings(fcmV1Required, resources)).toEqual([expect.stringMatching(/must set privateKey/)]);
  });
  it("names every missing FCM v1 field, and the hub, in one finding", () => {
    const hub: FakeResource = {
      type: "azure-native:notificationhubs:NotificationHub",
      name: "hub-a",
      props: { fcmV1Credential: { projectId: "p" } },
    };
    expect(runResourceRule(fcmV1Required, hub)).toEqual([
      "Notification hub 'hub-a' FCM v1 credential must set clientEmail, privateKey.",
    ]);
  });
  it("stays silent on what a preview does not know yet, and on a hub without Android", () => {
    const type = "azure-native:notificationhubs:NotificationHub";
    for (const props of [
      { gcmCredential: UNKNOWN_STRING },
      { fcmV1Credential: UNKNOWN_STRING },
      { fcmV1Credential: { ...fcmV1, privateKey: UNKNOWN_STRING } },
      {},
      { gcmCredential: null, fcmV1Credential: undefined },
    ])
      expect(runResourceRule(fcmV1Required, { type, name: "h", props })).toEqual([]);
  });
  it("does not apply FCM v1 field checks to classic hubs, which have no such credential", () => {
    const classic: FakeResource = { type: "azure:notificationhub/hub:Hub", name: "c", props: { fcmV1Credential: {} } };
    expect(runResourceRule(fcmV1Required, classic)).toEqual([]);
  });
  it("explains a legacy key with the fix", () => {
    const native = withProps(compliantStack(), "hub", (p) => (p.gcmCredential = { googleApiKey: "AAAA" }));
    expect(resourceFindings(fcmV1Required, native)).toEqual([
      "Notification hub 'hub' sets a legacy GCM/FCM server key (gcmCredential), which Google no longer accepts: configure FCM v1 (fcmV1Credential) instead.",
    ]);
  });
});

describe("hub-has-platform-credentials", () => {
  it("rejects a linked hub without APNs and FCM v1, naming the hub", () => {
    const resources = withProps(compliantStack(), "hub", (p) => {
      delete p.apnsCredential;
      delete p.fcmV1Credential;
    });
    const findings = runStackRule(hubHasPlatformCredentials, resources);
    expect(findings).toEqual([
      { urn: urnOf(compliantStack().hub), message: expect.stringMatching(/linked to ACS by 'link' but has no APNs or FCM v1/) },
    ]);
  });
  it("finds the linked hub by id when no dependency says so", () => {
    const stack = compliantStack();
    delete stack.link.propertyDependencies;
    stack.link.dependencies = [];
    delete stack.hub.props.apnsCredential;
    delete stack.hub.props.fcmV1Credential;
    expect(runStackRule(hubHasPlatformCredentials, Object.values(stack))).toHaveLength(1);
  });
  it("ignores hubs nobody links", () => {
    const stack = compliantStack();
    delete stack.hub.props.apnsCredential;
    delete stack.hub.props.fcmV1Credential;
    const { link: _link, ...unlinked } = stack;
    expect(runStackRule(hubHasPlatformCredentials, Object.values(unlinked))).toEqual([]);
  });
});

describe("link-rule-send-only and hub-rule-without-manage", () => {
  it.each([
    [["Listen"], /lacks Send/],
    [["Send", "Listen"], /also grants Listen/],
    [["Send", "Listen", "Manage"], /also grants Listen and Manage/],
  ])("rejects a linked rule with rights %j", (rights, message) => {
    const resources = withProps(compliantStack(), "rule", (p) => (p.rights = rights));
    expect(runStackRule(linkRuleSendOnly, resources)).toEqual([
      { urn: urnOf(compliantStack().rule), message: expect.stringMatching(message) },
    ]);
  });
  it("reads classic send/listen/manage flags", () => {
    const stack = compliantStack();
    stack.rule = {
      ...stack.rule,
      type: "azure:notificationhub/authorizationRule:AuthorizationRule",
      props: { send: true, listen: false, manage: true },
    };
    stack.link.propertyDependencies = { ...stack.link.propertyDependencies, authorizationRuleId: [urnOf(stack.rule)] };
    const findings = runStackRule(linkRuleSendOnly, Object.values(stack));
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringMatching(/also grants Manage/) })]);
  });
  it("tells the link's Send rule from the registration's Listen rule: only the rule feeding the link must be Send-only", () => {
    const stack = compliantStack();
    expect(runStackRule(linkRuleSendOnly, Object.values(stack))).toEqual([]);
    expect(resourceFindings(hubRuleWithoutManage, Object.values(stack))).toEqual([]);
    // Linking ACS with the registration key instead is caught: it cannot send.
    stack.link.dependencies = [urnOf(stack.acs), urnOf(stack.hub), urnOf(stack.registrationRule)];
    stack.link.propertyDependencies = {
      ...stack.link.propertyDependencies,
      authorizationRuleId: [urnOf(stack.registrationRule)],
    };
    expect(runStackRule(linkRuleSendOnly, Object.values(stack))).toEqual([
      {
        urn: urnOf(stack.registrationRule),
        message: expect.stringMatching(/'register' feeds the ACS link 'link' but lacks Send/),
      },
    ]);
  });

  it("flags Manage on any hub rule as advisory", () => {
    const resources = withProps(compliantStack(), "rule", (p) => (p.rights = ["Listen", "Manage", "Send"]));
    expect(resourceFindings(hubRuleWithoutManage, resources)).toEqual([expect.stringMatching(/grants Manage/)]);
    expect(hubRuleWithoutManage.enforcementLevel).toBe("advisory");
  });
});

describe("link-same-subscription", () => {
  it("rejects a hub in another subscription", () => {
    const other = "22222222-2222-2222-2222-222222222222";
    const resources = withProps(
      compliantStack(),
      "link",
      (p) => (p.notificationHubId = String(p.notificationHubId).replace(SUB, other)),
    );
    expect(runStackRule(linkSameSubscription, resources)).toEqual([
      {
        urn: urnOf(compliantStack().link),
        message: expect.stringMatching(new RegExp(`subscription ${SUB} to a hub in subscription ${other}`)),
      },
    ]);
  });
  it("stays quiet while the ids are unknown", () => {
    const resources = withProps(compliantStack(), "link", (p) => (p.notificationHubId = UNKNOWN_STRING));
    expect(runStackRule(linkSameSubscription, resources)).toEqual([]);
  });
});

describe("link-tracks-connection-string", () => {
  it("rejects a link that does not use a rule of the stack", () => {
    const stack = compliantStack();
    stack.link.propertyDependencies = { ...stack.link.propertyDependencies, authorizationRuleId: [] };
    expect(runStackRule(linkTracksConnectionString, Object.values(stack))).toEqual([
      { urn: urnOf(stack.link), message: expect.stringMatching(/does not use a hub access rule of this stack/) },
    ]);
  });
  it("reads state an earlier version wrote: the link's connectionString from the rule passes, a literal one does not", () => {
    const stack = compliantStack();
    delete stack.link.props.authorizationRuleId;
    stack.link.props.connectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=x";
    stack.link.propertyDependencies = { connectionString: [urnOf(stack.rule)] };
    expect(runStackRule(linkTracksConnectionString, Object.values(stack))).toEqual([]);
    stack.link.propertyDependencies = { connectionString: [] };
    expect(runStackRule(linkTracksConnectionString, Object.values(stack))).toHaveLength(1);
  });
});

describe("eventgrid-acs-subscription-resilient", () => {
  it.each([
    ["deadLetterDestination", /no deadLetterDestination/],
    ["retryPolicy", /no retryPolicy/],
  ])("rejects a subscription on ACS without %s", (field, message) => {
    const resources = withProps(compliantStack(), "subscription", (p) => delete p[field]);
    expect(runStackRule(eventGridAcsSubscriptionResilient, resources)).toEqual([
      { urn: urnOf(compliantStack().subscription), message: expect.stringMatching(message) },
    ]);
  });
  it("finds the subscription through the topic name alone, and accepts dead-lettering with identity", () => {
    const stack = compliantStack();
    stack.subscription.dependencies = [];
    delete stack.subscription.props.retryPolicy;
    expect(runStackRule(eventGridAcsSubscriptionResilient, Object.values(stack))).toHaveLength(1);
    delete stack.subscription.props.deadLetterDestination;
    stack.subscription.props.deadLetterWithResourceIdentity = { identity: { type: "SystemAssigned" } };
    stack.subscription.props.retryPolicy = { maxDeliveryAttempts: 5 };
    expect(runStackRule(eventGridAcsSubscriptionResilient, Object.values(stack))).toEqual([]);
  });
  it("ignores subscriptions on other topics", () => {
    const stack = compliantStack();
    stack.topic.props.topicType = "Microsoft.Storage.StorageAccounts";
    stack.topic.dependencies = [];
    delete stack.subscription.props.retryPolicy;
    expect(runStackRule(eventGridAcsSubscriptionResilient, Object.values(stack))).toEqual([]);
  });
});

describe("eventgrid-function-one-event-per-batch", () => {
  it("accepts one event per batch, and the default (unset)", () => {
    expect(runStackRule(eventGridFunctionOneEventPerBatch, Object.values(compliantStack()))).toEqual([]);
    const one = withProps(
      compliantStack(),
      "subscription",
      (p) => ((p.destination as Record<string, unknown>).maxEventsPerBatch = 1),
    );
    expect(runStackRule(eventGridFunctionOneEventPerBatch, one)).toEqual([]);
  });
  it("flags batches to a Function, saying what a failed batch does and what to set", () => {
    const resources = withProps(
      compliantStack(),
      "subscription",
      (p) => ((p.destination as Record<string, unknown>).maxEventsPerBatch = 10),
    );
    expect(runStackRule(eventGridFunctionOneEventPerBatch, resources)).toEqual([
      {
        urn: urnOf(compliantStack().subscription),
        message:
          "Event subscription 'chat-to-function' delivers up to 10 ACS events per batch to a Function: when one fails, Event Grid re-sends them all and users get the others' pushes again. Set destination.maxEventsPerBatch to 1.",
      },
    ]);
  });
  it("leaves webhooks alone: a webhook answers for the batch itself", () => {
    const resources = withProps(compliantStack(), "subscription", (p) => {
      p.destination = { endpointType: "WebHook", endpointUrl: "https://push.contoso.com/acs", maxEventsPerBatch: 10 };
    });
    expect(runStackRule(eventGridFunctionOneEventPerBatch, resources)).toEqual([]);
  });
});

describe("function-app-hardened", () => {
  type AppProps = { httpsOnly?: boolean; identity?: unknown; siteConfig: Record<string, unknown> };
  const siteConfig = (p: Record<string, unknown>) => (p as AppProps).siteConfig;
  it.each([
    ["httpsOnly false", (p: Record<string, unknown>) => (p.httpsOnly = false), /httpsOnly is not true/],
    ["TLS 1.0", (p: Record<string, unknown>) => (siteConfig(p).minTlsVersion = "1.0"), /minimum TLS is 1.0/],
    ["FTPS allowed", (p: Record<string, unknown>) => (siteConfig(p).ftpsState = "AllAllowed"), /ftpsState is AllAllowed/],
    ["no identity", (p: Record<string, unknown>) => delete p.identity, /no managed identity/],
  ])("rejects a Function App with %s", (_case, change, message) => {
    const resources = withProps(compliantStack(), "functionApp", change);
    expect(resourceFindings(functionAppHardened, resources)).toEqual([expect.stringMatching(message)]);
  });
  it("ignores web apps that are not function apps", () => {
    const resources = withProps(compliantStack(), "functionApp", (p) =>
      Object.assign(p, { kind: "app,linux", httpsOnly: false }),
    );
    expect(resourceFindings(functionAppHardened, resources)).toEqual([]);
  });
  it("trusts the classic provider's safe defaults but not an explicit weak value", () => {
    const classic: FakeResource = {
      type: "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
      name: "classic",
      props: { httpsOnly: true, identity: { type: "SystemAssigned" }, siteConfig: {} },
    };
    expect(runResourceRule(functionAppHardened, classic)).toEqual([]);
    classic.props.siteConfig = { minimumTlsVersion: "1.1" };
    expect(runResourceRule(functionAppHardened, classic)).toEqual([expect.stringMatching(/minimum TLS is 1.1/)]);
  });
});

describe("function-no-plaintext-hub-connection-string", () => {
  it("rejects a literal connection string, naming the setting but not the value", () => {
    const resources = withProps(compliantStack(), "functionApp", (p) =>
      (p.siteConfig as { appSettings: unknown[] }).appSettings.push({ name: "NH", value: CONNECTION_STRING }),
    );
    const findings = resourceFindings(functionNoPlaintextHubConnectionString, resources);
    expect(findings).toEqual([expect.stringMatching(/app setting NH: use a Key Vault reference/)]);
  });
  it("checks classic appSettings maps and WebAppApplicationSettings", () => {
    const classic: FakeResource = {
      type: "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
      name: "c",
      props: { appSettings: { NH: CONNECTION_STRING } },
    };
    const settings: FakeResource = {
      type: "azure-native:web:WebAppApplicationSettings",
      name: "s",
      props: { properties: { NH: CONNECTION_STRING } },
    };
    expect(runResourceRule(functionNoPlaintextHubConnectionString, classic)).toHaveLength(1);
    expect(runResourceRule(functionNoPlaintextHubConnectionString, settings)).toHaveLength(1);
  });
});

describe("no-duplicate-chat-push", () => {
  it("asks the team to choose a path when a linked hub and a chat subscription coexist", () => {
    expect(runStackRule(noDuplicateChatPush, stackResources())).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Declare chatPushPath/) }),
    ]);
  });
  it("rejects chat events on the function when pushes are native", () => {
    expect(runStackRule(noDuplicateChatPush, stackResources(), { chatPushPath: "native" })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/twice. Remove the chat events/) }),
    ]);
  });
  it("treats a subscription without a filter as delivering chat events", () => {
    const resources = withProps(compliantStack(), "subscription", (p) => delete p.filter);
    expect(runStackRule(noDuplicateChatPush, resources, { chatPushPath: "native" })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/all ACS events/) }),
    ]);
  });
  it("reads the chat path the stack's PushDelivery component declares", () => {
    const component = (chatPush: string): FakeResource => ({
      type: "acs-notifications:delivery:PushDelivery",
      name: "push",
      props: { chatPush, deliveryMode: "function" },
    });
    expect(runStackRule(noDuplicateChatPush, [...stackResources(), component("function")])).toEqual([]);
    expect(runStackRule(noDuplicateChatPush, [...stackResources(), component("native")])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/chatPushPath: native/) }),
    ]);
    // An explicit setting in the pack config wins over the declaration.
    expect(runStackRule(noDuplicateChatPush, [...stackResources(), component("native")], { chatPushPath: "function" })).toEqual(
      [],
    );
  });

  it("is quiet without a link, or when the subscription carries no chat events", () => {
    const { link: _link, ...noLink } = compliantStack();
    expect(runStackRule(noDuplicateChatPush, Object.values(noLink))).toEqual([]);
    const callsOnly = withProps(
      compliantStack(),
      "subscription",
      (p) => ((p.filter as { includedEventTypes: string[] }).includedEventTypes = ["Microsoft.Communication.IncomingCall"]),
    );
    expect(runStackRule(noDuplicateChatPush, callsOnly, { chatPushPath: "native" })).toEqual([]);
  });
});
