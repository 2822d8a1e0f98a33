import { setUp } from "./tempRoot";
import { startSharedAnalyzers } from "./sharedAnalyzers";

export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  setUp();
  (require("../../scripts/cache.js") as { tidyCache: () => void }).tidyCache();
  await startSharedAnalyzers(globalConfig.maxWorkers);
}
