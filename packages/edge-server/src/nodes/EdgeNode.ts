/**
 * A node instance a session holds on the edge: a built-in from the catalogue running natively, or a user
 * class running in a QuickJS sandbox. The session treats both the same.
 */
export interface EdgeNode {
  readonly name: string;
  /** Methods a client may `call` (besides `process` and `flush`). */
  readonly methods: readonly string[];
  readonly disposed: boolean;
  /** Outputs for one input: [] when filtered, several when the node fans out. */
  process(item: unknown): Promise<unknown[]>;
  /** What the node still holds at the end of a stream. */
  flush(): Promise<unknown[]>;
  call(method: string, args: unknown[]): Promise<unknown>;
  dispose(): Promise<void>;
}
