import type { QuickJSContext, Scope } from 'quickjs-emscripten-core';
import { BadGuestArgument, type GuestViews } from './GuestViews.ts';

/** Typed arrays over one buffer, filled with known values, and numbers of each encoding. */
const PROBE = `(() => {
  const buffer = new ArrayBuffer(64);
  const bytes = new Uint8Array(buffer, 8, 16);
  for (let i = 0; i < 16; i++) bytes[i] = i + 1;
  const floats = new Float32Array(buffer, 24, 4);
  floats[3] = 1.5;
  const words = new Uint32Array(buffer, 40, 2);
  words[1] = 4000000000;
  const doubles = new Float64Array(buffer, 48, 2);
  doubles[1] = -2.25;
  return [bytes, floats, words, doubles, 7, 2.5, -1e300, buffer, new Uint8Array(0)];
})()`;

/**
 * Checks GuestViews' reading of QuickJS objects against live values the probe made, before any kernel runs: each
 * view must see exactly the probe's bytes at the probe's offsets, numbers must decode exactly, and a bare
 * ArrayBuffer must be refused. False means the layout differs (another QuickJS build): kernels then refuse to run.
 */
export function verifyGuestViews(context: QuickJSContext, views: GuestViews, scope: Scope): boolean {
  const list = scope.manage(context.unwrapResult(context.evalCode(PROBE, 'remotemedia:kernels-probe')));
  const item = (i: number) => scope.manage(context.getProp(list, i));
  const bytes = views.view(item(0), 'u8');
  const floats = views.view(item(1), 'f32');
  const words = views.view(item(2), 'u32');
  const doubles = views.view(item(3), 'f64');
  const empty = views.view(item(8), 'u8');
  if (!(bytes instanceof Uint8Array) || !(floats instanceof Float32Array) || !(words instanceof Uint32Array) || !(doubles instanceof Float64Array))
    return false;
  if (!(empty instanceof Uint8Array) || empty.length !== 0) return false;
  const base = bytes.byteOffset - 8;
  return (
    bytes.length === 16 &&
    bytes.every((b, i) => b === i + 1) &&
    floats.byteOffset === base + 24 &&
    floats.length === 4 &&
    floats[3] === 1.5 &&
    words.byteOffset === base + 40 &&
    words[1] === 4000000000 &&
    doubles.byteOffset === base + 48 &&
    doubles[1] === -2.25 &&
    views.number(item(4)) === 7 &&
    views.number(item(5)) === 2.5 &&
    views.number(item(6)) === -1e300 &&
    views.view(item(7), 'u8') instanceof BadGuestArgument &&
    views.view(item(4), 'u8') instanceof BadGuestArgument
  );
}
