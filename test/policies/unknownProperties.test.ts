import fc from "fast-check";
import { allPolicies } from "../../policies/rules";
import { CLASSIC } from "../../policies/framework/resourceTypes";
import { FakeResource, runRule, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./harness";
import { compliantStack } from "./fixtures";

const run = runRule;

describe("unknown and malformed properties", () => {
  const types = [
    "azure-native:notificationhubs:NotificationHub",
    "azure-native:notificationhubs/v20231001preview:NotificationHub",
    "azure-native:notificationhubs:NotificationHubAuthorizationRule",
    "azure-native:eventgrid:SystemTopic",
    "azure-native:eventgrid:SystemTopicEventSubscription",
    "azure-native:web:WebApp",
    "azure-native:web:WebAppApplicationSettings",
    "azure-native:communication:CommunicationService",
    "pulumi-nodejs:dynamic:NotificationHubLink",
    ...Object.values(CLASSIC),
  ];
  const unknown = fc.constantFrom(
    UNKNOWN_STRING,
    UNKNOWN_OBJECT,
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  );
  const leaf = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    unknown,
    fc.constantFrom("Send", "Manage", "functionapp", "Disabled"),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(
        fc.constantFrom(
          "apnsCredential",
          "endpoint",
          "rights",
          "kind",
          "siteConfig",
          "appSettings",
          "filter",
          "includedEventTypes",
          "token",
          "x",
        ),
        tie("node"),
        { maxKeys: 5 },
      ),
    ),
  })).node;
  const props = fc.dictionary(
    fc.constantFrom(
      "apnsCredential",
      "fcmV1Credential",
      "gcmCredential",
      "rights",
      "send",
      "manage",
      "kind",
      "httpsOnly",
      "siteConfig",
      "identity",
      "appSettings",
      "properties",
      "filter",
      "retryPolicy",
      "deadLetterDestination",
      "topicType",
      "systemTopicName",
      "communicationServiceId",
      "notificationHubId",
      "connectionString",
      "id",
      "name",
    ),
    value,
    { maxKeys: 8 },
  );
  const resource = fc.record({
    type: fc.constantFrom(...types),
    name: fc.constantFrom("a", "b", "hub", "link"),
    props,
    stack: fc.constantFrom("dev", "prod"),
  });

  it("no rule throws, whatever the properties hold", () => {
    fc.assert(
      fc.property(fc.array(resource, { minLength: 1, maxLength: 6 }), (resources) => {
        for (const policy of allPolicies) run(policy, resources as FakeResource[], { chatPushPath: "unspecified" });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it("reads objects without a prototype in any property instead of converting them to text", () => {
    // Found by the property above: String() of such an object throws, and one element of
    // includedEventTypes took the whole pack down.
    const bare = () => Object.create(null) as object;
    const everywhere = (): Record<string, unknown> => ({
      filter: { includedEventTypes: [bare(), "Microsoft.Communication.ChatMessageReceived"] },
      includedEventTypes: [bare()],
      identity: bare(),
      rights: [bare(), "Send"],
      apnsCredential: bare(),
      siteConfig: bare(),
      appSettings: [bare()],
    });
    // Subscriptions that reach ACS only through what their filter selects, next to everything else.
    const resources: FakeResource[] = [
      { type: "azure-native:eventgrid:SystemTopicEventSubscription", name: "sub", props: everywhere() },
      { type: CLASSIC.systemTopicEventSubscription, name: "classic", props: everywhere() },
      ...Object.values(compliantStack()).map((r) => ({ ...r, props: { ...r.props, ...everywhere() } })),
    ];
    for (const policy of allPolicies) expect(() => run(policy, resources)).not.toThrow();
  });

  it("a compliant stack with any of its values not known yet never yields a violation", () => {
    const paths: [string, string][] = Object.entries(compliantStack()).flatMap(([key, r]) =>
      Object.keys(r.props).map((p) => [key, p] as [string, string]),
    );
    fc.assert(
      fc.property(fc.subarray(paths, { minLength: 1 }), fc.constantFrom(UNKNOWN_STRING, UNKNOWN_OBJECT), (chosen, sentinel) => {
        const stack = compliantStack();
        for (const [key, prop] of chosen) stack[key].props[prop] = sentinel;
        for (const policy of allPolicies) expect(run(policy, Object.values(stack), { chatPushPath: "function" })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
