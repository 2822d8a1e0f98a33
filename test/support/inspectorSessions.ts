import * as inspector from "node:inspector";

/**
 * Jest setup (every test file): the inspector sessions a test file opens end with it.
 *
 * The Pulumi SDK serializes dynamic providers through an inspector session with the debugger on,
 * opened once per process and never closed. In jest each test file loads its own copy of the SDK,
 * so each file that serializes a provider left one more session open in its worker: V8 then
 * reported every script the worker compiled later to every one of them (and each kept a map of
 * them all, holding the file's modules in memory). `inspector` is one module for the whole worker,
 * so the sessions are tracked on it.
 */
const OPEN = Symbol.for("acs-notifications.test.openInspectorSessions");
const tracked = inspector.Session as typeof inspector.Session & { [OPEN]?: Set<inspector.Session> };

function openSessions(): Set<inspector.Session> {
  let open = tracked[OPEN];
  if (!open) {
    const sessions = new Set<inspector.Session>();
    const connect = tracked.prototype.connect;
    tracked.prototype.connect = function connectTracked(this: inspector.Session) {
      sessions.add(this);
      connect.call(this);
    };
    open = tracked[OPEN] = sessions;
  }
  return open;
}

const open = openSessions();
afterAll(() => {
  for (const session of open) session.disconnect();
  open.clear();
});

export {};
