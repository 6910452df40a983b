/**
 * Lowest level reported, in dBFS. Silence is -Infinity in theory, but JSON cannot carry it and
 * -120 dBFS is already below 24-bit noise.
 */
export const DB_FLOOR = -120;

export function toDecibels(linear: number): number {
  if (!(linear > 0)) return DB_FLOOR;
  return Math.max(DB_FLOOR, 20 * Math.log10(linear));
}

export function fromDecibels(db: number): number {
  return 10 ** (db / 20);
}
