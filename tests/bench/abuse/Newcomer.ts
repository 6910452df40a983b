import { performance } from 'node:perf_hooks';
import { connect, packSources, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { codeOf } from './codeOf.ts';

export interface Attempt {
  /** ms from connect to the first call's reply, or to the failure. */
  ms: number;
  code?: string;
}

const ECHO = `export class Echo { echo(x) { return x; } }`;

/**
 * A new client arriving every `intervalMs`: connect, deploy a sandboxed node, call it once, leave. Whether it
 * gets in at all is what capacity attacks (idle sockets, hoarded sandboxes) take away.
 */
export class Newcomer {
  private attempts: Attempt[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
  ) {
    this.loop = this.run();
  }

  take(): Attempt[] {
    return this.attempts.splice(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const pkg = await packSources({ sources: { 'echo.js': ECHO }, entry: 'echo.js', exportName: 'Echo' });
    while (this.running) {
      const started = performance.now();
      let session: RemoteSession | undefined;
      try {
        session = await connect(this.url, { transport: 'websocket', reconnect: false, connectTimeoutMs: 5000, requestTimeoutMs: 5000 });
        const node = await session.deploy(pkg);
        await node.call('echo', 1);
        this.attempts.push({ ms: performance.now() - started });
      } catch (error) {
        this.attempts.push({ ms: performance.now() - started, code: codeOf(error) });
      } finally {
        session?.close();
      }
      const wait = started + this.intervalMs - performance.now();
      if (wait > 0 && this.running) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
