// Request correlation alone, for code that needs nothing else of this package (the edge's sandbox pool).
export { PendingRequests, type WaitOptions } from './PendingRequests.ts';
