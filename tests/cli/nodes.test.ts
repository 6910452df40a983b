import { describe, expect, it } from 'vitest';
import { listNodes } from '@remotemedia/shared/nodes';
import { runCli } from './runCli.ts';

describe('remotemedia-edge nodes', () => {
  it('prints the catalogue as a table of name, kinds, remote and description', async () => {
    const { code, stdout } = await runCli(['nodes']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KINDS\s+REMOTE\s+DESCRIPTION$/);
    expect(lines).toHaveLength(listNodes().length + 1);
    expect(stdout).toMatch(/^Gain\s+audio -> audio\s+yes\s+Changes the level of audio by a gain in dB\.$/m);
    expect(stdout).toMatch(/^Resample\s+audio -> audio\s+yes\s+Changes the sample rate/m);
    expect(stdout).toMatch(/^DataTransform\s+.*\s+no\s+/m);
  });

  it('prints exactly listNodes() with --json', async () => {
    const { code, stdout } = await runCli(['nodes', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(listNodes());
  });

  it('exits 2 for an unknown flag or an argument', async () => {
    expect((await runCli(['nodes', '--yaml'])).code).toBe(2);
    const { code, stderr } = await runCli(['nodes', 'Gain']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unexpected argument "Gain"/);
  });
});
