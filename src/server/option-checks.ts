/** Range checks for server options: a bad option stops the server before it listens, with its name. */
export function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`server option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

export function checkBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`server option ${name} must be a boolean`);
}
