import fc from "fast-check";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { allPolicies } from "../../policies/rules";
import { apnsEndpointMatchesEnvironment } from "../../policies/rules/apns";
import { exemptionFor } from "../../policies/framework/exemptions";
import { clock } from "../../policies/framework/policyDefinition";
import { CLASSIC } from "../../policies/framework/resourceTypes";
import { linkSameSubscription } from "../../policies/rules/hubLink";
import { FakeResource, runResourceRule, runStackRule, UNKNOWN_OBJECT, UNKNOWN_STRING, urnOf } from "./harness";
import { compliantStack, SUB } from "./fixtures";

const run = (policy: (typeof allPolicies)[number], resources: FakeResource[], config: object = {}) =>
  "validateResource" in policy
    ? resources.flatMap((r) => runResourceRule(policy as ResourceValidationPolicy, r, config))
    : runStackRule(policy as StackValidationPolicy, resources, config).map((f) => f.message);

describe("exemptions", () => {
  const realNow = clock.now;
  beforeEach(() => (clock.now = () => new Date("2026-11-28T12:00:00Z")));
  afterEach(() => (clock.now = realNow));

  const prodHub = () => Object.values(compliantStack("prod")).filter((r) => r.name === "hub");
  const exemption = (expires: string, resource = "hub") => ({
    exemptions: [{ resource, justification: "TestFlight builds still use the sandbox key until release.", expires }],
  });

  it("suppresses a violation on the named resource until the end of its expiry day", () => {
    expect(run(apnsEndpointMatchesEnvironment, prodHub())).toHaveLength(1);
    expect(run(apnsEndpointMatchesEnvironment, prodHub(), exemption("2026-11-28"))).toEqual([]);
    expect(run(apnsEndpointMatchesEnvironment, prodHub(), exemption("2027-01-31"))).toEqual([]);
  });

  it("matches by URN as well as by name", () => {
    const urn = urnOf(prodHub()[0]);
    expect(run(apnsEndpointMatchesEnvironment, prodHub(), exemption("2027-01-31", urn))).toEqual([]);
  });

  it("stops working after it expires, and says so", () => {
    const messages = run(apnsEndpointMatchesEnvironment, prodHub(), exemption("2026-11-27"));
    expect(messages).toEqual([expect.stringMatching(/exemption for 'hub' expired on 2026-11-27 and no longer applies/)]);
  });

  it("does not exempt other resources", () => {
    expect(run(apnsEndpointMatchesEnvironment, prodHub(), exemption("2027-01-31", "other-hub"))).toHaveLength(1);
  });

  it("applies to stack rules on the URN they report", () => {
    const stack = compliantStack();
    stack.link.props.notificationHubId = String(stack.link.props.notificationHubId).replace(
      SUB,
      "22222222-2222-2222-2222-222222222222",
    );
    expect(run(linkSameSubscription, Object.values(stack), exemption("2027-01-01", "link"))).toEqual([]);
  });

  it("prefers a valid exemption when an expired one for the same resource remains", () => {
    const verdict = exemptionFor(
      [
        { resource: "hub", justification: "old one, kept for history", expires: "2025-01-01" },
        { resource: "hub", justification: "renewed after review", expires: "2027-01-01" },
      ],
      "urn:x::hub",
      "hub",
      new Date("2026-11-28T00:00:00Z"),
    );
    expect(verdict).toMatchObject({ kind: "exempt", exemption: { expires: "2027-01-01" } });
  });
});

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
