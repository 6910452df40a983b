import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Firefox ESR (`apt-get install firefox-esr`); the Firefox tests are skipped without it. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const hasFirefox = existsSync(FIREFOX_PATH);

/**
 * Preferences of a throwaway profile: fake camera and microphone without a permission prompt, and WebRTC host
 * candidates on loopback as plain addresses (Firefox hides them behind mDNS names and leaves loopback out by
 * default, so a data channel to an edge on 127.0.0.1 could not connect).
 */
const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
};

/**
 * Stock Firefox headless, opened on one URL. playwright-core cannot drive it: its Firefox protocol (Juggler)
 * needs Playwright's patched build, and its WebDriver BiDi path sends commands Firefox 153 ESR does not know
 * (`emulation.setMediaFeaturesOverride`), so pages report back to the test over HTTP instead.
 */
export function openInFirefox(url: string): { close(): void; stderr(): string } {
  const profile = mkdtempSync(join(tmpdir(), 'remotemedia-firefox-'));
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(PREFS)
      .map(([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});`)
      .join('\n'),
  );
  const child: ChildProcess = spawn(FIREFOX_PATH, ['--headless', '--no-remote', '--profile', profile, url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so closing it also ends the content processes it started.
    detached: true,
    env: { ...process.env, HOME: process.env.HOME ?? tmpdir(), MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('error', (error) => (stderr += String(error)));
  return {
    close: () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(profile, { recursive: true, force: true });
    },
    stderr: () => stderr,
  };
}
