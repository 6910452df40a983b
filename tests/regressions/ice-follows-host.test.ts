import { describe, expect, it } from 'vitest';
import { useEdge } from '../support/edgeProcess.ts';
import { rawPeer } from '../support/rawPeer.ts';
import { udpSocketsOf } from '../support/udpSockets.ts';

// Issue 15, item 8: the edge served HTTP on 127.0.0.1 while its ICE sockets bound 0.0.0.0 and its SDP answer
// offered the machine's LAN address too. A default edge must be reachable over WebRTC exactly as over HTTP.
describe('regression: a default edge keeps WebRTC on loopback', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('binds its ICE sockets on 127.0.0.1 only, advertises only 127.0.0.1, and a real client connects', async () => {
    const client = await rawPeer(edge.url);
    try {
      expect(client.candidates.length).toBeGreaterThan(0);
      for (const candidate of client.candidates) expect(candidate).toMatchObject({ address: '127.0.0.1', type: 'host' });
      await client.connect();
      const sockets = udpSocketsOf(edge.process.pid!);
      expect(sockets.map((socket) => socket.port)).toEqual(expect.arrayContaining(client.candidates.map((candidate) => candidate.port)));
      expect(sockets.filter((socket) => socket.address !== '127.0.0.1')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('starts no mDNS responder for a .local name in an offer (werift would bind 0.0.0.0:5353), and still connects', async () => {
    const mdnsCandidate = 'a=candidate:9 1 udp 2113937151 0f4a2b1c-1111-2222-3333-444455556666.local 50000 typ host';
    const client = await rawPeer(edge.url, [mdnsCandidate]);
    try {
      await client.connect();
      const sockets = udpSocketsOf(edge.process.pid!);
      expect(sockets.filter((socket) => socket.address !== '127.0.0.1' || socket.port === 5353)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
