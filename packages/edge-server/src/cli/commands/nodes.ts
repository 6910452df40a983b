import { listNodes, type NodeDescriptor } from '@remotemedia/shared';
import type { Command } from '../Command.ts';
import { EXIT_OK } from '../io/exitCodes.ts';
import { formatTable } from '../io/formatTable.ts';
import { parseCommandArgs } from '../io/parseCommandArgs.ts';
import { reportErrors } from '../io/reportErrors.ts';

export const nodesCommand: Command = {
  name: 'nodes',
  summary: 'list the built-in nodes a pipeline manifest can use',
  usage: `remotemedia-edge nodes [--json]

Lists the node catalogue: name, the kinds of item each node takes and emits, whether it can be placed
"remote", and what it does.

  --json   print the full descriptors (config schemas with defaults) as JSON: the same data the SDK's
           session.listNodes() returns
`,
  run(args, io) {
    return reportErrors('nodes', io, async () => {
      const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, { names: [] });
      const nodes = listNodes();
      io.out(values.json ? `${JSON.stringify(nodes, null, 2)}\n` : `${nodeTable(nodes)}\n`);
      return EXIT_OK;
    });
  },
};

function nodeTable(nodes: readonly NodeDescriptor[]): string {
  return formatTable(
    ['NAME', 'KINDS', 'REMOTE', 'DESCRIPTION'],
    nodes.map((node) => [node.name, `${node.inputKinds.join('|')} -> ${node.outputKinds.join('|')}`, node.remote ? 'yes' : 'no', node.description]),
  );
}
