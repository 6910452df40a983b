import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { PIXEL_FORMATS, videoFrameByteLength, type PixelFormat } from '../frames/VideoFrameData.ts';
import { DEFAULT_LIMITS, type ProtocolLimits } from './limits.ts';
import type { ClientMessage, EdgeMessage } from './messages.ts';
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

function arr(o: Obj, key: string, path: string): unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) fail(`${path}.${key}`, 'an array', value);
  return value;
}

/** Checks a frame-shaped item; anything that is not `kind: 'video' | 'audio'` is data and passes as is. */
export function validateItem(item: unknown, path: string, limits: Pick<ProtocolLimits, 'maxFrameBytes'>): unknown {
  if (!isObject(item) || (item.kind !== 'video' && item.kind !== 'audio')) return item;
  if (item.kind === 'video') {
    const width = uint(item, 'width', path);
    const height = uint(item, 'height', path);
    num(item, 'timestamp', path);
    const format = item.format;
    if (typeof format !== 'string' || !PIXEL_FORMATS.includes(format as PixelFormat)) {
      fail(`${path}.format`, `one of ${PIXEL_FORMATS.join(', ')}`, format);
    }
    const data = item.data;
    if (!(data instanceof Uint8Array)) fail(`${path}.data`, 'bytes (Uint8Array)', data);
    if (data.byteLength > limits.maxFrameBytes) {
      throw new RemoteMediaError(
        ErrorCode.FrameTooLarge,
        `${path} is ${data.byteLength} bytes; this edge accepts frames up to ${limits.maxFrameBytes} bytes`,
      );
    }
    const expected = videoFrameByteLength(format as PixelFormat, width, height);
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
  if (samples.byteLength > limits.maxFrameBytes) {
    throw new RemoteMediaError(
      ErrorCode.FrameTooLarge,
      `${path} is ${samples.byteLength} bytes; this edge accepts frames up to ${limits.maxFrameBytes} bytes`,
    );
  }
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
      break;
    case 'deploy':
      uint(m, 'id', path);
      str(m, 'nodeId', path, 128);
      str(m, 'packageId', path, 64);
      if (m.pkg !== undefined) validatePackage(m.pkg, `${path}.pkg`);
      if (m.ctorArgs !== undefined) arr(m, 'ctorArgs', path);
      if (m.state !== undefined) obj(m.state, `${path}.state`);
      if (m.persist !== undefined && typeof m.persist !== 'boolean') fail(`${path}.persist`, 'a boolean', m.persist);
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
      validateItem(m.item, `${path}.item`, frameLimits);
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
      break;
    case 'answer':
      str(m, 'sdp', path, 64 * 1024);
      break;
    case 'reply':
      uint(m, 'id', path);
      break;
    case 'output':
      str(m, 'nodeId', path, 128);
      uint(m, 'seq', path);
      arr(m, 'items', path);
      break;
    case 'error':
      errorPayload(m, path);
      break;
    case 'dropped':
      str(m, 'nodeId', path, 128);
      uint(m, 'seq', path);
      str(m, 'reason', path, 1024);
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
