import { exemptionFor } from "../../policies/framework/exemptions";
import {
  hubHasPlatformCredentials,
  hubRuleWithoutManage,
  linkRuleSendOnly,
  linkSameSubscription,
  rightsOf,
} from "../../policies/rules/hubLink";
import { anyResourceRuleChecks } from "../../policies/rules";
import { compliantStack, HUB_ID } from "./fixtures";
import { FakeResource, runResourceRule, runStackRule, UNKNOWN_STRING, urnOf } from "./harness";
import type { Policies } from "@pulumi/policy";

const CLASSIC_RULE = "azure:notificationhub/authorizationRule:AuthorizationRule";
const NATIVE_RULE = "azure-native:notificationhubs:NotificationHubAuthorizationRule";

describe("the rights of a hub access rule", () => {
  it("reads the classic provider's three flags, each on its own", () => {
    expect(rightsOf({ type: CLASSIC_RULE, props: { send: true, listen: false, manage: false } })).toEqual({
      send: true,
      listen: false,
      manage: false,
    });
    expect(rightsOf({ type: CLASSIC_RULE, props: { listen: true } })).toEqual({ send: false, listen: true, manage: false });
    expect(rightsOf({ type: CLASSIC_RULE, props: { manage: true, send: "true" } })).toEqual({
      send: false,
      listen: false,
      manage: true,
    });
  });

  it("reads azure-native's rights list in any case, skipping what is not a name", () => {
    expect(rightsOf({ type: NATIVE_RULE, props: { rights: ["SEND", 42, "listen"] } })).toEqual({
      send: true,
      listen: true,
      manage: false,
    });
    expect(rightsOf({ type: NATIVE_RULE, props: {} })).toEqual({ send: false, listen: false, manage: false });
  });
});

describe("hub-rule-without-manage, in detail", () => {
  const rule = (rights: unknown): FakeResource => ({ type: NATIVE_RULE, name: "ops", props: { rights } });
  it("names the rule and what holding its key allows", () => {
    expect(runResourceRule(hubRuleWithoutManage, rule(["Listen", "Manage", "Send"]))).toEqual([
      "Hub access rule 'ops' grants Manage: anyone holding its key can change the hub's credentials and rules. Remove Manage.",
    ]);
  });
  it("is quiet for Send and Listen, and while the rights are not known yet", () => {
    expect(runResourceRule(hubRuleWithoutManage, rule(["Listen", "Send"]))).toEqual([]);
    expect(runResourceRule(hubRuleWithoutManage, rule(UNKNOWN_STRING))).toEqual([]);
  });
});

describe("hub-has-platform-credentials, in detail", () => {
  const linkedHub = (change: (hub: FakeResource) => void) => {
    const stack = compliantStack();
    change(stack.hub);
    return Object.values(stack);
  };
  it("is satisfied by either platform alone on an azure-native hub", () => {
    expect(
      runStackRule(
        hubHasPlatformCredentials,
        linkedHub((h) => delete h.props.apnsCredential),
      ),
    ).toEqual([]);
    expect(
      runStackRule(
        hubHasPlatformCredentials,
        linkedHub((h) => delete h.props.fcmV1Credential),
      ),
    ).toEqual([]);
  });
  it("reads a classic hub's APNs credential (the classic hub has no FCM v1 field)", () => {
    const classic = (apns: unknown) =>
      linkedHub((h) => {
        h.type = "azure:notificationhub/hub:Hub";
        h.props = apns === undefined ? { id: HUB_ID } : { id: HUB_ID, apnsCredential: apns };
      });
    expect(runStackRule(hubHasPlatformCredentials, classic({ applicationMode: "Production", token: "p8" }))).toEqual([]);
    expect(runStackRule(hubHasPlatformCredentials, classic(undefined))).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Notification hub 'hub' is linked to ACS by 'link' but has no APNs or FCM v1 credentials/,
        ),
      }),
    ]);
  });
  it("counts only hubs among a link's dependencies when the engine gives no per-property detail", () => {
    const stack = compliantStack();
    stack.link.propertyDependencies = {};
    stack.link.dependencies = [urnOf(stack.acs), urnOf(stack.rule), urnOf(stack.hub)];
    // Neither ACS nor the rule has platform credentials: were they taken for hubs, they would be reported.
    expect(runStackRule(hubHasPlatformCredentials, Object.values(stack))).toEqual([]);
  });
  it("finds the linked hub by dependency while its id is not known yet", () => {
    const stack = compliantStack();
    stack.hub.props = {};
    stack.link.props.notificationHubId = UNKNOWN_STRING;
    expect(runStackRule(hubHasPlatformCredentials, Object.values(stack))).toEqual([
      expect.objectContaining({ urn: urnOf(stack.hub), message: expect.stringMatching(/has no APNs or FCM v1 credentials/) }),
    ]);
  });

  it("follows the hub the link's notificationHubId comes from, not other dependencies", () => {
    const stack = compliantStack();
    const bare: FakeResource = { type: "azure-native:notificationhubs:NotificationHub", name: "bare", props: {} };
    stack.link.dependencies = [...(stack.link.dependencies ?? []), urnOf(bare)];
    expect(runStackRule(hubHasPlatformCredentials, [...Object.values(stack), bare])).toEqual([]);
  });
  it("tolerates a dependency on a resource of another stack", () => {
    const stack = compliantStack();
    stack.link.propertyDependencies = {
      notificationHubId: ["urn:pulumi:shared::platform::azure-native:notificationhubs:NotificationHub::hub"],
    };
    expect(() => runStackRule(hubHasPlatformCredentials, Object.values(stack))).not.toThrow();
  });
  it("finds a hub by its id only among hubs, never another resource carrying the same id", () => {
    const stack = compliantStack();
    stack.link.propertyDependencies = {};
    stack.link.dependencies = [];
    const component: FakeResource = {
      type: "acs-notifications:hub:NotificationHub",
      name: "hub-component",
      props: { id: HUB_ID },
    };
    expect(runStackRule(hubHasPlatformCredentials, [...Object.values(stack), component])).toEqual([]);
  });
});

describe("link-rule-send-only with the classic provider", () => {
  const classicRule = (props: Record<string, unknown>) => {
    const stack = compliantStack();
    const nativeUrn = urnOf(stack.rule);
    stack.rule.type = CLASSIC_RULE;
    stack.rule.props = props;
    // The type is part of the URN: point the link at the classic rule.
    const swap = (urns: string[]) => urns.map((u) => (u === nativeUrn ? urnOf(stack.rule) : u));
    stack.link.dependencies = swap(stack.link.dependencies ?? []);
    stack.link.propertyDependencies = Object.fromEntries(
      Object.entries(stack.link.propertyDependencies ?? {}).map(([k, v]) => [k, swap(v)]),
    );
    return Object.values(stack);
  };
  it("accepts Send alone, and does not guess while a flag is unknown", () => {
    expect(runStackRule(linkRuleSendOnly, classicRule({ send: true, listen: false, manage: false }))).toEqual([]);
    expect(runStackRule(linkRuleSendOnly, classicRule({ send: UNKNOWN_STRING, listen: false, manage: false }))).toEqual([]);
    expect(runStackRule(linkRuleSendOnly, classicRule({ send: true, listen: true, manage: false }))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/also grants Listen: use a dedicated rule with exactly Send/) }),
    ]);
  });
});

describe("link-same-subscription, in detail", () => {
  const linkWith = (hubId: string) => {
    const stack = compliantStack();
    stack.link.props.notificationHubId = hubId;
    return Object.values(stack);
  };
  it("names both subscriptions and the fix", () => {
    const other = HUB_ID.replace(/^\/subscriptions\/[^/]+/, "/subscriptions/22222222-2222-2222-2222-222222222222");
    const [finding] = runStackRule(linkSameSubscription, linkWith(other));
    expect(finding.message).toMatch(
      /in subscription 11111111-1111-1111-1111-111111111111 to a hub in subscription 22222222-2222-2222-2222-222222222222: ACS refuses/,
    );
  });
  it("says nothing when an id names no subscription, or the same one in another case", () => {
    expect(runStackRule(linkSameSubscription, linkWith("hub-without-arm-id"))).toEqual([]);
    expect(runStackRule(linkSameSubscription, linkWith(HUB_ID.toUpperCase()))).toEqual([]);
  });
});

describe("exemption verdicts", () => {
  it("is none without exemptions or without a matching one", () => {
    expect(exemptionFor(undefined, "urn:pulumi:dev::p::t::hub", "hub")).toEqual({ kind: "none" });
    expect(exemptionFor([], "urn:pulumi:dev::p::t::hub", "hub")).toEqual({ kind: "none" });
  });
});

describe("which types a resource rule checks", () => {
  it("counts a rule that declares no types as checking every type", () => {
    const undeclared = {
      name: "x",
      description: "x.",
      enforcementLevel: "advisory",
      validateResource: () => undefined,
    } as unknown as Policies[number];
    expect(anyResourceRuleChecks("random:index:Thing", [undeclared])).toBe(true);
    expect(anyResourceRuleChecks("random:index:Thing")).toBe(false);
    expect(anyResourceRuleChecks("azure-native:notificationhubs:NotificationHub")).toBe(true);
  });
});
