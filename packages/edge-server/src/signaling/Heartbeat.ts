import type { WebSocket } from 'ws';

/**
 * Pings every signaling socket; one that has not answered the previous ping by the next tick is terminated.
 * A client whose network vanished never sends a close frame, so without this its session would stay
 * attached (and never start its resume grace period) until TCP gave up, which can take many minutes.
 */
export class Heartbeat {
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly sockets = new Set<WebSocket>();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  watch(ws: WebSocket): void {
    this.alive.set(ws, true);
    this.sockets.add(ws);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.once('close', () => this.sockets.delete(ws));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    for (const ws of this.sockets) {
      if (this.alive.get(ws) !== true) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}
