import { classifySendError, CredentialRefusedError, PermanentSendError, TransientSendError } from "../../function/src/sendErrors";

// Which failed sends Event Grid should deliver again, and which are final: the decision per failure, one by one.
describe("classifySendError: retry or not", () => {
  it.each([
    [{ statusCode: 429 }, TransientSendError, "apple send failed with HTTP 429"],
    [{ statusCode: 500 }, TransientSendError, "apple send failed with HTTP 500"],
    [{ statusCode: 503 }, TransientSendError, "apple send failed with HTTP 503"],
    [{ statusCode: 401 }, CredentialRefusedError, "apple send failed with HTTP 401"],
    [{ statusCode: 403 }, CredentialRefusedError, "apple send failed with HTTP 403"],
    [{ statusCode: 400 }, PermanentSendError, "apple send failed with HTTP 400"],
    [{ statusCode: 404 }, PermanentSendError, "apple send failed with HTTP 404"],
    [{ statusCode: 499 }, PermanentSendError, "apple send failed with HTTP 499"],
    [{ code: "ECONNRESET" }, TransientSendError, "apple send failed (ECONNRESET)"],
    [{ code: "REQUEST_SEND_ERROR" }, TransientSendError, "apple send failed (REQUEST_SEND_ERROR)"],
    [{ name: "AbortError" }, TransientSendError, "apple send failed"],
    [{ code: "EWHATEVER" }, TransientSendError, "apple send failed (EWHATEVER)"],
    [undefined, TransientSendError, "apple send failed"],
    [{ statusCode: 302 }, TransientSendError, "apple send failed with HTTP 302"],
    [{ statusCode: 600 }, TransientSendError, "apple send failed with HTTP 600"],
  ])("%j → %p", (error, kind, message) => {
    const classified = classifySendError(error, "apple");
    expect(classified).toBeInstanceOf(kind);
    expect(classified.constructor).toBe(kind);
    expect(classified.message).toBe(message);
  });

  it("a refused credential is retried: it is a transient error too", () => {
    expect(classifySendError({ statusCode: 401 }, "fcmv1")).toBeInstanceOf(TransientSendError);
    expect(classifySendError({ statusCode: 400 }, "fcmv1")).not.toBeInstanceOf(TransientSendError);
  });
});
