import type { Logger } from '../../log/Logger.ts';
import { buildGuestBundle, GUEST_BUNDLE_PATH, type GuestBundle } from './buildGuestBundle.ts';
import { readStoredBundle, writeStoredBundle } from './storedGuestBundle.ts';

let loaded: GuestBundle | undefined;

/**
 * The guest bundle `npm run build` wrote, once per process, checked against the sources it was built from
 * (their SHA-256: a few ms for the few dozen files, and unlike modification times it survives checkouts and
 * copies). When the file is missing or stale (a clean clone, a test run without a build, a source edited since)
 * the bundle is built here instead, written for the next process, and one log line says so: the edge never
 * runs guest code older than its own sources, and never fails to start for want of a build.
 */
export function loadGuestBundle(log: Logger): GuestBundle {
  if (loaded !== undefined) return loaded;
  const found = readStoredBundle();
  if (typeof found !== 'string') {
    loaded = { prelude: found.prelude, edgeModules: Object.freeze({ ...found.edgeModules }) };
    return loaded;
  }
  const started = Date.now();
  const built = buildGuestBundle();
  const saved = writeStoredBundle(built);
  log.info(`guest bundle ${GUEST_BUNDLE_PATH} ${found}: built it in ${Date.now() - started} ms (npm run build does this ahead of time)`, {
    ...(saved === undefined ? {} : { notSaved: saved }),
  });
  loaded = { prelude: built.prelude, edgeModules: Object.freeze({ ...built.edgeModules }) };
  return loaded;
}
