import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

// Jest runs from the repository's root.
const ROOT = process.cwd();
const COMPLIANCE = path.join(ROOT, 'libs/compliance/src');
const ORACLE = path.join(COMPLIANCE, 'oracle');
const SKIPPED = new Set(['node_modules', 'dist', 'data', 'coverage', '.git', 'test']);

/** The source files below `dir`, tests left out (specs, e2e specs, the test folder). */
function runtimeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) return SKIPPED.has(entry) ? [] : runtimeFiles(file);
    return /\.(ts|mts|js|mjs)$/.test(entry) && !/[.-]spec\.ts$/.test(entry) ? [file] : [];
  });
}

/** What `file` imports, re-exports or requires, relative paths resolved. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)];
  return specifiers.map(([, s]) => (s.startsWith('.') ? path.resolve(path.dirname(file), s) : s));
}

const relative = (file: string) => path.relative(ROOT, file);

describe('compliance boundaries', () => {
  it('are checked from the repository root', () => {
    expect(existsSync(path.join(COMPLIANCE, 'index.ts'))).toBe(true);
  });

  it('the schedule in TypeScript is a test oracle only: no run-time file imports it', () => {
    const offenders = ['apps', 'libs', 'migrations', 'bench', 'scripts']
      .map((dir) => path.join(ROOT, dir))
      .filter(existsSync)
      .flatMap(runtimeFiles)
      .filter((file) => !file.startsWith(ORACLE + path.sep))
      .filter((file) => importsOf(file).some((target) => target === ORACLE || target.startsWith(ORACLE + path.sep)))
      .map(relative);
    expect(offenders).toEqual([]);
  });

  it('compliance imports nothing of register', () => {
    const offenders = runtimeFiles(COMPLIANCE)
      .filter((file) =>
        importsOf(file).some((target) => target === '@app/register' || target.includes(`${path.sep}libs/register`)),
      )
      .map(relative);
    expect(offenders).toEqual([]);
  });

  it("compliance's SQL reads register's facts through register's views only", () => {
    const registerTable = /\b(?:FROM|JOIN)\s+"?(?:persons|measures|check_ins|measure_suspensions|addresses)\b/gi;
    const offenders = runtimeFiles(COMPLIANCE).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(registerTable)].map(([match]) => `${relative(file)}: ${match}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the library's door opens on typed alert requests, not on the scan's SQL", () => {
    const exported = importsOf(path.join(COMPLIANCE, 'index.ts')).map(relative);
    expect(exported).toContain('libs/compliance/src/alert-raiser');
    expect(exported).not.toContain('libs/compliance/src/alert-writer');
    expect(exported.filter((file) => file.startsWith('libs/compliance/src/oracle'))).toEqual([]);
  });
});
