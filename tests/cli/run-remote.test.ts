import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '@remotemedia/shared/codec';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { sine } from './audioAnalysis.ts';
import { runCli, tempDir } from './runCli.ts';

const manifest = (placement: 'local' | 'remote') => ({
  version: 1,
  nodes: [
    { node: 'Gain', config: { gainDb: -6 }, placement },
    { node: 'Resample', config: { targetSampleRate: 16000 } },
  ],
});

describe('remotemedia-edge run with nodes placed remote', () => {
  let edge: EdgeProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let inputPath: string;

  beforeAll(async () => {
    [edge, dir] = await Promise.all([startEdge(), tempDir()]);
    inputPath = dir.file('sine.wav');
    await writeFile(inputPath, encodeWav(sine(440, 0.5, 48000, 1), { bitDepth: 16 }));
    await writeFile(dir.file('local.json'), JSON.stringify(manifest('local')));
    await writeFile(dir.file('remote.json'), JSON.stringify(manifest('remote')));
  });

  afterAll(async () => {
    await Promise.all([edge?.stop(), dir?.remove()]);
  });

  it('gives exactly the samples of the fully local run when Gain runs on the edge', async () => {
    // 32-bit float output, so any difference in the samples (not only one above 16-bit resolution) would show.
    const float = (name: string) => [
      'run',
      dir.file(`${name}.json`),
      '--input',
      inputPath,
      '--output',
      dir.file(`${name}.wav`),
      '--bit-depth',
      '32',
      '-q',
    ];
    const local = await runCli(float('local'));
    expect(local.stderr).toBe('');
    expect(local.code).toBe(0);
    const remote = await runCli([...float('remote'), '--edge', edge.url]);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(remote.stdout).toContain(`-> Gain (remote) -> Resample (remote nodes on ${edge.url}) ->`);

    const localBytes = await readFile(dir.file('local.wav'));
    const remoteBytes = await readFile(dir.file('remote.wav'));
    expect(decodeWav(remoteBytes).samples.length).toBe(16000);
    expect(Buffer.compare(remoteBytes, localBytes)).toBe(0);
  });

  it('runs a remote Calculator on JSON items with the local results', async () => {
    const calc = (placement: string) => JSON.stringify({ version: 1, nodes: [{ node: 'Calculator', config: { operation: 'power' }, placement }] });
    await writeFile(dir.file('calc-local.json'), calc('local'));
    await writeFile(dir.file('calc-remote.json'), calc('remote'));
    await writeFile(
      dir.file('items.json'),
      JSON.stringify([
        { a: 2, b: 10 },
        { a: 9, b: 0.5 },
        { op: 'subtract', a: 1, b: 3 },
      ]),
    );
    const local = await runCli(['run', dir.file('calc-local.json'), '--input', dir.file('items.json'), '--output', dir.file('calc-local-out.json')]);
    const remote = await runCli([
      'run',
      dir.file('calc-remote.json'),
      '--input',
      dir.file('items.json'),
      '--output',
      dir.file('calc-remote-out.json'),
      '--edge',
      edge.url,
    ]);
    expect([local.code, remote.code]).toEqual([0, 0]);
    const expected = [
      { op: 'power', a: 2, b: 10, result: 1024 },
      { op: 'power', a: 9, b: 0.5, result: 3 },
      { op: 'subtract', a: 1, b: 3, result: -2 },
    ];
    expect(JSON.parse(await readFile(dir.file('calc-local-out.json'), 'utf8'))).toEqual(expected);
    expect(JSON.parse(await readFile(dir.file('calc-remote-out.json'), 'utf8'))).toEqual(expected);
  });

  it('exits 1 naming the node when a remote node fails, and writes no output', async () => {
    await writeFile(
      dir.file('div.json'),
      JSON.stringify({ version: 1, nodes: [{ node: 'Calculator', config: { operation: 'divide' }, placement: 'remote' }] }),
    );
    await writeFile(dir.file('div-items.json'), JSON.stringify([{ a: 1, b: 0 }]));
    const { code, stderr } = await runCli([
      'run',
      dir.file('div.json'),
      '--input',
      dir.file('div-items.json'),
      '--output',
      dir.file('div-out.json'),
      '--edge',
      edge.url,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/node "Calculator" \(#0\) failed in process: cannot divide 1 by zero/);
    await expect(readFile(dir.file('div-out.json'))).rejects.toThrow(/ENOENT/);
  });

  it('exits 1 saying nothing runs at --edge and how to start an edge there', async () => {
    const { code, stderr } = await runCli([
      'run',
      dir.file('remote.json'),
      '--input',
      inputPath,
      '--output',
      dir.file('nowhere.wav'),
      '--edge',
      'http://127.0.0.1:9',
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'remotemedia-edge run: no edge answers at http://127.0.0.1:9 (connection refused): is it running? Start one with "remotemedia-edge serve --port 9", or point --edge at a running edge\n',
    );
    await expect(readFile(dir.file('nowhere.wav'))).rejects.toThrow(/ENOENT/);
  });
});

describe('remotemedia-edge run with an edge that requires a token', () => {
  let edge: EdgeProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    [edge, dir] = await Promise.all([startEdge(['--auth-token', 'run-test-token']), tempDir()]);
    await writeFile(dir.file('calc.json'), JSON.stringify({ version: 1, nodes: [{ node: 'Calculator', placement: 'remote' }] }));
    await writeFile(dir.file('items.json'), JSON.stringify([{ a: 2, b: 3 }]));
  });

  afterAll(async () => {
    await Promise.all([edge?.stop(), dir?.remove()]);
  });

  const run = (extra: string[], env: Record<string, string> = {}) =>
    runCli(
      ['run', dir.file('calc.json'), '--input', dir.file('items.json'), '--output', dir.file('out.json'), '--edge', edge.url, '--quiet', ...extra],
      env,
    );

  it('says the edge wants a token and which flag carries it (exit 1)', async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `remotemedia-edge run: the edge at ${edge.url} requires a token: pass it with --auth-token <token> or in REMOTEMEDIA_AUTH_TOKEN\n`,
    );
  });

  it('says a wrong token is wrong, without echoing it (exit 1)', async () => {
    const { code, stderr } = await run(['--auth-token', 'not-the-token']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `remotemedia-edge run: the edge at ${edge.url} does not accept the token given: check --auth-token or REMOTEMEDIA_AUTH_TOKEN\n`,
    );
  });

  it('runs with the token from REMOTEMEDIA_AUTH_TOKEN', async () => {
    const { code, stderr } = await run([], { REMOTEMEDIA_AUTH_TOKEN: 'run-test-token' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(await readFile(dir.file('out.json'), 'utf8'))).toEqual([{ op: 'add', a: 2, b: 3, result: 5 }]);
  });
});
