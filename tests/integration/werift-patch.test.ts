import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edgeProcess.ts';
import { installedWeriftDir, unpackPristineWerift, WERIFT_MARKER } from '../support/pristineWerift.ts';

const script = join(repoRoot, 'scripts', 'patch-werift.mjs');

function runPatchScript(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [script, ...args], { cwd: repoRoot, timeout: 30_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** A werift package directory in a temp dir holding package.json and lib/index.mjs from `from`, then edited. */
function copyOfWerift(from: string, edit: { version?: string; index?: (source: string) => string } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'werift-copy-')), 'werift');
  mkdirSync(join(dir, 'lib'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as { version: string };
  if (edit.version !== undefined) pkg.version = edit.version;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const index = readFileSync(join(from, 'lib', 'index.mjs'), 'utf8');
  writeFileSync(join(dir, 'lib', 'index.mjs'), edit.index ? edit.index(index) : index);
  return dir;
}

describe('werift SCTP patch, applied by the root postinstall', () => {
  let pristineDir: string;
  beforeAll(() => {
    pristineDir = unpackPristineWerift();
  });

  it('is applied to the werift file that import resolves to', async () => {
    const loaded = fileURLToPath(import.meta.resolve('werift'));
    expect(loaded).toBe(join(installedWeriftDir, 'lib', 'index.mjs'));
    const source = readFileSync(loaded, 'utf8');
    expect(source.startsWith(WERIFT_MARKER)).toBe(true);
    // The hunks themselves are there: a SACK per two packets, CRC checked in place, a flagged retransmit scan.
    expect(source).toContain('this.sackPacketCount >= 2 || this.sackMisOrdered.size > 0');
    expect(source).toContain('const expect = crc32c(data);');
    expect(source).toContain('for (const dataChunk of retransmitScan ? this.sentQueue : [])');
    const check = await runPatchScript(['--check']);
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/^patch-werift: already applied \(werift 0\.24\.4, .*node_modules\/werift\/lib\/index\.mjs\)\n$/);
    expect(check.code).toBe(0);
  });

  it('patches a pristine copy exactly as installed, and a second run changes nothing', async () => {
    const dir = copyOfWerift(pristineDir);
    const first = await runPatchScript(['--werift-dir', dir]);
    expect(first.stdout).toMatch(/^patch-werift: applied \d+ hunks \(werift 0\.24\.4, /);
    expect(first.code).toBe(0);
    const patched = readFileSync(join(dir, 'lib', 'index.mjs'), 'utf8');
    expect(patched).toBe(readFileSync(join(installedWeriftDir, 'lib', 'index.mjs'), 'utf8'));
    const second = await runPatchScript(['--werift-dir', dir]);
    expect(second.stdout).toMatch(/^patch-werift: already applied /);
    expect(second.code).toBe(0);
    expect(readFileSync(join(dir, 'lib', 'index.mjs'), 'utf8')).toBe(patched);
  });

  it('refuses another werift version with one line naming both versions', async () => {
    const dir = copyOfWerift(pristineDir, { version: '0.25.2' });
    const result = await runPatchScript(['--werift-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^patch-werift: werift 0\.25\.2 is installed at .*, but the patch is for werift 0\.24\.4: port the hunks in scripts\/patch-werift\.mjs or pin werift 0\.24\.4\n$/,
    );
    expect(readFileSync(join(dir, 'lib', 'index.mjs'), 'utf8')).toBe(readFileSync(join(pristineDir, 'lib', 'index.mjs'), 'utf8'));
  });

  it('refuses a werift 0.24.4 whose bundle differs from the published one, and leaves it alone', async () => {
    const altered = (source: string) => source.replace('var USERDATA_MAX_LENGTH = 1200;', 'var USERDATA_MAX_LENGTH = 1201;');
    const dir = copyOfWerift(pristineDir, { index: altered });
    const result = await runPatchScript(['--werift-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^patch-werift: .*lib\/index\.mjs does not match werift 0\.24\.4 as published \(sha256 [0-9a-f]{64}\); refusing to patch\n$/,
    );
    expect(readFileSync(join(dir, 'lib', 'index.mjs'), 'utf8')).toBe(altered(readFileSync(join(pristineDir, 'lib', 'index.mjs'), 'utf8')));
  });

  it('refuses a patched bundle that was edited afterwards', async () => {
    const dir = copyOfWerift(installedWeriftDir, { index: (source) => source.replace('var SCTP_RTO_MIN = 1;', 'var SCTP_RTO_MIN = 0.2;') });
    const result = await runPatchScript(['--werift-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^patch-werift: .*lib\/index\.mjs was changed after it was patched; reinstall werift \(npm ci\)\n$/);
  });

  it('--check fails on an unpatched werift', async () => {
    const dir = copyOfWerift(pristineDir);
    const result = await runPatchScript(['--check', '--werift-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^patch-werift: .*lib\/index\.mjs is not patched; run node scripts\/patch-werift\.mjs\n$/);
  });
});
