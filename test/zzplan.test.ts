import { runTool } from "./support/runTool";
it("plans", async () => {
  if (process.env.LIMIT) Error.stackTraceLimit = Number(process.env.LIMIT);
  let total = 0;
  for (const args of [["--stack","dev","--no-policy"],["--stack","dev","--no-policy"],["--stack","prod","--no-policy"],["--stack","prod","--no-policy"],["--stack","staging","--no-policy"],["--stack","staging","--no-policy"]]) {
    const t = process.cpuUsage();
    const r = await runTool("plan", ...args);
    const c = process.cpuUsage(t);
    total += c.user + c.system;
    expect(r.code).toBe(0);
  }
  console.log("LIMIT", process.env.LIMIT, "cpu total", Math.round(total / 1000));
}, 60000);
