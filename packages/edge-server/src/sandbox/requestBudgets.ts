import { PRELUDE_BUDGET_MS } from './GuestDeadline.ts';

/** Watchdog budget for instantiating a WASM instance and running the prelude, beyond the guest's own limit. */
export const CREATE_OVERHEAD_MS = PRELUDE_BUDGET_MS + 2000;
/** Watchdog budget for marshaling, error description and console draining around a call. */
export const CALL_OVERHEAD_MS = 500;
