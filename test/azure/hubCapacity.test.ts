import * as fs from "node:fs";
import * as path from "node:path";
import { DEVICES_PER_NAMESPACE } from "../../azure/hubCapacity";

const FAQ = fs.readFileSync(path.join(__dirname, "..", "fixtures", "azure", "notificationhubs", "faq-tiers.md"), "utf8");

/** The devices per namespace the published FAQ states for a tier ("500 devices", "10 million devices"). */
function published(tier: string): number {
  const line = FAQ.split("\n").find((l) => l.startsWith(`* **${tier}**`))!;
  const [, amount, million] = /You get ([\d,]+)( million)? devices/.exec(line)!;
  return Number(amount.replace(/,/g, "")) * (million ? 1_000_000 : 1);
}

describe("hub capacity", () => {
  it.each(["Free", "Basic", "Standard"] as const)("holds the FAQ's devices per namespace for %s", (tier) => {
    expect(DEVICES_PER_NAMESPACE[tier]).toBe(published(tier));
  });

  it("the FAQ says to partition beyond one namespace", () => {
    expect(FAQ).toMatch(/partition your devices across multiple hubs/);
  });
});
