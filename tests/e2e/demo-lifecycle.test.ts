import { listNodes } from '@remotemedia/shared';
import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

/** Packs (the page's lexer finds nothing wrong) but does not compile on the edge. */
const EDGE_REJECTS = `export class GrayscaleNode {
  process(frame) {
    return frame.;
  }
}
`;

/** Does not even pack: the page's own parser stops at the missing brace. */
const PAGE_REJECTS = `export class Half {
  process(frame) {
    return frame;
`;

const STAT_IDS = ['stat-transport', 'stat-state', 'stat-fps-in', 'stat-fps', 'stat-rtt', 'stat-frames', 'stat-dropped', 'stat-audio'];

describe('demo page: Start, Stop, Deploy and the catalogue', () => {
  const fixture = useEdgeAndBrowser();

  it("counts the nodes from the edge's catalogue", async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    const state = await demo.start();
    const total = listNodes().length;
    expect(state.catalogue).toHaveLength(total);
    const listed = new Set(await demo.page.$$eval('#catalogue-node option', (options) => options.map((o) => (o as HTMLOptionElement).value)));
    const hint = await demo.page.textContent('#catalogue-hint');
    expect(hint).toContain(`${total} nodes in this edge's catalogue. The ${listed.size} that take video or audio are listed here`);
    expect(hint).toContain(`the other ${total - listed.size} are for data`);
    await demo.finish();
  }, 90_000);

  it('resets every stat, meter and chart on Stop, and counts from zero after the next Start', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    const before = await Promise.all(STAT_IDS.map((id) => demo.page.textContent(`#${id}`)));
    await demo.start();
    await demo.page.waitForFunction(() => Number(document.getElementById('stat-frames')?.textContent) >= 40, undefined, { timeout: 45_000 });
    await demo.page.waitForFunction(() => document.getElementById('stat-rtt')?.textContent !== '-', undefined, { timeout: 10_000 });
    const running = await Promise.all(STAT_IDS.map((id) => demo.page.textContent(`#${id}`)));
    expect(running).not.toEqual(before);
    await demo.screenshot('demo-stats-running');

    await demo.page.click('#stop');
    expect(await Promise.all(STAT_IDS.map((id) => demo.page.textContent(`#${id}`)))).toEqual(before);
    expect(await demo.page.$$eval('.meter-value', (values) => values.map((v) => v.textContent))).toEqual(['-', '-']);
    expect([await demo.page.textContent('#video-node-name'), await demo.page.textContent('#audio-node-name')]).toEqual(['-', 'bypass']);
    expect(await demo.page.textContent('#analysis-summary')).toContain('Apply SileroVAD');
    const stopped = await demo.probe();
    expect(stopped).toMatchObject({ running: false, framesReceived: 0 });
    expect(stopped.stats).toBeUndefined();
    expect(stopped.audio.framesIn).toBe(0);
    expect(await demo.page.textContent('#status')).toBe('Stopped');
    await demo.screenshot('demo-stats-after-stop');

    // A second run counts its own frames, not the first run's on top.
    await demo.start();
    const firstShown = await demo.page.waitForFunction(
      () => {
        const frames = Number(document.getElementById('stat-frames')?.textContent);
        return frames > 0 ? frames : undefined;
      },
      undefined,
      { timeout: 45_000, polling: 50 },
    );
    expect(await firstShown.jsonValue()).toBeLessThan(40);
    await demo.finish();
  }, 120_000);

  it('never deploys broken code at Start: shows the compile error and keeps the last node that deployed', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    // First Start with code the edge cannot compile: the session starts, the error says why, nothing runs on video.
    await demo.editEditor({ 'GrayscaleNode.js': EDGE_REJECTS }, 'GrayscaleNode');
    await demo.page.click('#start');
    const first = await demo.waitFor((p) => p.running, 'the session to start', { allowErrors: true });
    expect(first.errorDetails).toHaveLength(1);
    expect(first.errorDetails[0]).toMatchObject({
      code: 'COMPILE_ERROR',
      hint: 'Nothing deployed on the video lane yet: fix the code and press Deploy.',
    });
    expect(first.videoNode).toBeUndefined();
    expect(await demo.page.textContent('#status')).toMatch(/^Running on the edge/);

    // Fixed and deployed: this is now the last good node.
    await demo.page.selectOption('#editor-template', { label: 'Grayscale (video)' });
    await demo.page.click('#deploy');
    await demo.waitFor((p) => p.videoNode === 'GrayscaleNode' && p.framesReceived >= 5, 'the fixed node', { allowErrors: true });
    await demo.page.click('#stop');

    // Broken again, then Start: the error is shown and the last good node runs.
    await demo.editEditor({ 'GrayscaleNode.js': EDGE_REJECTS }, 'GrayscaleNode');
    await demo.page.click('#start');
    const kept = await demo.waitFor((p) => p.running && p.videoNode === 'GrayscaleNode' && p.framesReceived >= 10, 'the last good node', {
      allowErrors: true,
    });
    const compile = kept.errorDetails.filter((e) => e.code === 'COMPILE_ERROR');
    expect(compile.at(-1)?.hint).toBe('Start kept the last node that deployed: GrayscaleNode. Fix the code and press Deploy.');
    expect(compile.at(-1)?.message).toContain('expecting field name');
    for (const { output } of kept.samples) expect(new Set(output).size).toBe(1);
    // The editor still holds the user's code: nothing was thrown away.
    expect(await demo.page.inputValue('#editor-code')).toBe(EDGE_REJECTS);
    expect(await demo.page.textContent('#error-list .error-hint')).toContain('Start kept the last node that deployed');
    await demo.screenshot('demo-start-broken-code');

    // Deploy of code that does not even pack: the running node keeps running.
    await demo.editEditor({ 'Half.js': PAGE_REJECTS }, 'Half');
    await demo.page.click('#deploy');
    const refused = await demo.waitFor((p) => p.errorDetails.some((e) => e.hint?.startsWith('Not deployed')), 'the refused deploy', {
      allowErrors: true,
    });
    const refusal = refused.errorDetails.find((e) => e.hint?.startsWith('Not deployed'))!;
    expect(refusal).toMatchObject({ code: 'COMPILE_ERROR', hint: 'Not deployed: GrayscaleNode keeps running on the video lane.' });
    expect(refusal.message).toContain('Half.js');
    const framesAtRefusal = refused.framesReceived;
    const after = await demo.waitFor((p) => p.framesReceived >= framesAtRefusal + 10, 'frames after the refused deploy', { allowErrors: true });
    expect(after.videoNode).toBe('GrayscaleNode');
    await demo.finish();
  }, 120_000);
});
