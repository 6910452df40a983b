import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edgeProcess.ts';

/** Documents whose code must run as written: each TypeScript or JavaScript block is a file the tests run. */
const DOCS = ['README.md', 'docs/writing-nodes.md'];
/** Fences that hold code; `text` (diagrams) and `sh` (commands) blocks are not included files. */
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'tsx', 'jsx']);
const MARKER = /^<!-- example: (\S+) -->$/;

interface Block {
  doc: string;
  line: number;
  language: string;
  body: string;
  /** The file the marker line right above the fence names. */
  file: string | undefined;
}

function blocks(doc: string): Block[] {
  const lines = readFileSync(join(repoRoot, doc), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`${doc}:${i + 1}: the code block never closes`);
    found.push({ doc, line: i + 1, language: open[1]!, body: lines.slice(i + 1, end).join('\n'), file: MARKER.exec(lines[i - 1] ?? '')?.[1] });
    i = end;
  }
  return found;
}

const all = DOCS.flatMap(blocks);

describe('code in the README and the node guide is files that the tests run', () => {
  it('gives every code block a file (<!-- example: path --> right above it)', () => {
    const unmarked = all.filter((b) => CODE_LANGUAGES.has(b.language) && b.file === undefined).map((b) => `${b.doc}:${b.line}`);
    expect(unmarked).toEqual([]);
  });

  it('shows each file exactly as it is', () => {
    const marked = all.filter((b) => b.file !== undefined);
    expect(marked.length).toBeGreaterThan(10);
    for (const block of marked) {
      const path = join(repoRoot, block.file!);
      expect(existsSync(path), `${block.doc}:${block.line} names ${block.file}, which does not exist`).toBe(true);
      expect(block.body, `${block.doc}:${block.line} differs from ${block.file}; copy the file into the block`).toBe(
        readFileSync(path, 'utf8').replace(/\n$/, ''),
      );
    }
  });

  it('shows every file of examples/guide in the guide', () => {
    const guideDir = join(repoRoot, 'examples/guide');
    const files = (readdirSync(guideDir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => relative(repoRoot, join(guideDir, f)))
      .sort();
    const shown = all.filter((b) => b.doc === 'docs/writing-nodes.md' && b.file !== undefined).map((b) => b.file);
    expect(files.filter((f) => !shown.includes(f))).toEqual([]);
  });
});
