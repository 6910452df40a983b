// Applies RemoteMedia's SCTP patch to werift 0.24.4. (Over ~350 lines on purpose: each hunk stands here whole,
// with its reason, so the patch can be read and reviewed in one place.) Run by the root package's `postinstall`, so `npm ci`
// and `npm install` leave a patched werift; nothing is downloaded.
//
// What it patches: the ESM bundle `lib/index.mjs`, which is what `import ... from 'werift'` loads (the
// package's exports map "." -> import -> ./lib/index.mjs). The per-package CommonJS files under lib/ are
// left alone: nothing in this project requires werift.
//
// Why: werift's SCTP sends one SACK datagram per DATA packet, scans its whole sent queue on every SACK,
// copies and sorts its out-of-order set for every chunk, tries to reassemble on every chunk and computes
// CRC-32C in JS over a fresh copy of every packet. Toward Chromium that holds werift to ~2,100-2,400
// packets/s whatever the frame size. Each hunk below says why it is there.
//
// Guards: refuses (exit 1, one line) if werift's version, its ESM entry or the file's bytes are not exactly
// what these hunks were written for. Idempotent: the patched file starts with a marker naming this patch
// and the hash of what follows it; a second run checks that and changes nothing.
//
// Usage: node scripts/patch-werift.mjs [--check] [--werift-dir <dir>]
//   --check        verify the patch is applied; never write
//   --werift-dir   patch this werift package directory instead of the one(s) the workspaces resolve
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WERIFT_VERSION = '0.24.4';
/** sha256 of werift 0.24.4's lib/index.mjs as published. */
const PRISTINE_SHA256 = 'fa8f4b515bb99d5a3d20f96c9e14643fa8aa8fe4ccc9c2fef48eade5425f1421';
const ESM_ENTRY = './lib/index.mjs';
const MARKER_PREFIX = '// remotemedia-werift-patch ';

/** Each hunk: why, the exact text it replaces (must occur exactly once), and the replacement. */
const HUNKS = [
  {
    reason: 'createRequire, to load the optional native CRC-32C binding from this ES module',
    find: 'import { randomBytes } from "crypto";\n',
    replace: 'import { randomBytes } from "crypto";\nimport { createRequire as remotemediaCreateRequire } from "module";\n',
  },
  {
    reason: 'CRC-32C with @node-rs/crc32 when installed (prebuilt binary, ~6x faster per packet); else the JS tables',
    find: `function crc32c(input, seed = 0) {
  if (isBufferLike(input)) {`,
    replace: `var nativeCrc32c = loadNativeCrc32c();
function loadNativeCrc32c() {
  try {
    const crc = remotemediaCreateRequire(import.meta.url)("@node-rs/crc32").crc32c;
    // Use the binding only if it agrees with the standard check value of CRC-32C.
    return typeof crc === "function" && crc(Buffer.from("123456789")) === 3808858755 ? crc : void 0;
  } catch {
    return void 0;
  }
}
function crc32c(input, seed = 0) {
  if (nativeCrc32c !== void 0 && Buffer.isBuffer(input)) return nativeCrc32c(input, seed);
  if (isBufferLike(input)) {`,
  },
  {
    reason: 'check the CRC in place: zero the checksum field, hash, restore (was a 3-buffer copy per packet)',
    find: `  const expect = crc32c(
    Buffer.concat([
      data.slice(0, 8),
      Buffer.from("\\0\\0\\0\\0"),
      data.slice(12)
    ])
  );`,
    replace: `  data.writeUInt32LE(0, 8);
  const expect = crc32c(data);
  data.writeUInt32LE(checkSum, 8);`,
  },
  {
    reason: 'build each outgoing packet in one buffer and write its CRC in place (was 2 concats and 3 allocations)',
    find: `  const checksum = crc32c(
    Buffer.concat([header, Buffer.from("\\0\\0\\0\\0"), body])
  );
  const checkSumBuf = Buffer.alloc(4);
  checkSumBuf.writeUInt32LE(checksum, 0);
  const packet = Buffer.concat([header, checkSumBuf, body]);
  return packet;`,
    replace: `  const packet = Buffer.allocUnsafe(12 + body.length);
  header.copy(packet, 0);
  packet.writeUInt32LE(0, 8);
  body.copy(packet, 12);
  packet.writeUInt32LE(crc32c(packet), 8);
  return packet;`,
  },
  {
    reason: 'state for the coalesced SACK and for the flagged-retransmit scan',
    find: `  transmitting = false;
  transmitRequested = false;
`,
    replace: `  transmitting = false;
  transmitRequested = false;
  /** setImmediate handle of the SACK owed at the end of this event-loop turn. */
  sackSoon;
  /** A chunk in sentQueue is flagged for retransmission. */
  retransmitPending = false;
`,
  },
  {
    reason:
      'SACK every second packet, and once at the end of the event-loop turn for an odd one, instead of ' +
      'one SACK per DATA packet (sackImmediate is set for every chunk): half the SACK datagrams to build, ' +
      'encrypt, send and process. Not one per turn: a lost SACK that covered a whole window stalled a ' +
      'werift sender for its 1 s retransmission timeout (10-19 T3 expiries vs 1 in a test dropping every ' +
      '13th datagram), and Chromium ramped up slower. While TSNs are missing or duplicated a SACK goes out ' +
      'per packet as before (RFC 4960 6.2): the sender needs three miss reports to fast-retransmit',
    find: `    if (this.sackImmediate) {
      if (this.sackTimeout) {
        clearTimeout(this.sackTimeout);
        this.sackTimeout = void 0;
      }
      await this.sendSack();
      return;
    }`,
    replace: `    if (this.sackImmediate) {
      if (this.sackTimeout) {
        clearTimeout(this.sackTimeout);
        this.sackTimeout = void 0;
      }
      if (this.sackPacketCount >= 2 || this.sackMisOrdered.size > 0 || this.sackDuplicates.length > 0) {
        await this.sendSack();
        return;
      }
      if (this.sackSoon === void 0) {
        this.sackSoon = setImmediate(() => {
          this.sackSoon = void 0;
          this.sendSack().catch((err5) => {
            log30("send sack failed", err5.message);
          });
        });
      }
      return;
    }`,
  },
  {
    reason:
      'gap blocks: order TSNs by distance from the cumulative TSN (a plain sort() compares them as strings, ' +
      'which misorders them across 10^9 and 2^32 and made negative gap offsets that threw while the SACK was built)',
    find: `    [...this.sackMisOrdered].sort().forEach((tsn) => {
      const pos = (tsn - this.lastReceivedTsn) % SCTP_TSN_MODULO;`,
    replace: `    [...this.sackMisOrdered].sort(byTsnAfter(this.lastReceivedTsn)).forEach((tsn) => {
      const pos = tsnDistance(this.lastReceivedTsn, tsn);`,
  },
  {
    reason: 'a middle fragment appended in TSN order completes no message: call popMessages only when a last fragment may be waiting',
    find: `    const inboundStream = this.getInboundStream(chunk.streamId);
    inboundStream.addChunk(chunk);
    this.advertisedRwnd -= chunk.userData.length;
    for (const message of inboundStream.popMessages()) {`,
    replace: `    const inboundStream = this.getInboundStream(chunk.streamId);
    const appended = inboundStream.addChunk(chunk);
    this.advertisedRwnd -= chunk.userData.length;
    if (appended && (chunk.flags & SCTP_DATA_LAST_FRAG) === 0) return;
    for (const message of inboundStream.popMessages()) {`,
  },
  {
    reason: 'addChunk reports whether the chunk went to the end of the reassembly queue (in TSN order)',
    find: `    if (this.reassembly.length === 0 || uint32Gt(chunk.tsn, this.reassembly[this.reassembly.length - 1].tsn)) {
      this.reassembly.push(chunk);
      return;
    }`,
    replace: `    if (this.reassembly.length === 0 || uint32Gt(chunk.tsn, this.reassembly[this.reassembly.length - 1].tsn)) {
      this.reassembly.push(chunk);
      return true;
    }`,
  },
  {
    reason: 'flag the sent queue for a retransmit scan (3 misses reported by SACKs)',
    find: `            if (!this.maybeAbandon(sChunk)) {
              sChunk.retransmit = true;
            }`,
    replace: `            if (!this.maybeAbandon(sChunk)) {
              sChunk.retransmit = true;
              this.retransmitPending = true;
            }`,
  },
  {
    reason: 'ordered reassembly after a FORWARD-TSN: order TSNs by distance, not as strings',
    find: `    for (const tsn of [...this.sackMisOrdered].sort()) {`,
    replace: `    for (const tsn of [...this.sackMisOrdered].sort(byTsnAfter(this.lastReceivedTsn))) {`,
  },
  {
    reason:
      'in-order fast path for markReceived: the next TSN with nothing out of order needs no set copy, sort and ' +
      'filter per chunk; the slow path orders TSNs by distance, not as strings (a string sort stalled the ' +
      'cumulative TSN for good after a loss across 10^9 or the 2^32 wrap)',
    find: `  markReceived(tsn) {
    if (uint32Gte(this.lastReceivedTsn, tsn) || this.sackMisOrdered.has(tsn)) {
      this.sackDuplicates.push(tsn);
      return true;
    }
    this.sackMisOrdered.add(tsn);
    for (const tsn2 of [...this.sackMisOrdered].sort()) {`,
    replace: `  markReceived(tsn) {
    if (this.sackMisOrdered.size === 0 && tsn === tsnPlusOne(this.lastReceivedTsn)) {
      this.lastReceivedTsn = tsn;
      if (this.sackDuplicates.length > 0) this.sackDuplicates = [];
      return false;
    }
    if (uint32Gte(this.lastReceivedTsn, tsn) || this.sackMisOrdered.has(tsn)) {
      this.sackDuplicates.push(tsn);
      return true;
    }
    this.sackMisOrdered.add(tsn);
    for (const tsn2 of [...this.sackMisOrdered].sort(byTsnAfter(this.lastReceivedTsn))) {`,
  },
  {
    reason:
      'scan the sent queue for chunks to retransmit only when one was flagged (3 misses or T3), not on every ' +
      'SACK. The 4-chunk burst cap stays: without it, with SACKs every second packet, bigger bursts lost ' +
      'more datagrams toward Chromium and between werift peers (one interleaved run: 6-32% fewer frames/s)',
    find: `    let retransmitEarliest = true;
    for (const dataChunk of this.sentQueue) {
      if (dataChunk.retransmit) {
        if (this.fastRecoveryTransmit) {
          this.fastRecoveryTransmit = false;
        } else if (this.flightSize >= cwnd) {
          break;
        }`,
    replace: `    let retransmitEarliest = true;
    const retransmitScan = this.retransmitPending;
    this.retransmitPending = false;
    for (const dataChunk of retransmitScan ? this.sentQueue : []) {
      if (dataChunk.retransmit) {
        if (this.fastRecoveryTransmit) {
          this.fastRecoveryTransmit = false;
        } else if (this.flightSize >= cwnd) {
          this.retransmitPending = true;
          break;
        }`,
  },
  {
    reason: 'flag the sent queue for a retransmit scan (T3 timer expired)',
    find: `      if (!this.maybeAbandon(chunk)) {
        chunk.retransmit = true;
      }`,
    replace: `      if (!this.maybeAbandon(chunk)) {
        chunk.retransmit = true;
        this.retransmitPending = true;
      }`,
  },
  {
    reason:
      'DATA chunk size per association (userDataMaxLength, default 1,200 bytes as before), raised by ' +
      'setUserDataMaxLength when both ends are werift: frame rate follows packets per frame, and between two ' +
      'werift peers 16 KiB chunks carried the same frames 8-18x faster. Never toward browsers: Chromium ' +
      'aborts the association on DATA chunks over ~4,000 bytes',
    find: `  // # outbound
  cwnd = 3 * USERDATA_MAX_LENGTH;`,
    replace: `  // # outbound
  /** Largest user data this association puts in one DATA chunk. */
  userDataMaxLength = USERDATA_MAX_LENGTH;
  cwnd = 3 * USERDATA_MAX_LENGTH;`,
  },
  {
    reason:
      'the setter for the DATA chunk size, with an initial congestion window of 16 such chunks (256 KiB, two ' +
      '320x240 frames): it is only set for a path on one machine, where a 3-chunk start ramped up over ~6 s ' +
      'of slow start (cwnd-limited at 180 KB with five sessions, round trips 300-900 ms until it reached ~340 KB)',
    find: `  flightSizeIncrease(chunk) {`,
    replace: `  setUserDataMaxLength(bytes) {
    this.userDataMaxLength = bytes;
    this.cwnd = Math.max(this.cwnd, 16 * bytes);
  }
  flightSizeIncrease(chunk) {`,
  },
  {
    reason: 'fragment messages by the per-association DATA chunk size (count)',
    find: `const fragments = Math.ceil(userData.length / USERDATA_MAX_LENGTH);`,
    replace: `const fragments = Math.ceil(userData.length / this.userDataMaxLength);`,
  },
  {
    reason: 'fragment messages by the per-association DATA chunk size (slice)',
    find: `      chunk.userData = userData.slice(pos, pos + USERDATA_MAX_LENGTH);`,
    replace: `      chunk.userData = userData.slice(pos, pos + this.userDataMaxLength);`,
  },
  {
    reason: 'fragment messages by the per-association DATA chunk size (advance)',
    find: `      pos += USERDATA_MAX_LENGTH;`,
    replace: `      pos += this.userDataMaxLength;`,
  },
  {
    reason: 'slow start grows the congestion window by up to one DATA chunk per SACK (RFC 4960 7.2.1: one MTU)',
    find: `this.cwnd += Math.min(doneBytes, USERDATA_MAX_LENGTH);`,
    replace: `this.cwnd += Math.min(doneBytes, this.userDataMaxLength);`,
  },
  {
    reason: 'congestion avoidance grows the window by one DATA chunk per window (RFC 4960 7.2.2: one MTU)',
    find: `this.cwnd += USERDATA_MAX_LENGTH;`,
    replace: `this.cwnd += this.userDataMaxLength;`,
  },
  {
    reason: 'the burst cap stays 4 chunks (2 in fast recovery), counted in chunks of userDataMaxLength',
    find: `const burstSize = this.fastRecoveryExit != void 0 ? 2 * USERDATA_MAX_LENGTH : 4 * USERDATA_MAX_LENGTH;`,
    replace: `const burstSize = this.fastRecoveryExit != void 0 ? 2 * this.userDataMaxLength : 4 * this.userDataMaxLength;`,
  },
  {
    reason: 'after a loss the slow-start threshold keeps at least 4 chunks of userDataMaxLength',
    find: `      if (loss) {
        this.ssthresh = Math.max(
          Math.floor(this.cwnd / 2),
          4 * USERDATA_MAX_LENGTH
        );`,
    replace: `      if (loss) {
        this.ssthresh = Math.max(
          Math.floor(this.cwnd / 2),
          4 * this.userDataMaxLength
        );`,
  },
  {
    reason: 'after a T3 expiry: threshold at least 4 chunks, window one chunk (RFC 4960 7.2.3: one MTU)',
    find: `    this.ssthresh = Math.max(
      Math.floor(this.cwnd / 2),
      4 * USERDATA_MAX_LENGTH
    );
    this.cwnd = USERDATA_MAX_LENGTH;`,
    replace: `    this.ssthresh = Math.max(
      Math.floor(this.cwnd / 2),
      4 * this.userDataMaxLength
    );
    this.cwnd = this.userDataMaxLength;`,
  },
  {
    reason: 'TSN distance and ordering helpers (serial-number arithmetic, RFC 1982) used by the hunks above',
    find: `function tsnPlusOne(a) {
  return (a + 1) % SCTP_TSN_MODULO;
}
`,
    replace: `function tsnPlusOne(a) {
  return (a + 1) % SCTP_TSN_MODULO;
}
function tsnDistance(from, to) {
  return (to - from + SCTP_TSN_MODULO) % SCTP_TSN_MODULO;
}
function byTsnAfter(base) {
  return (a, b) => tsnDistance(base, a) - tsnDistance(base, b);
}
`,
  },
];

/** Short id of this patch; a file patched by another version of these hunks is refused, not reused. */
export const PATCH_ID = createHash('sha256').update(JSON.stringify(HUNKS)).digest('hex').slice(0, 16);

class PatchRefused extends Error {}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** werift package directories the workspaces that depend on werift resolve to (node's lookup: walk up). */
function installedWeriftDirs(repoRoot) {
  const root = readJson(join(repoRoot, 'package.json'));
  const dirs = new Set();
  for (const workspace of ['.', ...(root.workspaces ?? [])]) {
    const manifest = join(repoRoot, workspace, 'package.json');
    if (!existsSync(manifest)) continue;
    const { dependencies = {}, devDependencies = {} } = readJson(manifest);
    if (!('werift' in dependencies) && !('werift' in devDependencies)) continue;
    let dir = resolve(repoRoot, workspace);
    for (;;) {
      const candidate = join(dir, 'node_modules', 'werift');
      if (existsSync(join(candidate, 'package.json'))) {
        dirs.add(candidate);
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) throw new PatchRefused(`werift is not installed for ${workspace}; run npm ci`);
      dir = parent;
    }
  }
  if (dirs.size === 0) throw new PatchRefused('no workspace depends on werift; nothing to patch, so the patch script is stale');
  return [...dirs];
}

function applyHunks(source) {
  let text = source;
  for (const { reason, find, replace } of HUNKS) {
    const first = text.indexOf(find);
    if (first === -1 || text.indexOf(find, first + 1) !== -1) {
      throw new PatchRefused(`hunk "${reason}" does not match exactly once`);
    }
    text = text.slice(0, first) + replace + text.slice(first + find.length);
  }
  return text;
}

/** Patches (or with `check`, verifies) one werift package directory; returns what it did. */
export function patchWerift(weriftDir, { check = false } = {}) {
  const pkg = readJson(join(weriftDir, 'package.json'));
  if (pkg.version !== WERIFT_VERSION) {
    throw new PatchRefused(
      `werift ${pkg.version} is installed at ${weriftDir}, but the patch is for werift ${WERIFT_VERSION}: port the hunks in scripts/patch-werift.mjs or pin werift ${WERIFT_VERSION}`,
    );
  }
  const entry = pkg.exports?.['.']?.import;
  if (entry !== ESM_ENTRY) {
    throw new PatchRefused(`werift's ESM entry is ${String(entry)}, not ${ESM_ENTRY}; the patch would miss what Node loads`);
  }
  const file = join(weriftDir, ESM_ENTRY);
  const source = readFileSync(file, 'utf8');
  if (source.startsWith(MARKER_PREFIX)) {
    const newline = source.indexOf('\n');
    const [patchId, bodyHash] = source.slice(MARKER_PREFIX.length, newline).split(' ');
    const body = source.slice(newline + 1);
    if (patchId !== PATCH_ID) {
      throw new PatchRefused(`${file} carries patch ${patchId}, not ${PATCH_ID}; reinstall werift (npm ci) to apply the current one`);
    }
    if (sha256(body) !== bodyHash) throw new PatchRefused(`${file} was changed after it was patched; reinstall werift (npm ci)`);
    return 'already applied';
  }
  const actual = sha256(source);
  if (actual !== PRISTINE_SHA256) {
    throw new PatchRefused(`${file} does not match werift ${WERIFT_VERSION} as published (sha256 ${actual}); refusing to patch`);
  }
  if (check) throw new PatchRefused(`${file} is not patched; run node scripts/patch-werift.mjs`);
  const body = applyHunks(source);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${MARKER_PREFIX}${PATCH_ID} ${sha256(body)}\n${body}`);
  renameSync(temp, file);
  return `applied ${HUNKS.length} hunks`;
}

function main(argv) {
  const check = argv.includes('--check');
  const dirFlag = argv.indexOf('--werift-dir');
  const repoRoot = fileURLToPath(new URL('..', import.meta.url));
  try {
    const dirs = dirFlag === -1 ? installedWeriftDirs(repoRoot) : [resolve(argv[dirFlag + 1] ?? '')];
    for (const dir of dirs) {
      console.log(`patch-werift: ${patchWerift(dir, { check })} (werift ${WERIFT_VERSION}, ${join(dir, ESM_ENTRY)})`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof PatchRefused) && !(error instanceof Error && 'code' in error)) throw error;
    console.error(`patch-werift: ${error.message}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
