import type { RawData } from 'ws';

/**
 * The text of a ws message. ws hands over a Buffer (its default binaryType, which push-bench
 * keeps), but its type also allows an ArrayBuffer or the list of a message's fragments; each is
 * decoded as UTF-8 rather than stringified as an object.
 */
export function rawDataText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
