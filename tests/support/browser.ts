import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startEdge, type EdgeProcess } from './edgeProcess.ts';

/**
 * Flags Debian's Chromium needs to run headless as root in a container (no sandbox, no GPU, no QUIC, no
 * background traffic), plus fake media devices and loopback ICE.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Audio must start without a click on the page (the script-tag page and the demo's player).
  '--autoplay-policy=no-user-gesture-required',
  // Without these Chromium offers only mDNS names and refuses loopback once the camera is granted.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export interface LaunchOptions {
  /** Flags added after the defaults. */
  extraArgs?: string[];
  /** Default flags left out (e.g. `--allow-loopback-in-peer-connection` to make WebRTC fail on loopback). */
  withoutArgs?: string[];
}

export function launchChromium(options: LaunchOptions | string[] = {}): Promise<Browser> {
  const { extraArgs = [], withoutArgs = [] } = Array.isArray(options) ? { extraArgs: options } : options;
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS.filter((arg) => !withoutArgs.includes(arg)), ...extraArgs],
  });
}

/**
 * A real edge process and a headless Chromium for one describe block: started before its tests, stopped
 * after them. `edge` is settable so a test that restarts the edge hands the new process back for cleanup.
 */
export interface EdgeAndBrowser {
  edge: EdgeProcess;
  readonly browser: Browser;
}

export function useEdgeAndBrowser(edgeArgs: string[] = []): EdgeAndBrowser {
  const fixture = {} as { edge: EdgeProcess; browser: Browser };
  beforeAll(async () => {
    fixture.edge = await startEdge(edgeArgs);
    fixture.browser = await launchChromium();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.edge?.stop();
  });
  return fixture;
}
