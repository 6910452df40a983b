import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage, type ProbeState } from './demoPage.ts';

const INVERT_NODE = `import { invert } from './lib/pixels.js';

export class Invert {
  process(frame) {
    invert(frame.data);
    return frame;
  }
}
`;

const PIXELS_MODULE = `export function invert(data) {
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 255 - data[i];
    data[i + 1] = 255 - data[i + 1];
    data[i + 2] = 255 - data[i + 2];
  }
}
`;

const THROWING_NODE = `export class Exploder {
  process(frame) {
    return explode(frame.width);
  }
}

function explode(width) {
  throw new TypeError('cannot handle a frame ' + width + ' pixels wide');
}
`;

const CHATTY_NODE = `export class Chatty {
  constructor() {
    this.frames = 0;
  }

  process(frame) {
    this.frames++;
    if (this.frames === 1) console.warn('first frame is', frame.width, 'pixels wide');
    if (this.frames % 5 === 0) console.log('frame', this.frames);
    return frame;
  }
}
`;

function colourful(state: ProbeState): number {
  return state.samples.filter(({ input: [r, g, b] }) => Math.max(r, g, b) - Math.min(r, g, b) > 16).length;
}

describe('demo page: nodes from the catalogue and from the editor', () => {
  const fixture = useEdgeAndBrowser();

  it('runs the built-in Grayscale picked from the catalogue', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, 'rgba');
    const started = await demo.start();
    expect(started.catalogue).toContain('Grayscale');
    await demo.applyFromCatalogue('Grayscale');
    const state = await demo.waitFor((p) => p.videoNode === 'Grayscale' && p.framesReceived >= 10 && p.samples.length >= 16, 'Grayscale frames');
    expect(colourful(state)).toBeGreaterThan(0);
    for (const {
      input: [r, g, b],
      output,
    } of state.samples) {
      expect(output[0]).toBe(output[1]);
      expect(output[1]).toBe(output[2]);
      // The catalogue node rounds Rec.601 luma in floating point.
      expect(Math.abs(output[0] - (0.299 * r + 0.587 * g + 0.114 * b))).toBeLessThanOrEqual(1);
    }
    expect(await demo.page.textContent('#video-node-name')).toBe('Grayscale');
    await demo.screenshot('demo-catalogue-grayscale');
    await demo.finish();
  }, 90_000);

  it('deploys a two-module node typed into the editor (invert)', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, 'rgba');
    await demo.start();
    await demo.deployFromEditor({ 'Invert.js': INVERT_NODE, 'lib/pixels.js': PIXELS_MODULE }, 'Invert');
    const state = await demo.waitFor((p) => p.videoNode === 'Invert' && p.framesReceived >= 10 && p.samples.length >= 16, 'inverted frames');
    expect(colourful(state)).toBeGreaterThan(0);
    for (const { input, output } of state.samples) {
      expect(output).toEqual(input.map((v) => 255 - v));
    }
    await demo.screenshot('demo-editor-invert');
    await demo.finish();
  }, 90_000);

  it('shows an error thrown by a node with its name and stack, and keeps working afterwards', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, 'rgba');
    await demo.start();
    await demo.deployFromEditor({ 'Exploder.js': THROWING_NODE }, 'Exploder');
    const failed = await demo.waitFor((p) => p.errorDetails.some((e) => e.nodeName === 'Exploder'), 'the node error', { allowErrors: true });
    const error = failed.errorDetails.find((e) => e.nodeName === 'Exploder')!;
    expect(error.code).toBe('USER_ERROR');
    expect(error.message).toContain('cannot handle a frame 320 pixels wide');
    expect(error.remoteStack).toContain('explode');
    expect(error.remoteStack).toContain('Exploder.js');
    // The page shows the same: node name, message and the sandbox stack.
    await demo.page.waitForSelector('#errors:not([hidden])');
    expect(await demo.page.textContent('#error-list .error-node')).toBe('Exploder');
    expect(await demo.page.textContent('#error-list .error-message')).toContain('TypeError: cannot handle a frame 320 pixels wide');
    expect(await demo.page.textContent('#error-list .error-stack')).toContain('explode');
    await demo.screenshot('demo-node-error');

    // The session survived: another node processes frames again.
    await demo.applyFromCatalogue('Flip', {});
    const recovered = await demo.waitFor((p) => p.videoNode === 'Flip' && p.framesReceived >= 10, 'frames from the next node', { allowErrors: true });
    expect(recovered.stats?.state).toBe('connected');
    await demo.finish();
  }, 90_000);

  it("shows what a node prints with console.* in the console panel, with the node's name", async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.deployFromEditor({ 'Chatty.js': CHATTY_NODE }, 'Chatty');
    const state = await demo.waitFor((p) => p.consoleLines.some((l) => l.source === 'Chatty' && l.text === 'frame 15'), 'three console lines');
    const lines = state.consoleLines.filter((l) => l.source === 'Chatty');
    expect(lines[0]).toEqual({ source: 'Chatty', level: 'warn', text: 'first frame is 320 pixels wide', count: 1 });
    expect(lines.slice(1, 4).map((l) => [l.level, l.text])).toEqual([
      ['log', 'frame 5'],
      ['log', 'frame 10'],
      ['log', 'frame 15'],
    ]);
    // The panel shows the same lines: node name, level and text.
    const shown = await demo.page.$$eval('#console-list .console-line', (rows) =>
      rows.slice(0, 4).map((row) => [...row.querySelectorAll('span')].map((span) => span.textContent)),
    );
    expect(shown).toEqual([
      ['Chatty', 'warn', 'first frame is 320 pixels wide'],
      ['Chatty', 'log', 'frame 5'],
      ['Chatty', 'log', 'frame 10'],
      ['Chatty', 'log', 'frame 15'],
    ]);
    expect(await demo.page.isVisible('#console-empty')).toBe(false);
    await demo.screenshot('demo-console');
    await demo.finish();
  }, 90_000);

  it("collapses a node's repeated error into one line with a count, whatever the message says", async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    // The editor's own template: it throws "frame N is one too many" on every frame after the third.
    await demo.deployTemplate('Throws after 3 frames (video)');
    const state = await demo.waitFor(
      (p) => p.errorDetails.some((e) => e.nodeName === 'FailingNode' && e.count >= 20),
      'twenty errors from FailingNode',
      { allowErrors: true },
    );
    expect(state.errorDetails.every((e) => e.code === 'USER_ERROR' && e.nodeName === 'FailingNode')).toBe(true);
    const rows = await demo.page.$$eval('#error-list li', (items) =>
      items.map((li) => ({
        node: li.querySelector('.error-node')?.textContent,
        message: li.querySelector('.error-message')?.textContent ?? '',
        count: li.querySelector('.error-count')?.textContent ?? '',
      })),
    );
    // One line, however many frames failed; it counts them and shows the newest message.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.node).toBe('FailingNode');
    const count = Number(/^×(\d+)$/.exec(rows[0]!.count)?.[1]);
    expect(count).toBeGreaterThanOrEqual(20);
    const frame = Number(/^RangeError: frame (\d+) is one too many$/.exec(rows[0]!.message)?.[1]);
    // Frames 4, 5, ... failed, so the newest failing frame is at least the count + 3.
    expect(frame).toBeGreaterThanOrEqual(count + 3);
    await demo.screenshot('demo-errors-collapsed');
    await demo.finish();
  }, 90_000);

  it('offers to redeploy a node the edge discarded after an endless loop, and the redeployed node runs', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.deployTemplate('Endless loop on frame 30 (video)');
    const dead = await demo.waitFor(
      (p) => p.errorDetails.some((e) => e.nodeName === 'EndlessLoopNode' && e.code === 'SANDBOX_DISCARDED' && e.count >= 3),
      'the discarded node refusing frames',
      { allowErrors: true, timeoutMs: 60_000 },
    );
    expect(dead.errorDetails.find((e) => e.code === 'SANDBOX_TIMEOUT')?.message).toContain('process did not finish within 1000 ms');
    // Two lines (the timeout, then every later frame refused), newest first, the newest offering a redeploy.
    const rows = await demo.page.$$eval('#error-list li', (items) =>
      items.map((li) => ({
        code: li.querySelector('.error-code')?.textContent,
        action: li.querySelector('.error-action')?.textContent ?? null,
        hint: li.querySelector('.error-hint')?.textContent ?? null,
      })),
    );
    expect(rows.map((r) => r.code)).toEqual(['SANDBOX_DISCARDED', 'SANDBOX_TIMEOUT']);
    expect(rows[0]!.action).toBe('Redeploy EndlessLoopNode');
    expect(rows[0]!.hint).toContain('threw its sandbox away');
    // One button and one explanation per dead node, on its newest line.
    expect(rows[1]).toMatchObject({ action: null, hint: null });
    await demo.screenshot('demo-dead-node');

    await demo.page.click('#error-list .error-action');
    await demo.page.waitForSelector('#error-list .error-resolved');
    // The lane counts afresh for the new node: frames from it, since the old one could return none.
    const back = await demo.waitFor((p) => p.videoNode === 'EndlessLoopNode' && p.framesReceived >= 10, 'frames from the redeployed node', {
      allowErrors: true,
    });
    expect(back.framesReceived).toBeGreaterThanOrEqual(10);
    const resolved = await demo.page.$$eval('#error-list .error-resolved', (items) => items.map((i) => i.textContent));
    expect(resolved).toHaveLength(2);
    for (const note of resolved) expect(note).toMatch(/^redeployed at /);
    expect(await demo.page.$$('#error-list .error-action')).toHaveLength(0);
    await demo.screenshot('demo-dead-node-redeployed');
    await demo.finish();
  }, 120_000);
});
