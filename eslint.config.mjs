import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'data/',
      'coverage/',
      'bench/results/',
      'bench/.work/',
      'test/console/artifacts/',
      // Generated from the served OpenAPI document (npm run openapi:write).
      'apps/console/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/*/src/**', '../../libs/**', '../../../libs/**'],
              message: 'Import libraries through their @app/<lib> alias.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/support/global-setup.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The compliance oracle is no part of the library's door; this test holds the SQL to it.
    files: ['test/compliance/sql-agrees.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The rule above, but for the oracle.
              regex: '^(?!\\.\\./\\.\\./libs/compliance/src/oracle/schedule$)(.*/)?libs/',
              message: 'Import libraries through their @app/<lib> alias.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', fetch: 'readonly' } },
  },
  prettier,
);
