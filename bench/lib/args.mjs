/** `--name value` and `--name=value` flags of the bench scripts (after `npm run bench:x --`). */
export function parseFlags(argv, known) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}; flags: ${known.map((k) => `--${k}`).join(', ')}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (!known.includes(name)) throw new Error(`unknown flag --${name}; flags: ${known.map((k) => `--${k}`).join(', ')}`);
    flags[name] = inline ?? argv[++i];
    if (flags[name] === undefined) throw new Error(`--${name} needs a value`);
  }
  return flags;
}

export function numberList(text, what) {
  const values = text.split(',').map((v) => Number(v.trim().replace(/_/g, '')));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`--${what} ${JSON.stringify(text)}: give whole numbers, e.g. 1000,10000`);
  return values;
}

export function positiveNumber(text, what) {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${what} ${JSON.stringify(text)}: give a positive number`);
  return value;
}
