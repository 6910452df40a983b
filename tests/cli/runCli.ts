import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command line that starts the CLI from the repo root, for tests that wrap it (e.g. in a pseudo-terminal). */
export const CLI_COMMAND = [process.execPath, ...FROM_SOURCES, 'packages/edge-server/src/cli.ts'];

/** Runs `remotemedia-edge ...args` as a real process from the repo root, the way a person would. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = CLI_COMMAND;
    const child = spawn(command!, [...prefix, ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh temporary directory and a function that removes it. */
export async function tempDir(): Promise<{ path: string; file(name: string): string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'remotemedia-cli-'));
  return { path, file: (name) => join(path, name), remove: () => rm(path, { recursive: true, force: true }) };
}
