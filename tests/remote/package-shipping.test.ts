/**
 * A package crosses the wire once per session at most: a small one goes along with its first deploy (no round
 * trip to ask whether the edge has it), a large one only after the edge said it does not; later deploys of
 * either name it by id alone. Counted in bytes the session sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, packSources, type NodePackage, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';

function calculator(padding: number): Promise<NodePackage> {
  const source = `export class Calc { add(a, b) { return a + b; } }\n// ${'p'.repeat(padding)}\n`;
  return packSources({ sources: { 'calc.js': source }, entry: 'calc.js', exportName: 'Calc' });
}

describe('shipping packages to the edge', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;
  beforeAll(async () => {
    edge = await startEdge();
    session = await connect(edge.url, { transport: 'websocket', reconnect: false });
  });
  afterAll(async () => {
    session?.close();
    await edge?.stop();
  });

  const sentDuring = async (work: () => Promise<unknown>): Promise<number> => {
    const before = session.stats().bytesSent;
    await work();
    return session.stats().bytesSent - before;
  };

  it.each([
    ['small package, sent with its first deploy,', 20 * 1024],
    ['large package, sent once the edge asked for it,', 200 * 1024],
  ])('a %s crosses once, then goes by id', async (_label, padding) => {
    const pkg = await calculator(padding);
    let first: Awaited<ReturnType<RemoteSession['deploy']>> | undefined;
    const firstBytes = await sentDuring(async () => {
      first = await session.deploy(pkg);
    });
    expect(await first!.call('add', 2, 3)).toBe(5);
    expect(firstBytes).toBeGreaterThan(padding);
    expect(firstBytes).toBeLessThan(padding * 1.5);
    let second: Awaited<ReturnType<RemoteSession['deploy']>> | undefined;
    const secondBytes = await sentDuring(async () => {
      second = await session.deploy(pkg);
    });
    expect(await second!.call('add', 4, 5)).toBe(9);
    expect(secondBytes).toBeLessThan(2048);
  });
});
