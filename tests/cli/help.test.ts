import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';

describe('remotemedia-edge --help', () => {
  it('lists every command', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const name of ['serve', 'nodes', 'validate', 'run', 'drain']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  for (const [name, expected] of [
    ['nodes', /remotemedia-edge nodes \[--json\]/],
    ['validate', /remotemedia-edge validate <manifest\.json>/],
    ['run', /remotemedia-edge run <manifest\.json> --input <file> --output <file> \[--edge <url>\] \[--bit-depth 16\|24\|32\]/],
  ] as const) {
    it(`prints the usage of ${name} and exits 0`, async () => {
      const { code, stdout, stderr } = await runCli([name, '--help']);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(expected);
    });
  }

  it('exits 2 for an unknown command', async () => {
    const { code, stderr } = await runCli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command "frobnicate"/);
  });
});
