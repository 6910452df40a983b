import { DEFAULT_LIMITS, validateItem, type NodeClass, type NodeInput, type NodeOutput } from '@remotemedia/shared';
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
 * Each input is checked first as the edge checks a client's frame (MALFORMED_MESSAGE, FRAME_TOO_LARGE).
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
  const items: unknown[] = [...inputs];
  const maxFrameBytes = options.limits?.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes;
  items.forEach((item, i) => validateItem(item, `inputs[${i}]`, { maxFrameBytes }));
  const args: unknown[] = options.args ?? [];
  const driver =
    options.sandbox === false
      ? await openDirectNode(nodeClass, args, { maxFrameBytes, onConsole })
      : await openSandboxed(nodeClass, args, options.limits, onConsole);
  try {
    const { byInput, flushed } = await drive(driver, items, options.flush !== false);
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
async function drive(driver: NodeDriver, items: unknown[], flush: boolean): Promise<{ byInput: unknown[][]; flushed: unknown[] }> {
  if (driver.methods.includes('initialize')) await driver.call('initialize');
  const cleanup = (): Promise<unknown> => (driver.methods.includes('cleanup') ? driver.call('cleanup') : Promise.resolve());
  let result: { byInput: unknown[][]; flushed: unknown[] };
  try {
    const byInput: unknown[][] = [];
    for (const item of items) byInput.push(await driver.process(item));
    result = { byInput, flushed: flush ? await driver.flush() : [] };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  await cleanup();
  return result;
}
