import { performance } from 'node:perf_hooks';
import { connect, createVideoFrame, packSources, type RemoteNode, type RemoteSession, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { codeOf } from './codeOf.ts';

export interface Sample {
  /** ms since the victim started, when the frame was sent. */
  at: number;
  /** Round trip: sandboxed node, then built-in node, back at the client; for a failure, until it was repaired. */
  ms: number;
  /** Error code when the round trip failed. */
  code?: string;
  /** Still unanswered when the window closed: `ms` is how long it had waited so far (a lower bound). */
  pending?: true;
}

const INVERT = `export class Invert {
  process(frame) { const d = frame.data; for (let i = 0; i < d.length; i += 4) d[i] = 255 - d[i]; return frame; }
}`;

/** Errors after which the victim's nodes are gone and must be made again, as an application would. */
const NODE_LOST = new Set(['SANDBOX_DISCARDED', 'SANDBOX_CRASHED', 'UNKNOWN_NODE_INSTANCE', 'DISPOSED']);
const SESSION_LOST = new Set(['SESSION_CLOSED', 'CONNECTION_CLOSED', 'CONNECTION_FAILED']);

/**
 * An ordinary tenant: streams small frames (64x48 RGBA) through its own sandboxed node and then a built-in,
 * one at a time, at a steady rate, and records each round trip. It repairs what it loses (redeploys nodes,
 * reconnects) the way an application would, counting each repair.
 */
export class Victim {
  readonly repairs: Record<string, number> = {};
  private samples: Sample[] = [];
  private running = true;
  private readonly started = performance.now();
  private session: RemoteSession | undefined;
  private sandboxed: RemoteNode | undefined;
  private builtin: RemoteNode | undefined;
  private loop: Promise<void> = Promise.resolve();
  private readonly frame: VideoFrameData;
  /** When the frame now in flight was sent; undefined between frames. */
  private inFlightSince: number | undefined;

  private constructor(
    private readonly url: string,
    private readonly intervalMs: number,
  ) {
    this.frame = createVideoFrame({ width: 64, height: 48, format: 'rgba' });
    for (let i = 0; i < this.frame.data.length; i++) this.frame.data[i] = (i * 7) & 255;
  }

  static async start(url: string, intervalMs: number): Promise<Victim> {
    const victim = new Victim(url, intervalMs);
    await victim.setUp();
    victim.loop = victim.stream();
    return victim;
  }

  /**
   * The samples recorded since the last call, and the frame in flight as a pending sample: a victim stuck
   * behind an attacker for the whole window must count, not vanish from the statistics.
   */
  take(): Sample[] {
    const taken = this.samples.splice(0);
    if (this.inFlightSince !== undefined) {
      const now = performance.now();
      taken.push({ at: this.inFlightSince - this.started, ms: now - this.inFlightSince, pending: true });
      // Its eventual sample belongs to this window, which is closed: it is not recorded again.
      this.inFlightSince = Number.NaN;
    }
    return taken;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.session?.close();
  }

  private async setUp(): Promise<void> {
    this.session?.close();
    this.session = await connect(this.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
    await this.deployNodes();
  }

  private async deployNodes(): Promise<void> {
    const pkg = await packSources({ sources: { 'invert.js': INVERT }, entry: 'invert.js', exportName: 'Invert' });
    this.sandboxed = await this.session!.deploy(pkg);
    this.builtin = await this.session!.node('Flip', { direction: 'horizontal' });
  }

  private repaired(what: string): void {
    this.repairs[what] = (this.repairs[what] ?? 0) + 1;
  }

  private async stream(): Promise<void> {
    while (this.running) {
      const sentAt = performance.now();
      this.inFlightSince = sentAt;
      let sample: Sample;
      try {
        const [out] = await this.sandboxed!.process(this.frame);
        await this.builtin!.process(out ?? this.frame);
        sample = { at: sentAt - this.started, ms: performance.now() - sentAt };
      } catch (error) {
        const code = codeOf(error);
        // A failure costs the victim until it can stream again: the repair is part of its latency.
        await this.repair(code);
        sample = { at: sentAt - this.started, ms: performance.now() - sentAt, code };
      }
      // NaN: take() already counted this frame as pending in a window that is closed.
      if (!Number.isNaN(this.inFlightSince)) this.samples.push(sample);
      this.inFlightSince = undefined;
      const wait = sentAt + this.intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async repair(code: string): Promise<void> {
    try {
      if (SESSION_LOST.has(code) || this.session?.closed) {
        this.repaired('reconnect');
        await this.setUp();
      } else if (NODE_LOST.has(code)) {
        this.repaired('redeploy');
        await this.deployNodes();
      }
    } catch {
      // The edge may be gone; the next frame fails and tries again.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
