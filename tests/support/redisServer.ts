import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Debian's redis-server (scripts/ensure-debian-tools.mjs installs it for the integration gate). */
const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisProcess {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGKILL: nothing to keep, it runs without persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing across a stop). */
  restart(): Promise<void>;
}

/** Whether redis-server is installed, with the one line that says how to get it when it is not. */
export function redisServerMissing(): string | undefined {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${REDIS_SERVER} not found: run "node scripts/ensure-debian-tools.mjs redis-server" as root`;
}

/** A real redis-server on a free loopback port, in memory only (no RDB, no AOF), for one test file. */
export async function startRedis(): Promise<RedisProcess> {
  const missing = redisServerMissing();
  if (missing !== undefined) throw new Error(missing);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'notice'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    // A test process that ends without stopping it (a failed hook, a crash) must not leave it running.
    const orphanGuard = (): void => void started.kill('SIGKILL');
    process.once('exit', orphanGuard);
    started.once('exit', () => process.off('exit', orphanGuard));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s\n${output}`)), 10_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout!.on('data', read);
      started.stderr!.on('data', read);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}\n${output}`));
      });
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
    restart: launch,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
