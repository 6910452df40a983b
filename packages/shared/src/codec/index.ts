export { encodeMessage } from './encodeMessage.ts';
export { decodeMessage } from './decodeMessage.ts';
export { prescanMessage, type Int64Policy, type PrescanLimits } from './prescan.ts';
export { resolveLimits, MAX_SUPPORTED_DEPTH } from './resolveLimits.ts';
