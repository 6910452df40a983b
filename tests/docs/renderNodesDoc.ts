import { listNodes, type NodeDescriptor } from '@remotemedia/shared';

const CATEGORY_TITLES: Record<string, string> = {
  general: 'General and stream health',
  audio: 'Audio',
  video: 'Video',
};

/** docs/nodes.md as the catalogue describes itself. */
export function renderNodesDoc(): string {
  const nodes = listNodes();
  const lines = [
    '# Node catalogue',
    '',
    `Every built-in node (${nodes.length}), generated from the catalogue by \`npm run docs:nodes\` (a test keeps this page`,
    'and the code in step). Each runs locally (`createNode(name, config)`) or on the edge by name',
    '(`session.node(name, config)`, or `"placement": "remote"` in a manifest); `listNodes()` returns the same',
    'descriptions with full config schemas. Frames pass through detectors unchanged, with their findings attached.',
    '',
  ];
  for (const category of Object.keys(CATEGORY_TITLES)) {
    const group = nodes.filter((node) => node.category === category);
    if (group.length === 0) continue;
    lines.push(`## ${CATEGORY_TITLES[category]}`, '');
    for (const node of group) lines.push(...describeNode(node), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function describeNode(node: NodeDescriptor): string[] {
  const fields = Object.entries(node.configSchema.properties).map(([name, field]) => {
    const range =
      'enum' in field && field.enum
        ? ` (${field.enum.join(' \\| ')})`
        : 'minimum' in field && field.minimum !== undefined
          ? ` (${field.minimum} to ${field.maximum})`
          : '';
    const fallback = 'default' in field && field.default !== undefined ? `, default \`${JSON.stringify(field.default)}\`` : '';
    return `  - \`${name}\`${range}${fallback}: ${field.description}`;
  });
  return [
    `### ${node.name}`,
    '',
    `${node.description} Takes ${node.inputKinds.join(', ')}; emits ${node.outputKinds.join(', ')}${node.remote ? '' : '; local only'}.`,
    '',
    ...(fields.length > 0 ? ['Config:', '', ...fields, ''] : []),
    node.remote
      ? `Example: \`${JSON.stringify({ node: node.name, config: node.example })}\``
      : `Example: its config holds a function, so it is made in code: \`createNode('${node.name}', { ... })\`.`,
  ];
}
