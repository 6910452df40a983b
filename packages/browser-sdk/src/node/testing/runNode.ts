import { DEFAULT_LIMITS, validateItem, type NodeClass, type NodeInput, type NodeOutput } from '@remotemedia/shared';
import { crossWire } from './crossWire.ts';
import { packRemoteTarget } from '../../remote/packRemoteTarget.ts';
import { nodeModuleSupport } from '../nodeModuleSupport.ts';
import { loadSandboxTesting } from './loadSandboxTesting.ts';
import type { ConsoleLine, NodeDriver, RunNodeLimits } from './NodeDriver.ts';
import { openDirectNode } from './openDirectNode.ts';

export interface RunNodeOptions<A extends unknown[] = unknown[]> {
  /**
   * true (the default): pack the class as `session.remote` does and run it in the edge's real QuickJS sandbox,
   * in this process (needs @remotemedia/edge-server installed). false: run the class itself in this process's V8.
   */
  sandbox?: boolean;
  /** Constructor arguments (plain data, copied as a deploy copies them). */
  args?: A;
  /** The sandbox's limits; unset ones are the edge's defaults. Only the sandbox enforces them. */
  limits?: Partial<RunNodeLimits>;
  /** Call `flush` after the last input, as a Pipeline does when its input ends (default true). */
  flush?: boolean;
  /** Told each console line as the node writes it, also before a failure rejects `runNode`. */
  onConsole?: (line: ConsoleLine) => void;
}

export interface RunNodeResult<O> {
  /** Every output in order: those of each input, then those of `flush`. */
  outputs: O[];
  /** `byInput[i]`: what `process(inputs[i])` produced (empty when it filtered the input). */
  byInput: O[][];
  /** What `flush` produced. */
  flushed: O[];
  /** What the node wrote to its console, in order. */
  console: ConsoleLine[];
}

/**
 * Runs a node class over `inputs` and returns what it produced, with no edge process: the same lifecycle a
 * Pipeline gives it (constructor, `initialize`, `process` per input, `flush`, `cleanup`), and the errors a
 * session would report (a RemoteError with the edge's code: USER_ERROR, SANDBOX_TIMEOUT, INVALID_OUTPUT...).
 * Constructor arguments, inputs and outputs cross the wire codec as they do between a client and the edge (only
 * plain data and typed arrays; anything else fails as INVALID_INPUT), and each input is then checked as the edge
 * checks a client's frame (MALFORMED_MESSAGE, FRAME_TOO_LARGE).
 */
export async function runNode<C extends NodeClass>(
  nodeClass: C,
  inputs: Iterable<NodeInput<C>>,
  options: RunNodeOptions<ConstructorParameters<C>> = {},
): Promise<RunNodeResult<NodeOutput<C>>> {
  const lines: ConsoleLine[] = [];
  const onConsole = (line: ConsoleLine): void => {
    lines.push(line);
    options.onConsole?.(line);
  };
  const maxFrameBytes = options.limits?.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes;
  const maxMessageBytes = options.limits?.maxResultBytes ?? DEFAULT_LIMITS.maxMessageBytes;
  const items = [...inputs].map((item, i) => validateItem(crossWire(item, maxMessageBytes), `inputs[${i}]`, { maxFrameBytes }));
  const args = crossWire<unknown[]>(options.args ?? [], maxMessageBytes);
  const driver =
    options.sandbox === false
      ? await openDirectNode(nodeClass, args, { maxFrameBytes, onConsole })
      : await openSandboxed(nodeClass, args, options.limits, onConsole);
  try {
    const { byInput, flushed } = await drive(driver, items, options.flush !== false, maxMessageBytes);
    return {
      outputs: [...byInput.flat(), ...flushed] as NodeOutput<C>[],
      byInput: byInput as NodeOutput<C>[][],
      flushed: flushed as NodeOutput<C>[],
      console: lines,
    };
  } finally {
    await driver.close();
  }
}

/** Packs the class exactly as `session.remote` does, and opens it in the edge's sandbox. */
async function openSandboxed(
  nodeClass: NodeClass,
  args: unknown[],
  limits: Partial<RunNodeLimits> | undefined,
  onConsole: (line: ConsoleLine) => void,
): Promise<NodeDriver> {
  const { pkg, options } = await packRemoteTarget(nodeClass, args, nodeModuleSupport());
  const testing = await loadSandboxTesting();
  return testing.openSandboxNode({ pkg, ctorArgs: options.ctorArgs ?? [], limits, onConsole });
}

/** The Pipeline's lifecycle for one node: cleanup also runs after a failure, whose error wins over cleanup's. */
async function drive(
  driver: NodeDriver,
  items: unknown[],
  flush: boolean,
  maxMessageBytes: number,
): Promise<{ byInput: unknown[][]; flushed: unknown[] }> {
  const received = (outputs: unknown[], method: string): unknown[] => crossWire(outputs, maxMessageBytes, { nodeName: driver.nodeName, method });
  if (driver.methods.includes('initialize')) await driver.call('initialize');
  const cleanup = (): Promise<unknown> => (driver.methods.includes('cleanup') ? driver.call('cleanup') : Promise.resolve());
  let result: { byInput: unknown[][]; flushed: unknown[] };
  try {
    const byInput: unknown[][] = [];
    for (const item of items) byInput.push(received(await driver.process(item), 'process'));
    result = { byInput, flushed: flush ? received(await driver.flush(), 'flush') : [] };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  await cleanup();
  return result;
}
