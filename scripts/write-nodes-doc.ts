// Writes docs/nodes.md from the catalogue itself (names, descriptions, kinds, config fields with defaults and an
// example config), so the page can never drift from the code: tests/docs/nodes-doc.test.ts compares the two.
//   npm run docs:nodes
import { writeFileSync } from 'node:fs';
import { renderNodesDoc } from '../tests/docs/renderNodesDoc.ts';

writeFileSync(new URL('../docs/nodes.md', import.meta.url), renderNodesDoc());
console.log('wrote docs/nodes.md');
