// A fake Notification Hubs endpoint in its own process, so the benchmark's CPU figures are the sender's alone.
import { FakeNotificationHubs } from "../test/support/fakeNotificationHubs";

const hub = new FakeNotificationHubs();
void hub.start().then(() => {
  // Keep no per-send records: the benchmark sends thousands.
  hub.sends.push = () => 0;
  process.stdout.write(`${hub.port}\n`);
});
process.on("SIGTERM", () => void hub.stop().then(() => process.exit(0)));
