import { describe, expect, it } from 'vitest';
import { useEdge } from '../support/edgeProcess.ts';
import { RawProtocolClient } from '../support/rawProtocol.ts';

/**
 * Found by the protocol fuzzer (issue 15): a message whose `v` was a long string came back in full inside the
 * UNSUPPORTED_VERSION reply and the edge's log line, and so did long map keys in validation paths (a
 * package's module paths): any client could make each reply and each log line as large as its message.
 * Client-sent text in error messages is now cut short.
 */
describe('regression: error replies do not echo unbounded client text', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('keeps the UNSUPPORTED_VERSION reply and the MALFORMED_MESSAGE path short', async () => {
    const client = await RawProtocolClient.open(edge.url);
    client.send({ type: 'hello', sdkVersion: 'long', v: 'v'.repeat(400_000) });
    const version = await client.next('error');
    expect(version).toMatchObject({ error: { code: 'UNSUPPORTED_VERSION' } });
    const versionText = (version as { error: { message: string } }).error.message;
    expect(versionText).toMatch(/^message speaks protocol version "v{40}"; this side speaks 1\./);
    expect(versionText.length).toBeLessThan(300);

    client.send({ type: 'hello', sdkVersion: 'long' });
    await client.next('welcome');
    const longPath = 'm'.repeat(300_000);
    const manifest = { entry: 'a.js', exportName: 'A', modules: [] };
    client.send({ type: 'deploy', id: 1, nodeId: 'n1', packageId: 'p', pkg: { id: 'p', manifest, sources: { [longPath]: 42 } } });
    const path = await client.next('error');
    expect(path).toMatchObject({ id: 1, error: { code: 'MALFORMED_MESSAGE' } });
    const pathText = (path as { error: { message: string } }).error.message;
    expect(pathText).toMatch(/^deploy message\.pkg\.sources\["m+\.\.\. must be a string, got 42$/);
    expect(pathText.length).toBeLessThan(300);

    const longestLogLine = Math.max(
      ...edge
        .stderr()
        .split('\n')
        .map((line) => line.length),
    );
    expect(longestLogLine).toBeLessThan(2000);
  });
});
