/**
 * The docs tables that describe transports are written by hand (they carry prose a schema
 * cannot), so this test keeps them in step with the catalog: every setting, server option and
 * endpoint of every transport is documented, and nothing documented is gone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startReferenceServer } from '../../src/server/index.js';
import { servedModules, TRANSPORTS } from '../../src/transports/catalog.js';

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string) => readFile(join(ROOT, file), 'utf8');

/** The keys a scenario may write under `transports.<name>`, from the module's own schema. */
function settingKeys(settings: z.ZodType): string[] {
  const schema = z.toJSONSchema(settings, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
  return Object.keys(schema.properties ?? {});
}

/** `transports.<name>.<key>` as the first cell of a table row. */
function documentedKeys(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `transports\.([a-z0-9-]+)\.([A-Za-z0-9]+)` \|/gm)].map((match) => `${match[1]}.${match[2]}`);
}

describe('docs and the transport catalog agree', () => {
  it('docs/scenarios.md documents every setting of every transport, and no other', async () => {
    const documented = documentedKeys(await read('docs/scenarios.md'));
    const declared = TRANSPORTS.flatMap((module) => settingKeys(module.settings).map((key) => `${module.name}.${key}`));
    expect(declared.length).toBeGreaterThan(0);
    expect(documented.sort()).toEqual(declared.sort());
  });

  it('docs/protocol.md documents every server option of every transport, and no other', async () => {
    const documented = documentedKeys(await read('docs/protocol.md'));
    const declared = servedModules().flatMap((module) => Object.keys(module.server.defaults as object).map((key) => `${module.name}.${key}`));
    expect(documented.sort()).toEqual(declared.sort());
  });

  it('docs/protocol.md has a section for every transport endpoint', async () => {
    const protocol = await read('docs/protocol.md');
    const server = await startReferenceServer();
    try {
      for (const endpoint of server.transportEndpoints) {
        const path = endpoint.pathAndQuery.split('?')[0];
        expect(protocol, path).toContain(`### ${endpoint.method} ${path}\n`);
      }
    } finally {
      await server.close();
    }
  });
});
