import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

// The console is served by the api at /console; `npm run build` writes it to dist/console.
export default defineConfig({
  root: here,
  base: '/console/',
  // Vite 8 compiles TSX with oxc: React's automatic runtime, no Babel plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: `${repo}dist/console`,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  test: {
    root: repo,
    include: ['test/console/components/**/*.test.tsx'],
    environment: 'jsdom',
    setupFiles: ['test/console/components/setup.ts'],
  },
});
