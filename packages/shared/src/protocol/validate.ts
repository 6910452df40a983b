import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { hasJpegMagic } from '../frames/jpegHeader.ts';
import { isVideoEncoding } from '../frames/VideoEncoding.ts';
import { PIXEL_FORMATS, videoFrameByteLength, type PixelFormat } from '../frames/VideoFrameData.ts';
import { DEFAULT_LIMITS, type ProtocolLimits } from './limits.ts';
import {
  DEFAULT_SCTP_CHUNK_BYTES,
  DROP_CAUSES,
  MAX_FRAME_DEADLINE_MS,
  MAX_SCTP_CHUNK_BYTES,
  type ClientMessage,
  type DropCause,
  type EdgeMessage,
} from './messages.ts';
import type { NodePackage } from './NodePackage.ts';
import { PROTOCOL_VERSION } from './version.ts';

/**
 * Boundary validation: decoded msgpack is `unknown` until these functions say otherwise. Every failure is a
 * MALFORMED_MESSAGE (or a size code) whose text names the field, so a client author can fix their side.
 */

type Obj = Record<string, unknown>;

/** Client-sent text in an error (a value, a map key in a path) is cut short: replies and log lines stay small. */
function shown(got: unknown): string {
  return got === undefined
    ? 'nothing'
    : typeof got === 'string'
      ? JSON.stringify(got.slice(0, 40))
      : typeof got === 'number'
        ? String(got)
        : typeof got;
}

function fail(path: string, expected: string, got: unknown): never {
  const where = path.length > 200 ? `${path.slice(0, 200)}...` : path;
  throw new RemoteMediaError(ErrorCode.MalformedMessage, `${where} must be ${expected}, got ${shown(got)}`);
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function obj(value: unknown, path: string): Obj {
  if (!isObject(value)) fail(path, 'an object', value);
  return value;
}

function str(o: Obj, key: string, path: string, maxLength = 256): string {
  const value = o[key];
  if (typeof value !== 'string' || value.length > maxLength) {
    fail(`${path}.${key}`, `a string of at most ${maxLength} characters`, value);
  }
  return value;
}

function optStr(o: Obj, key: string, path: string, maxLength = 256): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, path, maxLength);
}

function uint(o: Obj, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(`${path}.${key}`, 'a non-negative integer', value);
  }
  return value;
}

function num(o: Obj, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${path}.${key}`, 'a finite number', value);
  return value;
}

function optNum(o: Obj, key: string, path: string): void {
  if (o[key] !== undefined) num(o, key, path);
}

/** A node's frame deadline: whole ms up to MAX_FRAME_DEADLINE_MS, or absent. */
function optDeadline(o: Obj, path: string): void {
  if (o.deadlineMs === undefined) return;
  const value = uint(o, 'deadlineMs', path);
  if (value > MAX_FRAME_DEADLINE_MS) fail(`${path}.deadlineMs`, `at most ${MAX_FRAME_DEADLINE_MS} (ms; 0 turns the deadline off)`, value);
}

/**
 * `sctpChunks` of an offer or answer, when present: a version (a positive integer; the receiver acts only on
 * one it knows) and a chunk size WebRTC peers can carry in one DTLS record.
 */
function optSctpChunks(o: Obj, path: string): void {
  if (o.sctpChunks === undefined) return;
  const chunks = obj(o.sctpChunks, `${path}.sctpChunks`);
  if (uint(chunks, 'version', `${path}.sctpChunks`) < 1) fail(`${path}.sctpChunks.version`, 'a positive integer', chunks.version);
  const bytes = uint(chunks, 'maxBytes', `${path}.sctpChunks`);
  if (bytes < DEFAULT_SCTP_CHUNK_BYTES || bytes > MAX_SCTP_CHUNK_BYTES) {
    fail(`${path}.sctpChunks.maxBytes`, `an integer from ${DEFAULT_SCTP_CHUNK_BYTES} to ${MAX_SCTP_CHUNK_BYTES} (bytes)`, bytes);
  }
}

/** The edge's per-frame timing: non-negative ms per stage. */
function optTiming(o: Obj, path: string): void {
  if (o.timing === undefined) return;
  const timing = obj(o.timing, `${path}.timing`);
  const stage = (key: string): void => {
    if (num(timing, key, `${path}.timing`) < 0) fail(`${path}.timing.${key}`, 'a non-negative number', timing[key]);
  };
  stage('queueMs');
  stage('nodeMs');
  for (const key of ['decodeMs', 'encodeMs']) if (timing[key] !== undefined) stage(key);
}

function arr(o: Obj, key: string, path: string): unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) fail(`${path}.${key}`, 'an array', value);
  return value;
}

function pixelFormat(o: Obj, path: string): PixelFormat {
  const format = o.format;
  if (typeof format !== 'string' || !PIXEL_FORMATS.includes(format as PixelFormat)) {
    fail(`${path}.format`, `one of ${PIXEL_FORMATS.join(', ')}`, format);
  }
  return format as PixelFormat;
}

function checkPayloadSize(payload: ArrayBufferView, path: string, limits: Pick<ProtocolLimits, 'maxFrameBytes'>): void {
  if (payload.byteLength > limits.maxFrameBytes) {
    throw new RemoteMediaError(
      ErrorCode.FrameTooLarge,
      `${path} is ${payload.byteLength} bytes; this edge accepts frames up to ${limits.maxFrameBytes} bytes`,
    );
  }
}

function frameBytes(o: Obj, path: string, limits: Pick<ProtocolLimits, 'maxFrameBytes'>): Uint8Array {
  const data = o.data;
  if (!(data instanceof Uint8Array)) fail(`${path}.data`, 'bytes (Uint8Array)', data);
  checkPayloadSize(data, path, limits);
  return data;
}

/**
 * A compressed frame: bounded before anything decodes it. The decoder's output (RGBA at the declared size) must
 * fit the frame limit; that the stream really decodes to that size is checked where it is decoded.
 */
function validateEncodedVideo(item: Obj, path: string, limits: Pick<ProtocolLimits, 'maxFrameBytes'>): Obj {
  if (item.codec !== 'jpeg') fail(`${path}.codec`, '"jpeg"', item.codec);
  const width = uint(item, 'width', path);
  const height = uint(item, 'height', path);
  if (width === 0 || height === 0) fail(`${path}.width`, 'a positive size', `${width}x${height}`);
  num(item, 'timestamp', path);
  pixelFormat(item, path);
  const decodedBytes = width * height * 4;
  if (decodedBytes > limits.maxFrameBytes) {
    throw new RemoteMediaError(
      ErrorCode.FrameTooLarge,
      `${path} declares ${width}x${height}, ${decodedBytes} bytes once decoded; this edge accepts frames up to ${limits.maxFrameBytes} bytes`,
    );
  }
  const data = frameBytes(item, path, limits);
  if (!hasJpegMagic(data)) fail(`${path}.data`, 'a JPEG (starting FF D8 FF)', `${data.byteLength} bytes of something else`);
  return item;
}

/** Checks a frame-shaped item; anything that is not `kind: 'video' | 'encoded-video' | 'audio'` is data and passes as is. */
export function validateItem(item: unknown, path: string, limits: Pick<ProtocolLimits, 'maxFrameBytes'>): unknown {
  if (!isObject(item) || (item.kind !== 'video' && item.kind !== 'audio' && item.kind !== 'encoded-video')) return item;
  if (item.kind === 'encoded-video') return validateEncodedVideo(item, path, limits);
  if (item.kind === 'video') {
    const width = uint(item, 'width', path);
    const height = uint(item, 'height', path);
    num(item, 'timestamp', path);
    const format = pixelFormat(item, path);
    const data = frameBytes(item, path, limits);
    const expected = videoFrameByteLength(format, width, height);
    if (data.byteLength !== expected) {
      fail(`${path}.data`, `${expected} bytes for a ${width}x${height} ${format} frame`, `${data.byteLength} bytes`);
    }
    return item;
  }
  num(item, 'sampleRate', path);
  const channels = uint(item, 'channels', path);
  num(item, 'timestamp', path);
  const samples = item.samples;
  if (!(samples instanceof Float32Array)) fail(`${path}.samples`, 'a Float32Array', samples);
  checkPayloadSize(samples, path, limits);
  if (channels === 0 || samples.length % channels !== 0) {
    fail(`${path}.samples`, `a whole number of ${channels}-channel sample frames`, `${samples.length} samples`);
  }
  return item;
}

function validatePackage(value: unknown, path: string): NodePackage {
  const pkg = obj(value, path);
  str(pkg, 'id', path, 64);
  const manifest = obj(pkg.manifest, `${path}.manifest`);
  str(manifest, 'entry', `${path}.manifest`, 1024);
  str(manifest, 'exportName', `${path}.manifest`);
  const modules = arr(manifest, 'modules', `${path}.manifest`);
  modules.forEach((m, i) => {
    const mod = obj(m, `${path}.manifest.modules[${i}]`);
    str(mod, 'path', `${path}.manifest.modules[${i}]`, 1024);
    uint(mod, 'size', `${path}.manifest.modules[${i}]`);
    str(mod, 'sha256', `${path}.manifest.modules[${i}]`, 64);
    const imports = obj(mod.imports, `${path}.manifest.modules[${i}].imports`);
    for (const [specifier, target] of Object.entries(imports)) {
      if (typeof target !== 'string') fail(`${path}.manifest.modules[${i}].imports[${JSON.stringify(specifier)}]`, 'a string', target);
    }
  });
  const sources = obj(pkg.sources, `${path}.sources`);
  for (const [modulePath, source] of Object.entries(sources)) {
    if (typeof source !== 'string') fail(`${path}.sources[${JSON.stringify(modulePath)}]`, 'a string', source);
  }
  return pkg as unknown as NodePackage;
}

function checkVersion(o: Obj, path: string): void {
  if (o.v !== PROTOCOL_VERSION) {
    throw new RemoteMediaError(
      ErrorCode.UnsupportedVersion,
      `${path} speaks protocol version ${shown(o.v)}; this side speaks ${PROTOCOL_VERSION}. Update the SDK or the edge so both match.`,
    );
  }
}

/** Validates a decoded message from a client. */
export function parseClientMessage(value: unknown, limits: Partial<ProtocolLimits> = {}): ClientMessage {
  const frameLimits = { maxFrameBytes: limits.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes };
  const m = obj(value, 'message');
  checkVersion(m, 'message');
  const type = m.type;
  const path = `${String(type)} message`;
  switch (type) {
    case 'hello':
      str(m, 'sdkVersion', path, 64);
      optStr(m, 'resumeToken', path, 128);
      if (m.redirected !== undefined && typeof m.redirected !== 'boolean') fail(`${path}.redirected`, 'a boolean', m.redirected);
      break;
    case 'offer':
      str(m, 'sdp', path, 64 * 1024);
      optSctpChunks(m, path);
      break;
    case 'deploy':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      str(m, 'packageId', path, 64);
      if (m.pkg !== undefined) validatePackage(m.pkg, `${path}.pkg`);
      if (m.ctorArgs !== undefined) arr(m, 'ctorArgs', path);
      if (m.state !== undefined) obj(m.state, `${path}.state`);
      if (m.persist !== undefined && typeof m.persist !== 'boolean') fail(`${path}.persist`, 'a boolean', m.persist);
      optDeadline(m, path);
      break;
    case 'snapshot':
    case 'save':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      break;
    case 'create':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      str(m, 'name', path, 128);
      optDeadline(m, path);
      break;
    case 'flush':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      break;
    case 'list-nodes':
      uint(m, 'id', path);
      break;
    case 'frame':
      str(m, 'nodeId', path, 128);
      uint(m, 'seq', path);
      optNum(m, 'capturedAt', path);
      validateItem(m.item, `${path}.item`, frameLimits);
      if (m.outputEncoding !== undefined && !isVideoEncoding(m.outputEncoding)) {
        fail(`${path}.outputEncoding`, '{ codec: "raw" } or { codec: "jpeg", quality: 0..1 }', m.outputEncoding);
      }
      break;
    case 'call':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      str(m, 'method', path, 128);
      arr(m, 'args', path);
      break;
    case 'dispose':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      break;
    case 'ping':
      uint(m, 'id', path);
      num(m, 't', path);
      break;
    case 'bye':
      break;
    default:
      fail('message.type', 'one of hello, offer, deploy, create, flush, list-nodes, snapshot, save, frame, call, dispose, bye, ping', type);
  }
  return m as unknown as ClientMessage;
}

/** The edge's STUN/TURN list: a handful of short strings, handed to the browser's RTCPeerConnection as is. */
function iceServerList(m: Obj, path: string): void {
  const list = arr(m, 'iceServers', path);
  if (list.length > 32) fail(`${path}.iceServers`, 'at most 32 servers', list);
  list.forEach((entry, i) => {
    const server = obj(entry, `${path}.iceServers[${i}]`);
    const urls = server.urls;
    const all = Array.isArray(urls) ? urls : [urls];
    if (all.length === 0 || all.length > 16 || !all.every((url) => typeof url === 'string' && url.length <= 1024)) {
      fail(`${path}.iceServers[${i}].urls`, 'a URL string or a list of 1 to 16 of them', urls);
    }
    optStr(server, 'username', `${path}.iceServers[${i}]`, 1024);
    optStr(server, 'credential', `${path}.iceServers[${i}]`, 1024);
  });
}

function errorPayload(o: Obj, path: string): void {
  const e = obj(o.error, `${path}.error`);
  str(e, 'code', `${path}.error`, 64);
  str(e, 'message', `${path}.error`, 64 * 1024);
}

/** Validates a decoded message from the edge. The SDK trusts the edge less than fully: a bad edge must not crash a page. */
export function parseEdgeMessage(value: unknown): EdgeMessage {
  const m = obj(value, 'message');
  checkVersion(m, 'message');
  const type = m.type;
  const path = `${String(type)} message`;
  switch (type) {
    case 'welcome':
      str(m, 'sessionId', path, 128);
      str(m, 'serverVersion', path, 64);
      str(m, 'resumeToken', path, 128);
      obj(m.limits, `${path}.limits`);
      arr(m, 'nodes', path);
      if (m.iceServers !== undefined) iceServerList(m, path);
      optNum(m, 'edgeTime', path);
      if (m.frameDeadlineMs !== undefined) uint(m, 'frameDeadlineMs', path);
      if (m.videoCodecs !== undefined) {
        const codecs = arr(m, 'videoCodecs', path);
        if (codecs.length > 16 || !codecs.every((codec) => typeof codec === 'string' && codec.length <= 32)) {
          fail(`${path}.videoCodecs`, 'a list of at most 16 codec names', codecs);
        }
      }
      break;
    case 'answer':
      str(m, 'sdp', path, 64 * 1024);
      optSctpChunks(m, path);
      break;
    case 'reply':
      uint(m, 'id', path);
      break;
    case 'output':
      str(m, 'nodeId', path, 128);
      uint(m, 'seq', path);
      arr(m, 'items', path);
      optTiming(m, path);
      break;
    case 'error':
      errorPayload(m, path);
      break;
    case 'dropped':
      str(m, 'nodeId', path, 128);
      uint(m, 'seq', path);
      str(m, 'reason', path, 1024);
      if (m.cause !== undefined && !DROP_CAUSES.includes(m.cause as DropCause)) fail(`${path}.cause`, `one of ${DROP_CAUSES.join(', ')}`, m.cause);
      break;
    case 'console':
      str(m, 'nodeId', path, 128);
      str(m, 'nodeName', path, 256);
      str(m, 'level', path, 8);
      str(m, 'text', path, 64 * 1024);
      break;
    case 'node-restored':
      str(m, 'nodeId', path, 128);
      str(m, 'nodeName', path, 256);
      str(m, 'state', path, 16);
      str(m, 'reason', path, 1024);
      break;
    case 'pong':
      uint(m, 'id', path);
      num(m, 't', path);
      optNum(m, 'edgeTime', path);
      break;
    case 'redirect': {
      const url = str(m, 'url', path, 2048);
      if (!/^https?:\/\//.test(url)) fail(`${path}.url`, 'an http or https URL', url);
      if (m.reason !== 'least-loaded' && m.reason !== 'draining') fail(`${path}.reason`, "'least-loaded' or 'draining'", m.reason);
      break;
    }
    default:
      fail('message.type', 'a known edge message type', type);
  }
  return m as unknown as EdgeMessage;
}
