import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '@remotemedia/shared/codec';
import { sine } from './audioAnalysis.ts';
import { runCli, tempDir } from './runCli.ts';

const EXAMPLE = 'examples/manifests/gain-resample.json';

describe('remotemedia-edge run errors', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let wav: string;

  beforeAll(async () => {
    dir = await tempDir();
    wav = dir.file('in.wav');
    await writeFile(wav, encodeWav(sine(440, 0.5, 8000, 0.1)));
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('exits 1 for a missing input file', async () => {
    const { code, stderr } = await runCli(['run', EXAMPLE, '--input', dir.file('missing.wav'), '--output', dir.file('o.wav')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read .*missing\.wav: no such file/);
  });

  it('exits 1 for an unsupported extension, saying what is supported', async () => {
    const { code, stderr } = await runCli(['run', EXAMPLE, '--input', dir.file('song.mp3'), '--output', dir.file('o.wav')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/unsupported input file .*song\.mp3 \("\.mp3"\): use \.wav for audio or \.json/);
    const out = await runCli(['run', EXAMPLE, '--input', wav, '--output', dir.file('o.flac')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/unsupported output file/);
  });

  it('exits 1 for an invalid manifest with the offending path', async () => {
    const manifest = dir.file('bad.json');
    await writeFile(manifest, JSON.stringify({ version: 1, nodes: [{ node: 'Gain', config: { gainDb: 99 } }] }));
    const { code, stderr } = await runCli(['run', manifest, '--input', wav, '--output', dir.file('o.wav')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^  nodes\[0\]\.config\.gainDb: must be a number between -120 and 60, got 99$/m);
  });

  it('exits 1 for a corrupt WAV, naming the file', async () => {
    const truncated = dir.file('truncated.wav');
    await writeFile(truncated, (await readFile(wav)).subarray(0, 60));
    const { code, stderr } = await runCli(['run', EXAMPLE, '--input', truncated, '--output', dir.file('o.wav')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/truncated\.wav: WAV: truncated file: the "data" chunk/);
  });

  it('refuses to run remote nodes without --edge (exit 2) instead of running them here', async () => {
    const manifest = dir.file('remote.json');
    await writeFile(manifest, JSON.stringify({ version: 1, nodes: [{ node: 'Gain' }, { node: 'Resample', placement: 'remote' }] }));
    const output = dir.file('remote-out.wav');
    const { code, stderr } = await runCli(['run', manifest, '--input', wav, '--output', output]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/places nodes\[1\] \(Resample\) remote: pass --edge <url>/);
    await expect(readFile(output)).rejects.toThrow(/ENOENT/);
  });

  it('exits 1 when the pipeline emits data but the output is a WAV', async () => {
    const manifest = dir.file('calc.json');
    await writeFile(manifest, JSON.stringify({ version: 1, nodes: [{ node: 'Calculator' }] }));
    const items = dir.file('items.json');
    await writeFile(items, JSON.stringify([{ a: 1, b: 2 }]));
    const { code, stderr } = await runCli(['run', manifest, '--input', items, '--output', dir.file('calc.wav')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/emitted 1 item that is not audio; .*calc\.wav can only hold audio \(write a \.json output to keep them\)/);
  });

  it('exits 1 with the line and column of a JSON error in the input file', async () => {
    const manifest = dir.file('calc3.json');
    await writeFile(manifest, JSON.stringify({ version: 1, nodes: [{ node: 'Calculator' }] }));
    const items = dir.file('single-quotes.json');
    await writeFile(items, '[\n  { "a": 1, "b": 2 },\n  { \'a\': 3 }\n]\n');
    const { code, stderr } = await runCli(['run', manifest, '--input', items, '--output', dir.file('o.json')]);
    expect(code).toBe(1);
    expect(stderr).toBe(`remotemedia-edge run: ${items} is not valid JSON at line 3, column 5: property names need double quotes, not single\n`);
  });

  it('exits 1 with the line and column of a JSON error in the manifest', async () => {
    const manifest = dir.file('comment.json');
    await writeFile(manifest, '{\n  "version": 1, // the only version\n  "nodes": []\n}\n');
    const { code, stderr } = await runCli(['run', manifest, '--input', wav, '--output', dir.file('o.wav')]);
    expect(code).toBe(1);
    expect(stderr).toBe(`remotemedia-edge run: ${manifest} is not valid JSON at line 2, column 17: comments are not allowed in JSON\n`);
  });

  it('exits 1 when a JSON input is not an array', async () => {
    const manifest = dir.file('calc2.json');
    await writeFile(manifest, JSON.stringify({ version: 1, nodes: [{ node: 'Calculator' }] }));
    const items = dir.file('object.json');
    await writeFile(items, JSON.stringify({ a: 1, b: 2 }));
    const { code, stderr } = await runCli(['run', manifest, '--input', items, '--output', dir.file('o.json')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/object\.json must hold a JSON array of items/);
  });

  for (const [label, args, message] of [
    ['no manifest', ['--input', 'a.wav', '--output', 'b.wav'], /missing <manifest\.json>/],
    ['no --input', [EXAMPLE, '--output', 'b.wav'], /missing --input <file>/],
    ['no --output', [EXAMPLE, '--input', 'a.wav'], /missing --output <file>/],
    [
      'an unknown flag',
      [EXAMPLE, '--input', 'a.wav', '--output', 'b.wav', '--gain', '3'],
      /unknown flag --gain; the flags are --input, --output, --edge, --auth-token, --bit-depth, --quiet/,
    ],
    ['a bad --bit-depth', [EXAMPLE, '--input', 'a.wav', '--output', 'b.wav', '--bit-depth', '8'], /--bit-depth must be one of 16, 24, 32/],
    [
      '--bit-depth with a JSON output',
      [EXAMPLE, '--input', 'a.wav', '--output', 'b.json', '--bit-depth', '24'],
      /--bit-depth applies to a \.wav output only/,
    ],
    ['a bad --edge', [EXAMPLE, '--input', 'a.wav', '--output', 'b.wav', '--edge', 'localhost:8080'], /--edge must be an http\(s\) or ws\(s\) URL/],
  ] as const) {
    it(`exits 2 for ${label}`, async () => {
      const { code, stderr } = await runCli(['run', ...args]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/remotemedia-edge run --help shows the usage/);
    });
  }
});
