import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface UdpSocket {
  address: string;
  port: number;
}

/**
 * The UDP sockets a process holds, read from the kernel (/proc), not from the process's own idea of them:
 * its fds name socket inodes, and /proc/net/udp{,6} give each inode's local address and port.
 */
export function udpSocketsOf(pid: number): UdpSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read
    }
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  const sockets: UdpSocket[] = [];
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9]!)) continue;
      const [hexAddress, hexPort] = fields[1]!.split(':') as [string, string];
      sockets.push({ address: decodeAddress(hexAddress), port: parseInt(hexPort, 16) });
    }
  }
  return sockets;
}

/** /proc/net/udp prints addresses as host-order 32-bit words in hex; udp6 as four of them. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) return wordBytes(hex).join('.');
  const bytes = [0, 8, 16, 24].flatMap((offset) => wordBytes(hex.slice(offset, offset + 8)));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return bytes.slice(12).join('.');
  if (bytes.every((b) => b === 0)) return '::';
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/** One little-endian word of /proc/net/udp as its four address bytes in network order. */
function wordBytes(word: string): number[] {
  return [6, 4, 2, 0].map((i) => parseInt(word.slice(i, i + 2), 16));
}
