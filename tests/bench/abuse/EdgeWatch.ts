import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { EdgeProcess } from '../../support/edgeProcess.ts';

export interface WatchWindow {
  /** Resident set of the edge process (all its threads), MiB. */
  rssMb: { first: number; peak: number; last: number };
  health: { probes: number; failed: number; worstMs: number };
}

/** Samples the edge's RSS from /proc and probes /healthz, so a stall of its main thread shows. */
export class EdgeWatch {
  private rss: number[] = [];
  private probes: Array<{ ms: number; ok: boolean }> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private probing = false;
  /** Set when the process exits on its own (not by stop()): `code` or `signal`. */
  exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined;
  private stopped = false;
  private readonly started = performance.now();

  constructor(private readonly edge: EdgeProcess) {
    edge.process.once('exit', (code, signal) => {
      if (!this.stopped) this.exit = { code, signal, atMs: performance.now() - this.started };
    });
    this.timers.push(setInterval(() => this.sampleRss(), 200));
    this.timers.push(setInterval(() => void this.probe(), 500));
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** What was seen since the last call. */
  take(): WatchWindow {
    const rss = this.rss.splice(0);
    const probes = this.probes.splice(0);
    return {
      rssMb: { first: rss[0] ?? Number.NaN, peak: rss.length > 0 ? Math.max(...rss) : Number.NaN, last: rss.at(-1) ?? Number.NaN },
      health: { probes: probes.length, failed: probes.filter((p) => !p.ok).length, worstMs: Math.round(Math.max(0, ...probes.map((p) => p.ms))) },
    };
  }

  /** Stops watching; an exit after this is the bench stopping the edge, not a crash. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
  }

  private sampleRss(): void {
    if (!this.alive) return;
    try {
      const status = readFileSync(`/proc/${this.edge.process.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
      if (Number.isFinite(kb)) this.rss.push(Math.round(kb / 1024));
    } catch {
      // Gone between the check and the read: the exit handler records it.
    }
  }

  /** One probe at a time: a stalled edge counts as one slow failure, not a pile of them. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const started = performance.now();
    try {
      const response = await fetch(`${this.edge.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      this.probes.push({ ms: performance.now() - started, ok: response.ok });
    } catch {
      this.probes.push({ ms: performance.now() - started, ok: false });
    } finally {
      this.probing = false;
    }
  }
}
