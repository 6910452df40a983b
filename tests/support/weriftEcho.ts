import type { RTCDataChannel } from 'werift';
import { messageBytes, messageSizes } from './randomMessages.ts';
import { MAX_MESSAGE_BYTES, type WeriftPair } from './weriftPair.ts';

export interface EchoReport {
  sent: number;
  /** Messages the answerer received, each compared with what was sent at that position. */
  atAnswerer: number;
  /** Messages that came back to the offerer, compared the same way. */
  echoedBack: number;
  /** One line per message that arrived with other bytes than the one sent at its position. */
  mismatches: string[];
}

/** Keep at most this much queued in werift before waiting for the channel to drain. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

/**
 * The offerer sends `count` seeded random messages of 1 B to 256 KiB; the answerer checks each against the
 * message sent at the same position and echoes it; the offerer checks the echoes the same way. Resolves
 * when every echo is back or at `timeoutMs`, with the counts reached, so a loss or a stall shows as a
 * short count rather than a hang.
 */
export async function echoRandomMessages(pair: WeriftPair, options: { count: number; seed: number; timeoutMs: number }): Promise<EchoReport> {
  const { count, seed, timeoutMs } = options;
  const expected = messageSizes(count, seed, MAX_MESSAGE_BYTES).map((size, index) => messageBytes(size, seed, index));
  const report: EchoReport = { sent: 0, atAnswerer: 0, echoedBack: 0, mismatches: [] };
  const check = (where: string, index: number, data: Buffer | string): void => {
    const want = expected[index];
    const got = typeof data === 'string' ? Buffer.from(data) : data;
    if (want === undefined || !got.equals(want)) {
      report.mismatches.push(`${where}: message ${index} has ${got.length} bytes that differ from the ${want?.length ?? 0} sent`);
    }
  };
  pair.answererChannel.onMessage.subscribe((data) => {
    check('answerer', report.atAnswerer++, data);
    pair.answererChannel.send(typeof data === 'string' ? Buffer.from(data) : data);
  });
  let timer: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    pair.offererChannel.onMessage.subscribe((data) => {
      check('offerer', report.echoedBack++, data);
      if (report.echoedBack === count) resolve();
    });
  });
  let over = false;
  const sending = (async () => {
    const channel = pair.offererChannel;
    channel.bufferedAmountLowThreshold = LOW_WATER;
    for (const message of expected) {
      if (channel.bufferedAmount > HIGH_WATER) await drained(channel, timeoutMs);
      if (over) return;
      channel.send(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
      report.sent++;
    }
  })();
  sending.catch((error: unknown) => report.mismatches.push(`offerer: send failed: ${String(error)}`));
  await finished;
  over = true;
  clearTimeout(timer);
  return report;
}

function drained(channel: RTCDataChannel, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const subscription = channel.bufferedAmountLow.subscribe(done);
    function done(): void {
      clearTimeout(timer);
      subscription.unSubscribe();
      resolve();
    }
  });
}
