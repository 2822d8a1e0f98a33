import { tearDown } from "./tempRoot";
import { stopSharedAnalyzers } from "./sharedAnalyzers";

export default function globalTeardown(): void {
  stopSharedAnalyzers();
  tearDown();
}
