// Builds before `npm start` and `npm run cli` when the compiled output is missing or older than a source file.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = 'dist/.build-stamp';
const SOURCES = ['apps', 'libs', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, entry) => Math.max(max, newest(join(path, entry))), stat.mtimeMs);
}

const built = existsSync(MARKER) ? statSync(MARKER).mtimeMs : 0;
// The console (vite) is part of the build: a missing one is built too.
const changed =
  !existsSync('dist/console/index.html') || SOURCES.filter(existsSync).some((path) => newest(path) > built);
if (changed) {
  process.stderr.write('Building the register (first start or sources changed)...\n');
  execSync('npm run build --silent', { stdio: 'inherit' });
}
