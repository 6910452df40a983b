import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

export type WasmImportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

/** Declared size limits of a memory (in 64 KiB pages) or a table (in entries). */
export interface WasmLimits {
  readonly initial: number;
  /** Absent when the module declares none (it could then grow to the engine's own limit). */
  readonly maximum: number | undefined;
}

export interface WasmMemoryType extends WasmLimits {
  readonly imported: boolean;
  readonly shared: boolean;
  readonly memory64: boolean;
}

export interface WasmTableType extends WasmLimits {
  readonly imported: boolean;
}

/** What a module asks of its host, read from its import, table and memory sections. */
export interface WasmShape {
  readonly imports: readonly { readonly module: string; readonly name: string; readonly kind: WasmImportKind }[];
  readonly memories: readonly WasmMemoryType[];
  readonly tables: readonly WasmTableType[];
}

const IMPORT_KINDS: readonly WasmImportKind[] = ['function', 'table', 'memory', 'global', 'tag'];
/** Longer import names are refused: they only serve to make error messages huge. */
const MAX_NAME_BYTES = 256;

function malformed(reason: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.WasmInvalidModule, `not a valid WebAssembly module: ${reason}`);
}

/**
 * Reads the import, table and memory sections of a WebAssembly binary, which is all the host needs to decide
 * whether it may instantiate it (the engine validates the rest when it compiles). Every read is bounded by the
 * section it is in; anything this reader does not understand is refused rather than guessed at.
 */
export function inspectWasm(bytes: Uint8Array): WasmShape {
  let position = 0;
  let end = bytes.length;
  const byte = (): number => {
    if (position >= end) throw malformed(`truncated at byte ${position}`);
    return bytes[position++]!;
  };
  const u32 = (): number => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw malformed(`an integer over 32 bits at byte ${position}`);
        return result;
      }
    }
    throw malformed(`an integer longer than 5 bytes at byte ${position}`);
  };
  const u64 = (): number => {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw malformed(`an integer longer than 10 bytes at byte ${position}`);
  };
  const name = (): string => {
    const length = u32();
    if (length > MAX_NAME_BYTES) throw malformed(`an import name of ${length} bytes (at most ${MAX_NAME_BYTES})`);
    if (position + length > end) throw malformed(`truncated at byte ${position}`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(position, position + length));
    position += length;
    return text;
  };
  const limits = (): { flags: number; initial: number; maximum: number | undefined } => {
    const flags = byte();
    if (flags > 0x07) throw malformed(`unknown limits flags 0x${flags.toString(16)}`);
    const read = (flags & 0x04) !== 0 ? u64 : u32;
    const initial = read();
    const maximum = (flags & 0x01) !== 0 ? read() : undefined;
    return { flags, initial, maximum };
  };
  const memoryType = (imported: boolean): WasmMemoryType => {
    const { flags, initial, maximum } = limits();
    return { imported, initial, maximum, shared: (flags & 0x02) !== 0, memory64: (flags & 0x04) !== 0 };
  };
  const tableType = (imported: boolean): WasmTableType => {
    const refType = byte();
    if (refType !== 0x70 && refType !== 0x6f) throw malformed(`a table of unsupported type 0x${refType.toString(16)}`);
    const { flags, initial, maximum } = limits();
    if ((flags & 0x06) !== 0) throw malformed('a shared or 64-bit table');
    return { imported, initial, maximum };
  };

  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw malformed('it does not start with the \\0asm magic number');
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) throw malformed('it is not version 1 of the binary format');
  position = 8;
  const imports: { module: string; name: string; kind: WasmImportKind }[] = [];
  const memories: WasmMemoryType[] = [];
  const tables: WasmTableType[] = [];
  while (position < bytes.length) {
    end = bytes.length;
    const id = byte();
    const size = u32();
    if (position + size > bytes.length) throw malformed(`section ${id} runs past the end of the module`);
    const sectionEnd = position + size;
    end = sectionEnd;
    if (id === 2) {
      for (let count = u32(), i = 0; i < count; i++) {
        const module = name();
        const field = name();
        const kindByte = byte();
        const kind = IMPORT_KINDS[kindByte];
        if (kind === undefined) throw malformed(`an import of unknown kind ${kindByte}`);
        imports.push({ module, name: field, kind });
        if (kind === 'function') u32();
        else if (kind === 'table') tables.push(tableType(true));
        else if (kind === 'memory') memories.push(memoryType(true));
        else if (kind === 'global') {
          byte();
          byte();
        } else {
          byte();
          u32();
        }
      }
    } else if (id === 4) {
      for (let count = u32(), i = 0; i < count; i++) tables.push(tableType(false));
    } else if (id === 5) {
      for (let count = u32(), i = 0; i < count; i++) memories.push(memoryType(false));
    }
    position = sectionEnd;
  }
  return { imports, memories, tables };
}
