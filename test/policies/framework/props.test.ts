import { isSet, read, readArray, readString, stackOfUrn, subscriptionOf, UNKNOWN } from "../../../policies/framework/props";

// How rules read properties during a preview: what is not known yet must come back as UNKNOWN — never as a
// value a rule would judge, and never as an exception that fails the whole preview.
class UnknownValueError extends Error {}

/** What the policy SDK's proxy does on a value not known yet: it throws on access. */
function throwingOn(key: string, inner: Record<string, unknown> = {}): Record<string, unknown> {
  return new Proxy(inner, {
    get: (target, prop) => {
      if (prop === key) throw new UnknownValueError(`${key} is unknown`);
      return target[prop as string];
    },
  });
}

describe("read", () => {
  it("follows a dotted path through objects and arrays", () => {
    expect(read({ a: { b: [{ c: 1 }] } }, "a.b.0.c")).toBe(1);
    expect(read({ a: { b: 2 } }, "a.x")).toBeUndefined();
    expect(read({ a: "text" }, "a.b")).toBeUndefined();
    expect(read({ a: null }, "a.b")).toBeUndefined();
  });

  it("turns the SDK's unknown-value exception into UNKNOWN, at any depth", () => {
    expect(read(throwingOn("endpoint"), "endpoint")).toBe(UNKNOWN);
    expect(read({ apns: throwingOn("endpoint") }, "apns.endpoint")).toBe(UNKNOWN);
    expect(read({ apns: throwingOn("endpoint") }, "apns.endpoint.host")).toBe(UNKNOWN);
  });

  it("lets any other exception through: a defect is not an unknown", () => {
    const broken = new Proxy(
      {},
      {
        get: () => {
          throw new TypeError("boom");
        },
      },
    );
    expect(() => read(broken, "x")).toThrow(TypeError);
  });

  it("recognises every unknown sentinel of the engine and the SDK, and the SDK's unknown marker object", () => {
    for (const sentinel of [
      "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
      "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
      "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
      "030794c1-ac77-496b-92df-f27374a8bd58",
      "e48ece36-62e2-4504-bad9-02848725956a",
      "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    ]) {
      expect(read({ v: sentinel }, "v")).toBe(UNKNOWN);
      expect(read({ v: { w: sentinel } }, "v.w.x")).toBe(UNKNOWN);
    }
    expect(read({ v: { __pulumiUnknown: true } }, "v")).toBe(UNKNOWN);
    expect(read({ v: "04da6b54-80e4-46f7-96ec-b56ff0331ba8" }, "v")).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba8");
  });
});

describe("readString and isSet", () => {
  it("reads strings only, passing UNKNOWN through", () => {
    expect(readString({ s: "x" }, "s")).toBe("x");
    expect(readString({ s: 1 }, "s")).toBeUndefined();
    expect(readString(throwingOn("s"), "s")).toBe(UNKNOWN);
  });

  it("counts a value as set when it is known and not empty, or not known yet", () => {
    expect([UNKNOWN, "x", 0, false, {}].map(isSet)).toEqual([true, true, true, true, true]);
    expect([undefined, null, ""].map(isSet)).toEqual([false, false, false]);
  });
});

describe("readArray", () => {
  it("returns every element, UNKNOWN when the list or any element is not known, undefined for a non-list", () => {
    expect(readArray({ l: ["a", "b", "c"] }, "l")).toEqual(["a", "b", "c"]);
    expect(readArray({ l: [] }, "l")).toEqual([]);
    expect(readArray({ l: ["a", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"] }, "l")).toBe(UNKNOWN);
    expect(readArray({ l: throwingOn("1", ["a", "b"] as never) }, "l")).toBe(UNKNOWN);
    expect(readArray(throwingOn("l"), "l")).toBe(UNKNOWN);
    expect(readArray({ l: "a" }, "l")).toBeUndefined();
  });
});

describe("stackOfUrn and subscriptionOf", () => {
  it("takes the stack from a URN, and nothing from text that is not one", () => {
    expect(stackOfUrn("urn:pulumi:prod::acs-notifications::azure-native:web:WebApp::app")).toBe("prod");
    expect(stackOfUrn("x urn:pulumi:prod::p::t::n")).toBe("");
    expect(stackOfUrn("not a urn")).toBe("");
  });

  it("takes the subscription from an ARM id, lower-cased, and nothing from other text", () => {
    expect(subscriptionOf("/subscriptions/ABC-123/resourceGroups/rg")).toBe("abc-123");
    expect(subscriptionOf("/SUBSCRIPTIONS/abc/resourceGroups/rg")).toBe("abc");
    expect(subscriptionOf("x/subscriptions/abc/rg")).toBeUndefined();
    expect(subscriptionOf("/subscriptions/abc")).toBeUndefined();
  });
});
