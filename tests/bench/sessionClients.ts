// One client process of `npm run bench:sessions`: opens its share of the sessions, then on the parent's "go"
// streams 320x240 I420 frames at a fixed rate from each through a sandboxed node, without waiting for answers
// (a camera does not wait), and reports every frame's fate and round trip. Run by sessions.ts over IPC.
import { ErrorCode, connect, createVideoFrame, packSources, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';

export interface ClientJob {
  url: string;
  transport: 'datachannel' | 'websocket';
  sessions: number;
  fps: number;
  seconds: number;
  warmupSeconds: number;
  seed: number;
}

export interface SessionReport {
  transport: string;
  sent: number;
  received: number;
  dropped: number;
  failed: number;
  lost: number;
  rttMs: number[];
  failures: string[];
}

/** Reads every 64th byte and writes it back inverted: the frame must really be in the guest, at a cost a node doing real work exceeds. */
export const TOUCH_SOURCE = `export class Touch { process(frame) { const d = frame.data; for (let i = 0; i < d.length; i += 64) d[i] = 255 - d[i]; return frame; } }`;

const REQUEST_TIMEOUT_MS = 15_000;

async function open(job: ClientJob): Promise<{ session: RemoteSession; node: RemoteNode }> {
  const session = await connect(job.url, {
    transport: job.transport,
    reconnect: false,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    dataChannelTimeoutMs: 20_000,
  });
  const pkg = await packSources({ sources: { 'touch.js': TOUCH_SOURCE }, entry: 'touch.js', exportName: 'Touch' });
  return { session, node: await session.deploy(pkg) };
}

async function stream(node: RemoteNode, job: ClientJob, index: number): Promise<Omit<SessionReport, 'transport'>> {
  const report = { sent: 0, received: 0, dropped: 0, failed: 0, lost: 0, rttMs: [] as number[], failures: [] as string[] };
  const frame = createVideoFrame({ width: 320, height: 240, format: 'i420', timestamp: 0 });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31 + index) & 255;
  const intervalMs = 1000 / job.fps;
  const started = performance.now();
  const measureFrom = started + job.warmupSeconds * 1000;
  const end = measureFrom + job.seconds * 1000;
  const pending: Array<Promise<void>> = [];
  // Spread the sessions' frames over the interval, as independent cameras would be.
  let next = started + ((index * 7) % job.fps) * (intervalMs / job.fps);
  while (next < end) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    const counted = sentAt >= measureFrom;
    if (counted) report.sent++;
    pending.push(
      node.process({ ...frame, timestamp: sentAt }).then(
        () => {
          if (!counted) return;
          report.received++;
          report.rttMs.push(performance.now() - sentAt);
        },
        (error: { code?: string; message?: string }) => {
          if (!counted) return;
          if (error.code === ErrorCode.FrameDropped) report.dropped++;
          else if (error.code === ErrorCode.Timeout || error.code === ErrorCode.ConnectionClosed) report.lost++;
          else {
            report.failed++;
            if (report.failures.length < 3) report.failures.push(`${error.code}: ${error.message}`);
          }
        },
      ),
    );
    next += intervalMs;
  }
  // Every frame has the request timeout to settle; one that has not by then (a stuck transport) counts as lost.
  await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + 5000))]);
  const unsettled = report.sent - report.received - report.dropped - report.failed - report.lost;
  if (unsettled > 0) {
    report.lost += unsettled;
    report.failures.push(`${unsettled} frames had no answer, error or timeout ${REQUEST_TIMEOUT_MS + 5000} ms after the last was sent`);
  }
  return report;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as ClientJob;
  const clients: Array<{ session: RemoteSession; node: RemoteNode }> = [];
  // One at a time: the edge answers offers one after another anyway, and a burst only makes timeouts.
  for (let k = 0; k < job.sessions; k++) clients.push(await open(job));
  process.send!({ type: 'ready', transports: clients.map((c) => c.session.transport) });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const reports = await Promise.all(clients.map((c, k) => stream(c.node, job, job.seed + k)));
  process.send!({
    type: 'done',
    reports: reports.map((report, k) => ({ transport: clients[k]!.session.transport, ...report }) satisfies SessionReport),
  });
  for (const c of clients) c.session.close();
  setTimeout(() => process.exit(0), 200);
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', error: String(error) });
  setTimeout(() => process.exit(1), 200);
});
