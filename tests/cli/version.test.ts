import { describe, expect, it } from 'vitest';
import { EDGE_VERSION } from '@remotemedia/edge-server';
import { runCli } from './runCli.ts';

describe('remotemedia-edge --version', () => {
  for (const args of [['--version'], ['-v'], ['serve', '--version'], ['nodes', '-v'], ['validate', '--version'], ['run', 'x.json', '--version']]) {
    it(`prints the edge version for ${args.join(' ')} and exits 0`, async () => {
      const { code, stdout, stderr } = await runCli(args);
      expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `remotemedia-edge ${EDGE_VERSION}\n`, stderr: '' });
    });
  }

  it('names the version in --help', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout.split('\n')[0]).toBe(`remotemedia-edge ${EDGE_VERSION}: the RemoteMedia edge server and tools`);
    expect(stdout).toMatch(/^ {2}--version, -v {2}print the version$/m);
  });
});
