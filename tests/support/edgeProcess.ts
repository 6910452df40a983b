import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { FROM_SOURCES } from './fromSources.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface EdgeProcess {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stderr (JSON logs), for assertions and for debugging failures. */
  stderr(): string;
  stdout(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A fresh, empty data directory for one edge (or for an edge and its restart). */
export function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'remotemedia-edge-'));
}

/** Runs `remotemedia-edge <args>` to completion (for commands expected to exit, e.g. on a bad setting). */
export function runEdgeCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...FROM_SOURCES, 'packages/edge-server/src/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
  });
}

/** Which edge CLI to run: node's arguments up to the command, and the directory to run it in. */
export interface EdgeLaunch {
  cli: string[];
  cwd: string;
  /** A command that runs node for it, e.g. `unshare -m ...`: it must exec node, so that signals reach the edge. */
  wrapper?: string[];
}

/** The CLI from this repository's TypeScript sources (what every test runs unless it says otherwise). */
export const FROM_REPOSITORY: EdgeLaunch = { cli: [...FROM_SOURCES, 'packages/edge-server/src/cli.ts'], cwd: repoRoot };

/**
 * Starts the real edge server CLI on 127.0.0.1 with a free port and waits for its ready line. Pass
 * `--data-dir` (see tempDataDir) for tests that persist; without it the edge uses a fresh temp dir.
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept); `launch` picks another
 * CLI (an installed package's bin).
 */
export async function startEdge(
  args: string[] = [],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  launch: EdgeLaunch = FROM_REPOSITORY,
): Promise<EdgeProcess> {
  const dataDir = args.includes('--data-dir') ? [] : ['--data-dir', await tempDataDir()];
  const [command, ...prefix] = [...(launch.wrapper ?? []), process.execPath];
  const child = spawn(command!, [...prefix, ...nodeArgs, ...launch.cli, 'serve', '--port', '0', ...dataDir, ...args], {
    cwd: launch.cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdoutAll = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      // Given up on: it must not go on running (and holding its port) after the caller moved on.
      child.kill('SIGKILL');
      reject(new Error(`edge did not start within 20 s\n${stderr}`));
    }, 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdoutAll += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Open (http:\/\/[^\s]+?)\/? in a browser/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`edge exited with ${code} before it was ready\n${stderr}`));
    });
  });
  return {
    url,
    process: child,
    stderr: () => stderr,
    stdout: () => stdoutAll,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/**
 * A real edge process for one describe block: started before its tests, stopped after them. The returned
 * object stands for the process (same fields), so tests read `edge.url` as if they had started it themselves.
 */
export function useEdge(args: string[] = [], env: Record<string, string> = {}): EdgeProcess {
  let current: EdgeProcess | undefined;
  beforeAll(async () => {
    current = await startEdge(args, env);
  });
  afterAll(async () => {
    await current?.stop();
  });
  const started = (): EdgeProcess => {
    if (current === undefined) throw new Error('the edge is started in beforeAll; use it inside a test or hook');
    return current;
  };
  return {
    get url() {
      return started().url;
    },
    get process() {
      return started().process;
    },
    stderr: () => started().stderr(),
    stdout: () => started().stdout(),
    stop: (signal) => started().stop(signal),
  };
}
