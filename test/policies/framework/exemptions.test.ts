import { apnsEndpointMatchesEnvironment } from "../../../policies/rules/apns";
import { exemptionFor } from "../../../policies/framework/exemptions";
import { clock } from "../../../policies/framework/policyDefinition";
import { linkSameSubscription } from "../../../policies/rules/hubLink";
import { runRule, urnOf } from "../harness";
import { compliantStack, SUB } from "../fixtures";

const run = runRule;

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
