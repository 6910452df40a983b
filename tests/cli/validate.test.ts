import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './runCli.ts';

describe('remotemedia-edge validate', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('accepts the example manifest with one OK line', async () => {
    const { code, stdout, stderr } = await runCli(['validate', 'examples/manifests/gain-resample.json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe('examples/manifests/gain-resample.json: OK, 2 nodes: Gain -> Resample\n');
  });

  it('shows placements in the OK line', async () => {
    const path = dir.file('remote.json');
    await writeFile(path, JSON.stringify({ version: 1, nodes: [{ node: 'Calculator', placement: 'remote' }] }));
    const { code, stdout } = await runCli(['validate', path]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${path}: OK, 1 node: Calculator (remote)\n`);
  });

  it('prints a graph manifest, a connection per line, and its problems at their paths', async () => {
    const ok = await runCli(['validate', 'examples/manifests/camera-branches.json']);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe(
      [
        'examples/manifests/camera-branches.json: OK, a graph of 3 nodes and 3 connections:',
        '  input -> gray    (Grayscale, remote)  queue 2, drop-oldest',
        '  input -> small   (Resize)',
        '  small -> mirror  (Flip, remote)',
        '  outputs: gray, mirror',
        '',
      ].join('\n'),
    );
    const path = dir.file('cycle.json');
    const nodes = [
      { id: 'a', node: 'Grayscale' },
      { id: 'b', node: 'Flip' },
      { id: 'lonely', node: 'Crop' },
    ];
    const connections = [
      { from: 'input', to: 'a' },
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ];
    await writeFile(path, JSON.stringify({ version: 1, nodes, connections }));
    const bad = await runCli(['validate', path]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^  nodes\[2\]: "lonely" has no input; connect something to it/m);
    expect(bad.stderr).toMatch(/^  connections: has a cycle: "a" -> "b" -> "a"$/m);
  });

  it('exits 1 listing every problem, each at its path', async () => {
    const path = dir.file('bad.json');
    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        nodes: [{ node: 'Gain', config: { gainDb: 'loud' } }, { node: 'Resampel' }, { node: 'DataTransform', placement: 'remote' }],
      }),
    );
    const { code, stdout, stderr } = await runCli(['validate', path]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid pipeline manifest \\(4 problems\\):`));
    expect(stderr).toMatch(/^  nodes\[0\]\.config\.gainDb: must be a number between -120 and 60, got "loud"$/m);
    expect(stderr).toMatch(/^  nodes\[1\]\.node: unknown node "Resampel"; did you mean "Resample"/m);
    expect(stderr).toMatch(/^  nodes\[2\]\.placement: DataTransform cannot run remotely/m);
    expect(stderr).toMatch(/^  nodes\[2\]\.config\.transform: is required/m);
  });

  it('reports broken JSON in one line with its line and column (exit 1)', async () => {
    const path = dir.file('broken.json');
    await writeFile(path, '{\n  "version": 1,\n  "nodes": [{ "node": "Gain" }\n}\n');
    const { code, stdout, stderr } = await runCli(['validate', path]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `remotemedia-edge validate: ${path} is not valid JSON at line 4, column 1: expected "," or "]" after an array element, got "}"\n`,
    );
  });

  it('exits 1 for a missing file', async () => {
    const { code, stderr } = await runCli(['validate', dir.file('missing.json')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read .*missing\.json: no such file/);
  });

  it('exits 2 without a manifest argument', async () => {
    const { code, stderr } = await runCli(['validate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing <manifest\.json>/);
  });
});
