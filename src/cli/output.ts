/** Where the CLI writes: data to stdout, everything for people (tables, progress, problems) to stderr. */
export interface Output {
  data(line: string): void;
  error(line: string): void;
}

export const processOutput: Output = {
  data: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};
