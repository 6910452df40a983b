import { PRELUDE_BUDGET_MS } from './GuestDeadline.ts';

/** Watchdog budget for instantiating a WASM instance and running the prelude, beyond the guest's own limit. */
export const CREATE_OVERHEAD_MS = PRELUDE_BUDGET_MS + 2000;
/**
 * Watchdog budget for loading a worker's video codecs (sharp's native addon, mozjpeg's WASM compiled and
 * instantiated): well under a second on an idle machine, measured over 2.5 s at a load average of 18.
 */
export const CODEC_LOAD_BUDGET_MS = 20_000;
/** Watchdog budget for marshaling, error description and console draining around a call. */
export const CALL_OVERHEAD_MS = 500;
