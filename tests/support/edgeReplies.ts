import { Reassembler, decodeMessage, parseEdgeMessage, type EdgeMessage } from '@remotemedia/shared';

/** What the edge sent on one raw connection: chunks in, decoded messages out, counted by type and error code. */
export class EdgeReplies {
  /** Decoded messages not yet taken by `next` or `take`. */
  readonly inbox: EdgeMessage[] = [];
  /** How many messages arrived, by `type` (and `error:<code>` for errors). */
  readonly counts = new Map<string, number>();
  private readonly reassembler = new Reassembler();

  push(chunk: Uint8Array): void {
    const payload = this.reassembler.push(chunk);
    if (payload === undefined) return;
    const message = parseEdgeMessage(decodeMessage(payload));
    const key = message.type === 'error' ? `error:${message.error.code}` : message.type;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.inbox.push(message);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** The next message of `type` (or any), waiting up to `timeoutMs`; `poll` feeds chunks in first. */
  async next(type: EdgeMessage['type'] | undefined, timeoutMs: number, poll: () => void = () => undefined): Promise<EdgeMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      poll();
      const index = this.inbox.findIndex((m) => type === undefined || m.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no ${type ?? 'message'} from the edge within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Takes every decoded message so far (keeps a long run's memory flat). */
  take(): EdgeMessage[] {
    return this.inbox.splice(0);
  }
}
