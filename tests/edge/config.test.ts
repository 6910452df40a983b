import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEdgeCli, startEdge, tempDataDir } from '../support/edgeProcess.ts';

describe('remotemedia-edge serve: configuration', () => {
  it('prints every setting with its flag, environment variable and default for --help', async () => {
    const { code, stdout } = await runEdgeCli(['serve', '--help']);
    expect(code).toBe(0);
    for (const text of [
      '--auth-token',
      'REMOTEMEDIA_AUTH_TOKEN',
      '--max-sessions',
      '--snapshot-interval-ms',
      '--session-grace-ms',
      '--messages-per-second',
      '--max-pending-connections',
      '--hello-timeout-ms',
      '--headers-timeout-ms',
      '--request-timeout-ms',
      '--max-send-queue-bytes',
      '--error-replies-per-second',
      '?token=',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it('refuses a bad flag value with exit code 2, naming the setting and the accepted values', async () => {
    const { code, stderr } = await runEdgeCli(['serve', '--max-sessions', 'lots']);
    expect(code).toBe(2);
    expect(stderr).toContain('maxSessions (--max-sessions) must be an integer from 1 to 100000, got "lots"');
  });

  it('refuses an out-of-range environment value the same way', async () => {
    const { code, stderr } = await runEdgeCli(['serve'], { REMOTEMEDIA_SANDBOX_MEMORY_MB: '8' });
    expect(code).toBe(2);
    expect(stderr).toContain('sandboxMemoryMb (environment REMOTEMEDIA_SANDBOX_MEMORY_MB) must be an integer from 16 to 1024, got "8"');
  });

  it('refuses a bad log level, listing the levels', async () => {
    const { code, stderr } = await runEdgeCli(['serve', '--log-level', 'loud']);
    expect(code).toBe(2);
    expect(stderr).toContain('logLevel (--log-level) must be one of debug, info, warn, error, silent, got "loud"');
  });

  it('refuses a header timeout longer than the request timeout (Node would refuse it at start)', async () => {
    const { code, stderr } = await runEdgeCli(['serve', '--headers-timeout-ms', '5000', '--request-timeout-ms', '1000']);
    expect(code).toBe(2);
    expect(stderr).toContain('headersTimeoutMs (5000) must not exceed requestTimeoutMs (1000)');
  });

  it('refuses an unknown flag', async () => {
    const { code, stderr } = await runEdgeCli(['serve', '--max-sesions', '3']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown flag --max-sesions');
  });

  it('refuses a config file that is not JSON, and one with an unknown key', async () => {
    const dir = await tempDataDir();
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "port": 80,');
    const first = await runEdgeCli(['serve', '--config', broken]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(`config file ${broken} could not be read as JSON`);

    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ maxSesions: 3 }));
    const second = await runEdgeCli(['serve', '--config', typo]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('unknown setting "maxSesions"');

    const badValue = join(dir, 'bad-value.json');
    await writeFile(badValue, JSON.stringify({ messagesPerSecond: 0 }));
    const third = await runEdgeCli(['serve', '--config', badValue]);
    expect(third.code).toBe(2);
    expect(third.stderr).toContain(`messagesPerSecond (config file ${badValue}) must be an integer from 1 to 1000000, got 0`);
  });

  it('takes settings from the config file, lets the environment beat it and flags beat both', async () => {
    const dir = await tempDataDir();
    const file = join(dir, 'edge.json');
    await writeFile(file, JSON.stringify({ maxSessions: 7, sandboxWorkers: 1, authToken: 'from-file' }));
    const edge = await startEdge(['--config', file, '--max-sessions', '5'], { REMOTEMEDIA_MAX_SESSIONS: '6', REMOTEMEDIA_AUTH_TOKEN: 'from-env' });
    try {
      const fromEnv = await fetch(`${edge.url}/status`, { headers: { authorization: 'Bearer from-env' } });
      expect(fromEnv.status).toBe(200);
      expect(((await fromEnv.json()) as { maxSessions: number }).maxSessions).toBe(5);
      const fromFile = await fetch(`${edge.url}/status`, { headers: { authorization: 'Bearer from-file' } });
      expect(fromFile.status).toBe(401);
    } finally {
      await edge.stop();
    }
  });
});
