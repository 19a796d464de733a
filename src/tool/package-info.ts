import { readFileSync } from 'node:fs';

/** Name and version from package.json, which sits two levels above both src/tool and dist/tool. */
export const packageInfo: { name: string; version: string } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
