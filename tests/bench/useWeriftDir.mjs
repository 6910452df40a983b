// `node --import ./tests/bench/useWeriftDir.mjs`: when REMOTEMEDIA_WERIFT_DIR names a werift package
// directory, `import ... from 'werift'` loads that copy (e.g. the pristine, unpatched one) instead of the
// installed one. The bench starts edges and echo peers this way to compare both in one run.
import { register } from 'node:module';

const dir = process.env.REMOTEMEDIA_WERIFT_DIR;
if (dir !== undefined && dir !== '') register('./weriftDirHook.mjs', { parentURL: import.meta.url, data: { dir } });
