import * as pulumi from "@pulumi/pulumi";

/** Waits until every registration the program started has reached the mock monitor. */
export async function settleRegistrations(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
  await runtime.waitForRPCs();
}
