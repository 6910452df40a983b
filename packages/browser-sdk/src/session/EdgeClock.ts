/** Samples kept: the best of the last few exchanges, so a clock that moves is followed within minutes. */
const SAMPLES = 8;

/**
 * The offset of the edge's clock from this one (edge minus client, ms), measured NTP-style: each exchange
 * (hello -> welcome, ping -> pong) carries the edge's time, and the one with the shortest round trip says most
 * precisely when the edge read its clock (within half that round trip). Frames are stamped with their capture
 * time on the edge's clock through it, so the edge can judge their age whatever this machine's clock says.
 */
export class EdgeClock {
  private readonly samples: Array<{ offsetMs: number; rttMs: number }> = [];

  /** This machine's clock, ms since the Unix epoch, at sub-ms resolution where it has one. */
  static now(): number {
    const perf = globalThis.performance;
    return perf !== undefined && typeof perf.timeOrigin === 'number' ? perf.timeOrigin + perf.now() : Date.now();
  }

  /** One exchange: sent at `sentAt`, the edge's clock read `edgeTime`, answered at `receivedAt` (this clock). */
  sample(sentAt: number, edgeTime: number | undefined, receivedAt: number): void {
    if (edgeTime === undefined || !Number.isFinite(edgeTime) || receivedAt < sentAt) return;
    this.samples.push({ offsetMs: edgeTime - (sentAt + receivedAt) / 2, rttMs: receivedAt - sentAt });
    if (this.samples.length > SAMPLES) this.samples.shift();
  }

  /** The sample with the shortest round trip, or undefined before the first. */
  private best(): { offsetMs: number; rttMs: number } | undefined {
    let best: { offsetMs: number; rttMs: number } | undefined;
    for (const s of this.samples) if (best === undefined || s.rttMs < best.rttMs) best = s;
    return best;
  }

  /** Edge minus client, ms; 0 before the first sample (the clocks are then assumed to agree). */
  get offsetMs(): number {
    return this.best()?.offsetMs ?? 0;
  }

  /** Round trip of the sample the offset comes from (its error is at most half of it); NaN before the first. */
  get precisionRttMs(): number {
    return this.best()?.rttMs ?? Number.NaN;
  }

  /** A time on this clock, on the edge's. */
  toEdge(clientTime: number): number {
    return clientTime + this.offsetMs;
  }
}
