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
    for (const { input: [r, g, b], output } of state.samples) {
      expect(output[0]).toBe(output[1]);
      expect(output[1]).toBe(output[2]);
      // The catalogue node rounds Rec.601 luma in floating point.
      expect(Math.abs(output[0] - (0.299 * r + 0.587 * g + 0.114 * b))).toBeLessThanOrEqual(1);
    }
    expect(await demo.page.textContent('#video-node-name')).toBe('Grayscale');
    await demo.screenshot('demo-catalogue-grayscale');
    await demo.page.close();
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
    await demo.page.close();
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
    await demo.page.close();
  }, 90_000);
});
