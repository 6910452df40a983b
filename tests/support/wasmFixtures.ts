import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

/** Folder of the WebAssembly fixtures: .wat sources checked in, .wasm binaries built from them here. */
export const WASM_FIXTURES = new URL('../fixtures/wasm/', import.meta.url);

/** Bytes that start like a module and then stop making sense: V8 refuses to compile them. */
export const MALFORMED_WASM = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0x00]);

/** Compiles WAT text with wabt (from npm) into a binary. */
export async function watToWasm(name: string, text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat(name, text);
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/**
 * Builds every fixture binary from its .wat source (and malformed.wasm from MALFORMED_WASM) next to it. Never a
 * checked-in binary: each test run compiles its own. Written through a rename, so test files building at the
 * same time never see half a file.
 */
export async function buildWasmFixtures(): Promise<void> {
  const dir = fileURLToPath(WASM_FIXTURES);
  const write = (name: string, bytes: Uint8Array): void => {
    const temporary = `${dir}${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, `${dir}${name}`);
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.wat'))) {
    write(file.replace(/\.wat$/, '.wasm'), await watToWasm(file, readFileSync(`${dir}${file}`, 'utf8')));
  }
  write('malformed.wasm', MALFORMED_WASM);
}
