import { createHash } from 'node:crypto';

/**
 * What the edge keeps of a resume token, in memory and on disk: its SHA-256. Whoever reads the data
 * directory learns which sessions exist but cannot present a token to take one over. The token itself has
 * 192 random bits, so an unsalted hash is enough (there is nothing to guess with a dictionary).
 */
export function resumeKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
