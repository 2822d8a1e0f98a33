import { noDuplicateChatPush } from "../../policies/rules/chatPush";
import { compliantStack, withProps } from "./fixtures";
import { FakeResource, runStackRule, UNKNOWN_OBJECT, urnOf } from "./harness";

const CHAT = "Microsoft.Communication.ChatMessageReceived";
const CHAT_IN_THREAD = "Microsoft.Communication.ChatMessageReceivedInThread";
const withTypes = (types: unknown) =>
  withProps(compliantStack(), "subscription", (p) => ((p.filter as { includedEventTypes: unknown }).includedEventTypes = types));
const pushDelivery = (chatPush: string | undefined, name = "push"): FakeResource => ({
  type: "acs-notifications:delivery:PushDelivery",
  name,
  props: chatPush === undefined ? { deliveryMode: "function" } : { chatPush, deliveryMode: "function" },
});
const findings = (resources: FakeResource[], config: object = {}) => runStackRule(noDuplicateChatPush, resources, config);

describe("no-duplicate-chat-push, in detail", () => {
  it("says what is delivered twice and what to change, for native chat pushes", () => {
    expect(findings(withTypes([CHAT]), { chatPushPath: "native" })).toEqual([
      {
        urn: urnOf(compliantStack().subscription),
        message: `Event subscription 'chat-to-function' delivers ${CHAT} while chat pushes are native (chatPushPath: native): users get every message twice. Remove the chat events from includedEventTypes.`,
      },
    ]);
  });

  it("asks for a declaration when neither the config nor the stack names a path, listing every chat event", () => {
    expect(findings(withTypes([CHAT, "Microsoft.Communication.IncomingCall", CHAT_IN_THREAD]))).toEqual([
      {
        urn: urnOf(compliantStack().subscription),
        message: `Event subscription 'chat-to-function' delivers ${CHAT}, ${CHAT_IN_THREAD} and ACS is linked to a hub, so apps may also push chat natively: users would get every message twice. Declare chatPushPath (function or native) in the policy config.`,
      },
    ]);
  });

  it("treats an empty filter like no filter: every event, chat included", () => {
    expect(findings(withTypes([]), { chatPushPath: "native" })).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/delivers all ACS events \(no includedEventTypes filter\) while/),
      }),
    ]);
  });

  it("does not guess while the filter is not known yet", () => {
    expect(findings(withTypes(UNKNOWN_OBJECT), { chatPushPath: "native" })).toEqual([]);
  });

  it("takes the declaration of a PushDelivery component only, the first that declares one", () => {
    // Another resource with a chatPush property declares nothing.
    const impostor: FakeResource = { type: "acs-notifications:other:Thing", name: "thing", props: { chatPush: "function" } };
    expect(findings([...withTypes([CHAT]), impostor])).toHaveLength(1);
    // A component without chatPush does not hide a later one that has it.
    const resources = [...withTypes([CHAT]), pushDelivery(undefined, "first"), pushDelivery("native", "second")];
    expect(findings(resources)).toEqual([expect.objectContaining({ message: expect.stringMatching(/chatPushPath: native/) })]);
  });

  it("lets the pack config decide, unless it says unspecified", () => {
    const declaredNative = [...withTypes([CHAT]), pushDelivery("native")];
    expect(findings(declaredNative, { chatPushPath: "unspecified" })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/chatPushPath: native/) }),
    ]);
    expect(findings([...withTypes([CHAT]), pushDelivery("function")], { chatPushPath: "native" })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/chatPushPath: native/) }),
    ]);
  });
});
