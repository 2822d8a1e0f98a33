/**
 * Runs the push sender's dead-letter writer in a process of its own, as the Functions worker
 * would: Node's own fetch, the App Service managed-identity variables, and trust for the local
 * emulator's certificate through NODE_EXTRA_CA_CERTS (which Node reads only at start-up).
 * Writes the records given as JSON in DEAD_LETTER_RECORDS and prints one JSON line.
 */
import { BlobDeadLetter } from "../../function/src/deadLetter";

async function main() {
  const records = JSON.parse(process.env.DEAD_LETTER_RECORDS ?? "[]") as { id: string; record: Record<string, unknown> }[];
  const sink = new BlobDeadLetter(process.env.DEAD_LETTER_CONTAINER_URL ?? "");
  try {
    for (const { id, record } of records) await sink.write(id, record);
    process.stdout.write(JSON.stringify({ ok: true }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, message: (error as Error).message }));
  }
}

void main();
