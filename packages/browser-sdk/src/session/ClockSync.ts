/** Pings right after a handshake, a few hundred ms apart: one of them likely meets a quiet link. */
const BURST = 3;
const BURST_GAP_MS = 300;
/** Then one now and then, so a clock that drifts or jumps is followed. */
const INTERVAL_MS = 10_000;

/**
 * Keeps the session's measure of the edge's clock fresh: a short burst of pings after every handshake (first
 * connect and each reconnect), then one every INTERVAL_MS until the session closes. Timers never keep a Node
 * process alive on their own.
 */
export class ClockSync {
  private readonly ping: () => void;
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private interval: ReturnType<typeof setInterval> | undefined;

  constructor(ping: () => void) {
    this.ping = ping;
  }

  restart(): void {
    this.stop();
    for (let i = 0; i < BURST; i++) this.timers.push(unref(setTimeout(this.ping, i * BURST_GAP_MS)));
    this.interval = unref(setInterval(this.ping, INTERVAL_MS));
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    if (this.interval !== undefined) clearInterval(this.interval);
    this.interval = undefined;
  }
}

function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
