/** Simulated client i is `c<i>` on the server: short ids keep publish bodies small. */
export function clientId(index: number): string {
  return `c${index}`;
}

/** The index of client `c<i>`; NaN for an id of another form. */
export function clientIndexOf(id: string): number {
  return id.startsWith('c') ? Number(id.slice(1)) : Number.NaN;
}

/**
 * The server process that holds client i of a sharded reference server: round robin, so that
 * every process gets its share of each part of the connect ramp and of each client process.
 */
export function serverProcessOf(index: number, processes: number): number {
  return index % processes;
}
