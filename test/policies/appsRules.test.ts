import { appHubsHoldExpectedDevices, DEVICES_PER_NAMESPACE, oneLinkedApp } from "../../policies/rules/apps";
import { DEVICES_PER_NAMESPACE as PROJECT_DEVICES_PER_NAMESPACE } from "../../azure/hubCapacity";
import { FakeResource, runStackRule, urnOf } from "./harness";

/** This project's hub component, as the engine shows it to the pack: which app and partition it serves. */
const hub = (
  name: string,
  app: string,
  partition: number,
  partitions: number,
  extra: Record<string, unknown> = {},
): FakeResource => ({
  type: "acs-notifications:notificationhubs:NotificationHub",
  name,
  props: { app, partition, partitions, sku: "Standard", linked: false, ...extra },
});

describe("apps and partitions rules", () => {
  it("keeps the same devices per namespace as the project (the pack is published alone)", () => {
    expect(DEVICES_PER_NAMESPACE).toEqual(PROJECT_DEVICES_PER_NAMESPACE);
  });

  it("one-linked-app: passes exactly one linked first partition, and says what is wrong otherwise", () => {
    const customer0 = hub("c0", "customer", 0, 2, { linked: true });
    const customer1 = hub("c1", "customer", 1, 2);
    const staff = hub("s0", "staff", 0, 1);
    expect(runStackRule(oneLinkedApp, [customer0, customer1, staff])).toEqual([]);
    expect(
      runStackRule(oneLinkedApp, [{ ...customer0, props: { ...customer0.props, linked: false } }, customer1, staff]),
    ).toEqual([
      {
        urn: urnOf(customer0),
        message: "No hub of the apps (customer, staff) is linked to ACS: name the linked app with nativeApp.",
      },
    ]);
    expect(
      runStackRule(oneLinkedApp, [customer0, customer1, { ...staff, props: { ...staff.props, linked: true } }]),
    ).toHaveLength(2);
    expect(
      runStackRule(oneLinkedApp, [
        { ...customer0, props: { ...customer0.props, linked: false } },
        { ...customer1, props: { ...customer1.props, linked: true } },
      ]),
    ).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/is linked, but only an app's first partition may be/) }),
    ]);
    // Resources of other programs (no app placement) are not this rule's.
    expect(
      runStackRule(oneLinkedApp, [{ type: "acs-notifications:notificationhubs:NotificationHub", name: "old", props: {} }]),
    ).toEqual([]);
  });

  it("app-hubs-hold-expected-devices: counts one namespace per partition with 10 % headroom", () => {
    const app = (expectedDevices: number, sku = "Basic") =>
      [0, 1].map((p) => hub(`b${p}`, "big", p, 2, { sku, expectedDevices }));
    expect(runStackRule(appHubsHoldExpectedDevices, app(360_000))).toEqual([]);
    expect(runStackRule(appHubsHoldExpectedDevices, app(360_001))).toEqual([
      {
        urn: urnOf(app(0)[0]),
        message:
          "App 'big' expects 360001 devices, but 2 Basic namespace(s) hold 400000 (200000 each): with 10 % headroom it needs 3 partitions or a higher tier.",
      },
    ]);
    // No expectation stated: nothing to check.
    expect(runStackRule(appHubsHoldExpectedDevices, [hub("x", "x", 0, 1, { sku: "Free" })])).toEqual([]);
  });
});
