import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edgeProcess.ts';
import { runCli, tempDir } from './runCli.ts';

/** A separate Node process listening on 127.0.0.1, as another program holding the port would. */
async function holdPort(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['-e', "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => console.log(s.address().port));"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the port holder did not start within 10 s')), 10_000);
    child.stdout!.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(Number(chunk.toString().trim()));
    });
  });
  return { child, port };
}

describe('remotemedia-edge serve: errors are one line with the fix', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let holder: Awaited<ReturnType<typeof holdPort>>;

  beforeAll(async () => {
    [dir, holder] = await Promise.all([tempDir(), holdPort()]);
  });

  afterAll(async () => {
    holder?.child.kill();
    await dir?.remove();
  });

  it('names the port, the process holding it and the flag when the port is in use (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['serve', '--port', String(holder.port), '--data-dir', dir.path]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `remotemedia-edge serve: port ${holder.port} on 127.0.0.1 is already in use by ${basename(process.execPath).slice(0, 15)} (pid ${holder.child.pid}): stop it, or choose another port with --port <n> (--port 0 picks a free one)\n`,
    );
  });

  it('says which setting to change when --host is not an address of this machine (exit 2)', async () => {
    // 192.0.2.1 is TEST-NET-1: never a local address, so binding fails here without any packet leaving.
    const { code, stderr } = await runCli(['serve', '--host', '192.0.2.1', '--port', '0', '--data-dir', dir.path]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'remotemedia-edge serve: 192.0.2.1 is not an address of this machine: set --host to one of its addresses (127.0.0.1 keeps the edge private, 0.0.0.0 listens on all)\n',
    );
  });

  it('names the missing --config file and the directory it was looked for from (exit 2)', async () => {
    const { code, stderr } = await runCli(['serve', '--config', 'edge-config.json']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `remotemedia-edge serve: config file edge-config.json not found (current directory: ${repoRoot.replace(/\/$/, '')}); check the path given to --config\n`,
    );
  });

  it('names REMOTEMEDIA_CONFIG when the path came from there', async () => {
    const missing = join(dir.path, 'absent.json');
    const { code, stderr } = await runCli(['serve'], { REMOTEMEDIA_CONFIG: missing });
    expect(code).toBe(2);
    expect(stderr).toBe(
      `remotemedia-edge serve: config file ${missing} not found (current directory: ${repoRoot.replace(/\/$/, '')}); check the path given to REMOTEMEDIA_CONFIG\n`,
    );
  });

  it('gives the line and column of a JSON error in the config file (exit 2)', async () => {
    const file = dir.file('trailing-comma.json');
    await writeFile(file, '{\n  "port": 8080,\n  "maxSessions": 4,\n}\n');
    const { code, stderr } = await runCli(['serve', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `remotemedia-edge serve: config file ${file} could not be read as JSON at line 3, column 19: a trailing comma before "}" (JSON allows none)\n`,
    );
  });

  it('suggests the setting a mistyped config key was meant to be (exit 2)', async () => {
    const file = dir.file('typo.json');
    await writeFile(file, JSON.stringify({ maxSesions: 3 }));
    const { code, stderr } = await runCli(['serve', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(`remotemedia-edge serve: config file ${file}: unknown setting "maxSesions"; did you mean "maxSessions"?\n`);
  });
});
