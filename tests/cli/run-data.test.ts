import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './runCli.ts';

describe('remotemedia-edge run on a JSON file', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('sends each array element through Calculator and Buffer, including what Buffer holds at the end', async () => {
    const manifest = dir.file('calc.json');
    await writeFile(
      manifest,
      JSON.stringify({
        version: 1,
        nodes: [
          { node: 'Calculator', config: { operation: 'multiply' } },
          { node: 'Buffer', config: { size: 2 } },
        ],
      }),
    );
    const input = dir.file('items.json');
    await writeFile(
      input,
      JSON.stringify([
        { a: 2, b: 3 },
        { op: 'add', a: 1, b: 1 },
        { a: -4, b: 0.5 },
      ]),
    );
    const output = dir.file('results.json');
    const { code, stdout, stderr } = await runCli(['run', manifest, '--input', input, '--output', output, '--quiet']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${input} (3 items) -> Calculator -> Buffer -> ${output} (2 items)\n`);
    expect(JSON.parse(await readFile(output, 'utf8'))).toEqual([
      [
        { op: 'multiply', a: 2, b: 3, result: 6 },
        { op: 'add', a: 1, b: 1, result: 2 },
      ],
      [{ op: 'multiply', a: -4, b: 0.5, result: -2 }],
    ]);
  });

  it('runs TextProcessor over strings and { text } items', async () => {
    const manifest = dir.file('text.json');
    await writeFile(manifest, JSON.stringify({ version: 1, nodes: [{ node: 'TextProcessor', config: { operation: 'title-case' } }] }));
    const input = dir.file('texts.json');
    await writeFile(input, JSON.stringify(['hello wORLD', { text: "it's a TEST" }, '']));
    const output = dir.file('texts-out.json');
    const { code } = await runCli(['run', manifest, '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(JSON.parse(await readFile(output, 'utf8'))).toEqual(['Hello World', "It's A Test", '']);
  });
});
