import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { DEFAULT_LIMITS, type ProtocolLimits } from '../protocol/limits.ts';

/**
 * msgpackr decodes recursively, so the depth limit is also what keeps the decoder off the stack edge
 * (msgpackr #200): configuration may tighten it but not raise it past this.
 */
export const MAX_SUPPORTED_DEPTH = 1000;

/** Fills unset fields from DEFAULT_LIMITS and rejects values that would switch a limit off. */
export function resolveLimits(limits: Partial<ProtocolLimits> | undefined): Readonly<ProtocolLimits> {
  if (limits === undefined) return DEFAULT_LIMITS;
  const resolved: ProtocolLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ProtocolLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RemoteMediaError(ErrorCode.InvalidConfig, `limits.${key} must be a positive integer, got ${String(value)}`);
    }
    resolved[key] = value;
  }
  if (resolved.maxDepth > MAX_SUPPORTED_DEPTH) {
    throw new RemoteMediaError(
      ErrorCode.InvalidConfig,
      `limits.maxDepth must be at most ${MAX_SUPPORTED_DEPTH} (deeper input can overflow the decoder's stack), got ${resolved.maxDepth}`,
    );
  }
  return resolved;
}
