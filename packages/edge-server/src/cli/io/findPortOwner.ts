import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** The process listening on a TCP port, as far as this user may see it. */
export interface PortOwner {
  readonly pid: number;
  /** The executable's name (`/proc/<pid>/comm`, at most 15 characters), e.g. `node`. */
  readonly name: string;
}

/**
 * Who listens on `port`, found the way `ss -ltnp` does on Linux: the listening socket's inode from
 * /proc/net/tcp{,6}, then the process holding a descriptor to that inode. Undefined when it cannot be told
 * (not Linux, or the owner belongs to another user or PID namespace). Only used to word an error, so it costs
 * a scan of /proc only when listening has already failed.
 */
export function findPortOwner(port: number): PortOwner | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      // 0A is TCP_LISTEN; inode 0 is a socket being torn down.
      if (local === undefined || state !== '0A' || inode === undefined || inode === '0') continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(`socket:[${inode}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of safeList('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeList(`/proc/${entry}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (inodes.has(target)) return { pid: Number(entry), name: processName(entry) };
    }
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function processName(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return 'a process';
  }
}
