import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNodesDoc } from './renderNodesDoc.ts';

describe('docs/nodes.md', () => {
  it('is what the catalogue says of itself (run `npm run docs:nodes` after changing a node)', () => {
    expect(readFileSync(new URL('../../docs/nodes.md', import.meta.url), 'utf8')).toBe(renderNodesDoc());
  });
});
