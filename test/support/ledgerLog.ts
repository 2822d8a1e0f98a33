import { LedgerRecord, parseLedgerLine } from "../../function/src/ledger";
import type { SenderLog } from "../../function/src/pushSender";

/** Every line the function code logs, and the delivery-ledger records among them. */
export class LedgerLog implements SenderLog {
  readonly lines: string[] = [];
  info = (m: string) => void this.lines.push(m);
  warn = (m: string) => void this.lines.push(m);
  error = (m: string) => void this.lines.push(m);
  get records(): LedgerRecord[] {
    return this.lines.flatMap((line) => parseLedgerLine(line) ?? []);
  }
  /** Each record as `step platform status`, for comparing sequences. */
  steps(): string[] {
    return this.records.map((r) => (r.platform ? `${r.step} ${r.platform}${r.status ? ` ${r.status}` : ""}` : r.step));
  }
}
