// Writes the OpenAPI document the api serves at /api/docs-json to apps/api/openapi.json, without a
// database (the module graph is built in preview), then the console's types generated from it
// (apps/console/src/api/schema.d.ts, openapi-typescript). CI runs it and fails when either file changes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCUMENT = 'apps/api/openapi.json';
const SCHEMA = 'apps/console/src/api/schema.d.ts';

execFileSync(process.execPath, [join(root, 'scripts/build-if-needed.mjs')], { cwd: root, stdio: 'inherit' });
await import('reflect-metadata');
const { previewApiDocument } = await import(join(root, 'dist/apps/api/src/api-document.js'));
const document = await previewApiDocument();
// Files are rewritten only when they change: a newer source makes the next start build again.
const writeIfChanged = (path, text) => {
  if (!existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== text)
    writeFileSync(join(root, path), text);
};
writeIfChanged(DOCUMENT, `${JSON.stringify(document, null, 2)}\n`);
mkdirSync(join(root, dirname(SCHEMA)), { recursive: true });
const types = execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), DOCUMENT], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 * 1024 * 1024,
});
writeIfChanged(SCHEMA, types);
console.log(`wrote ${DOCUMENT} and ${SCHEMA}`);
process.exit(0);
