/**
 * msgpackr's extension types, as far as the pre-scan needs them.
 *
 * What msgpackr writes for typed arrays with `moreTypes: true`: ext type 0x74 ('t'), whose payload is one
 * subtype byte (the index into msgpackr's own `typedArrays` table in unpack.js) followed by the raw bytes.
 * Pinned here so the pre-scan can check a payload before msgpackr builds an array from it.
 */
export const TYPED_ARRAY_EXT_TYPE = 0x74;

export interface TypedArraySubtype {
  readonly name: string;
  readonly bytesPerElement: number;
}

/** Indexed by subtype byte; same order as msgpackr 2.x `typedArrays`. */
export const TYPED_ARRAY_SUBTYPES: readonly TypedArraySubtype[] = [
  { name: 'Int8Array', bytesPerElement: 1 },
  { name: 'Uint8Array', bytesPerElement: 1 },
  { name: 'Uint8ClampedArray', bytesPerElement: 1 },
  { name: 'Int16Array', bytesPerElement: 2 },
  { name: 'Uint16Array', bytesPerElement: 2 },
  { name: 'Int32Array', bytesPerElement: 4 },
  { name: 'Uint32Array', bytesPerElement: 4 },
  { name: 'Float32Array', bytesPerElement: 4 },
  { name: 'Float64Array', bytesPerElement: 8 },
  { name: 'BigInt64Array', bytesPerElement: 8 },
  { name: 'BigUint64Array', bytesPerElement: 8 },
];

/** msgpackr's fixext1 type 0 means `undefined` (notepack's convention); it is how `{ a: undefined }` travels. */
export const UNDEFINED_EXT_TYPE = 0x00;

/** Names for the extension types msgpackr knows, so a rejection says what the sender tried to send. */
const KNOWN_EXTENSIONS: ReadonlyMap<number, string> = new Map([
  [0x42, 'BigInt'],
  [0x62, 'bundled strings'],
  [0x65, 'Error'],
  [0x69, 'structured-clone reference id'],
  [0x70, 'structured-clone pointer'],
  [0x72, 'record definition'],
  [0x73, 'Set'],
  [0x78, 'RegExp'],
  [0xff, 'timestamp (Date)'],
]);

/** Subtypes of 0x74 that are not typed arrays. */
const NON_TYPED_ARRAY_SUBTYPES: ReadonlyMap<number, string> = new Map([
  [0x10, 'ArrayBuffer'],
  [0x11, 'DataView'],
]);

export function describeExtensionType(type: number): string {
  const name = KNOWN_EXTENSIONS.get(type);
  return `0x${hexByte(type)}${name === undefined ? '' : ` (${name})`}`;
}

export function describeTypedArraySubtype(subtype: number): string {
  const name = TYPED_ARRAY_SUBTYPES[subtype]?.name ?? NON_TYPED_ARRAY_SUBTYPES.get(subtype);
  return `0x${hexByte(subtype)}${name === undefined ? '' : ` (${name})`}`;
}

export function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0');
}
