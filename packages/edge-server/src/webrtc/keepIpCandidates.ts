import { isIP } from 'node:net';

/**
 * Removes the remote candidates of a client's SDP whose address is a name rather than an IP literal.
 *
 * werift resolves an `xxx.local` candidate by starting an mDNS responder bound to 0.0.0.0:5353 and sending
 * multicast queries, and hands any other name to `dgram.send`, which looks it up in DNS: either way a client
 * would make the edge listen beyond its configured address or send lookups of names it chose. Browsers
 * that hide their addresses behind mDNS names still connect: their connectivity checks reach the edge's
 * candidates and the edge learns their address from those (peer-reflexive candidates).
 */
export function keepIpCandidates(sdp: string): string {
  const lines = sdp.split(/\r?\n/);
  const kept = lines.filter((line) => {
    if (!line.startsWith('a=candidate:')) return true;
    // a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
    const address = line.split(' ')[4];
    return address !== undefined && isIP(address) !== 0;
  });
  return kept.join('\r\n');
}
