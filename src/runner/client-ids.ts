/** Simulated client i is `c<i>` on the server: short ids keep publish bodies small. */
export function clientId(index: number): string {
  return `c${index}`;
}
