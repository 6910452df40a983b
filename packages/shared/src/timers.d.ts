// The host timers every runtime this package targets has (browsers, Node, the edge). Declared here
// because this package compiles without DOM or Node typings, so nothing else leaks in.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
