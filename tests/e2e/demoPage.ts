import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { repoRoot, type EdgeProcess } from '../support/edgeProcess.ts';

/** The parts of `window.remotemediaDemo` (demo/src/DemoProbe.ts) the tests read, as plain JSON. */
export interface ProbeState {
  running: boolean;
  framesReceived: number;
  outputSize: { width: number; height: number } | undefined;
  transport: string | undefined;
  videoNode: string | undefined;
  samples: Array<{ x: number; y: number; input: [number, number, number]; output: [number, number, number]; lumaIn?: number; lumaOut?: number }>;
  errors: string[];
  errorDetails: Array<{
    code: string;
    nodeName: string | undefined;
    message: string;
    remoteStack: string | undefined;
    count: number;
    hint?: string;
    resolved?: string;
  }>;
  audio: {
    nodeName: string | undefined;
    framesIn: number;
    framesOut: number;
    matchedInputEnergy: number;
    matchedOutputEnergy: number;
    lastInputRmsDb: number;
    lastOutputRmsDb: number;
  };
  stats:
    | {
        state: string;
        transport: string;
        fallbackReason: string | undefined;
        reconnects: number;
        framesSent: number;
        framesReceived: number;
        rttP50Ms: number;
        rttP99Ms: number;
      }
    | undefined;
  catalogue: string[];
  consoleLines: Array<{ source: string; level: string; text: string; count: number }>;
  analysis: {
    now: number;
    speech: TimeSpan[];
    clipped: TimeSpan[];
    silent: TimeSpan[];
    edgeLevels: Array<{ t: number; rmsDb: number; peakDb: number }>;
    totals: { speechSegments: number; edgeLevels: number; clippedFrames: number; silentFrames: number; silenceChecked: number };
  };
  analysisCheck: {
    loudInputs: TimeSpan[];
    loudProcessed: TimeSpan[];
    processed: TimeSpan[];
    edgeLevelFrames: number;
    maxLevelDifferenceDb: number;
    drawn: { speech: TimeSpan[]; clipped: number; silent: number } | undefined;
  };
  snippet: string;
  branches: Record<string, { frames: number; correct: number; detections: number; firstWrong: string | undefined }>;
}

export interface TimeSpan {
  start: number;
  end: number;
}

/** Where the page records what escaped it: unhandled promise rejections and uncaught errors. */
declare global {
  interface Window {
    __demoUncaught?: string[];
  }
}

/** The demo page of one edge, with its console kept for failure messages. */
export class DemoPage {
  readonly page: Page;
  /** The edge whose log a failure reports; a test that restarts the edge points this at the new process. */
  edge: EdgeProcess;
  readonly consoleLines: string[] = [];
  /** Errors nothing in the page caught, as Playwright reports them. */
  readonly pageErrors: string[] = [];

  private constructor(page: Page, edge: EdgeProcess) {
    this.page = page;
    this.edge = edge;
    page.on('console', (message) => this.consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => {
      this.pageErrors.push(error.stack ?? error.message);
      this.consoleLines.push(`pageerror: ${error.message}`);
    });
  }

  /** Opens the demo in `page` (a new page when omitted, e.g. one with init scripts set up by the test). */
  /**
   * `format` pins the frame format (the page defaults to Auto: RGBA when frames go as JPEG, I420 when raw); RGBA for tests that compare exact RGB values.
   * `query` presets other pickers, e.g. `{ size: '640x480', transport: 'websocket' }`.
   * Video travels raw unless `query.encoding` says otherwise (`auto` for the SDK's default), since these tests
   * compare exact pixel values (JPEG is lossy; jpeg-video.test.ts covers it).
   */
  static async open(
    browser: Browser,
    edge: EdgeProcess,
    existing?: Page,
    format?: 'rgba' | 'i420' | 'gray',
    query: Record<string, string> = {},
  ): Promise<DemoPage> {
    const page = existing ?? (await browser.newPage({ viewport: { width: 1280, height: 900 } }));
    const demo = new DemoPage(page, edge);
    // Installed before the page's own scripts, so nothing that escapes during the session goes unseen.
    await page.addInitScript(() => {
      const seen: string[] = [];
      window.__demoUncaught = seen;
      const text = (value: unknown): string => (value instanceof Error ? `${value.name}: ${value.message}\n${value.stack ?? ''}` : String(value));
      window.addEventListener('unhandledrejection', (event) => seen.push(`unhandled rejection: ${text(event.reason)}`));
      window.addEventListener('error', (event) => seen.push(`uncaught error: ${text(event.error ?? event.message)}`));
    });
    const params: Record<string, string> = { encoding: 'raw', ...(format ? { format } : {}), ...query };
    if (params.encoding === 'auto') delete params.encoding;
    await page.goto(`${edge.url}/?${new URLSearchParams(params)}`);
    return demo;
  }

  /** Clicks Start and waits until the default node runs. */
  async start(): Promise<ProbeState> {
    await this.page.click('#start');
    return this.waitFor((p) => p.running && p.framesReceived > 0, 'the demo to start and show a processed frame');
  }

  probe(): Promise<ProbeState> {
    return this.page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { remotemediaDemo: unknown }).remotemediaDemo)) as ProbeState);
  }

  /**
   * Polls the probe until `done` holds. Fails with the page console and the edge's log, and fails at once
   * when the page shows an error unless `allowErrors` (a test about errors expects them).
   */
  async waitFor(
    done: (probe: ProbeState) => boolean,
    what: string,
    options: { timeoutMs?: number; allowErrors?: boolean } = {},
  ): Promise<ProbeState> {
    const deadline = Date.now() + (options.timeoutMs ?? 45_000);
    let last: ProbeState | undefined;
    while (Date.now() < deadline) {
      last = await this.probe();
      if (!options.allowErrors && last.errors.length > 0) break;
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const status = await this.page.textContent('#status').catch(() => '(no page)');
    throw new Error(
      `timed out waiting for ${what}\nstatus line: ${status}\nprobe: ${JSON.stringify({ ...last, samples: last?.samples.length, analysis: last?.analysis?.totals })}\npage console:\n${this.consoleLines.join('\n')}\nedge:\n${this.edge.stderr()}`,
    );
  }

  /** What escaped the page so far: unhandled rejections and uncaught errors. */
  async uncaught(): Promise<string[]> {
    const inPage = await this.page.evaluate(() => [...(window.__demoUncaught ?? [])]);
    return [...inPage, ...this.pageErrors.map((stack) => `pageerror: ${stack}`)];
  }

  /**
   * Ends a test: stops the demo if it runs (the session closes), gives late rejections time to surface, checks
   * that nothing escaped the page during the whole session, and closes the page.
   */
  async finish(): Promise<void> {
    if (await this.page.isEnabled('#stop')) await this.page.click('#stop');
    await this.page.waitForTimeout(750);
    const escaped = await this.uncaught();
    await this.page.close();
    if (escaped.length > 0)
      throw new Error(`the demo page let errors escape:\n${escaped.join('\n')}\npage console:\n${this.consoleLines.join('\n')}`);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(`${repoRoot}test-results`, { recursive: true });
    await this.page.screenshot({ path: `${repoRoot}test-results/${name}.png`, fullPage: true });
  }

  /** Replaces the editor's modules with `files` (the first is the entry) and deploys `exportName`. */
  async deployFromEditor(files: Record<string, string>, exportName: string, kind: 'video' | 'audio' = 'video'): Promise<void> {
    await this.editEditor(files, exportName, kind);
    await this.page.click('#deploy');
  }

  /** Loads one of the editor's templates by its label and deploys it, as a user would. */
  async deployTemplate(label: string): Promise<void> {
    await this.page.click('#tab-editor');
    await this.page.selectOption('#editor-template', { label });
    await this.page.click('#deploy');
  }

  /** Replaces the editor's modules with `files` (the first is the entry) and sets the class to deploy, without deploying. */
  async editEditor(files: Record<string, string>, exportName: string, kind: 'video' | 'audio' = 'video'): Promise<void> {
    const page = this.page;
    await page.click('#tab-editor');
    const names = Object.keys(files);
    // Add our modules, then remove whatever else the editor held (at least one module must remain).
    const existing = await page.$$eval('#editor-tabs .tab', (tabs) => tabs.map((t) => (t as HTMLElement).dataset.file!));
    for (const name of names.filter((n) => !existing.includes(n))) {
      await page.fill('#editor-new-name', name);
      await page.click('#editor-add');
    }
    for (const name of existing.filter((n) => !names.includes(n))) {
      await page.click(`#editor-tabs .tab[data-file="${name}"]`);
      await page.click('#editor-remove');
    }
    for (const name of names) {
      await page.click(`#editor-tabs .tab[data-file="${name}"]`);
      await page.fill('#editor-code', files[name]!);
    }
    await page.selectOption('#editor-entry', names[0]!);
    await page.fill('#editor-export', exportName);
    await page.selectOption('#editor-kind', kind);
  }

  /** Picks a built-in node, fills its generated config form and applies it. */
  async applyFromCatalogue(name: string, config: Record<string, string> = {}): Promise<void> {
    const page = this.page;
    await page.click('#tab-catalogue');
    await page.selectOption('#catalogue-node', name);
    for (const [key, value] of Object.entries(config)) await page.fill(`#config-${key}`, value);
    await page.click('#apply-catalogue');
  }
}
