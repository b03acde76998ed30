// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'test/histories/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // Migrations take Kysely<any> so they stay frozen in time, whatever the schema types become.
    files: ['db/migrations/**/*.ts', 'db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Workflows are replayed deterministically in a sandbox: no I/O, no Node built-ins, activity types only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'workflows must not use Node built-ins' },
            { group: ['../db/*', '../api/*', '../emails/*', '../temporal/*'], message: 'workflows use domain/ and activity types only' },
          ],
        },
      ],
    },
  },
  {
    // The web layer is the top of the house: the use cases (services/) and everything below never import it.
    files: ['services/**/*.ts', 'cli/**/*.ts', 'bench/**/*.ts', 'db/**/*.ts', 'reports/**/*.ts', 'imports/**/*.ts', 'emails/**/*.{ts,tsx}', 'temporal/**/*.ts', 'generate/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../api/*', '../../api/*'], message: 'nothing imports api/: call services/ instead' }] }],
    },
  },
  {
    // Activities are the workflows' side effects: workflows import their types, never the other way.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../workflows/*', '../api/*'], message: 'activities use db/, domain/ and emails/' }] }],
    },
  },
  {
    // domain/ holds pure rules: importable by workflows and activities alike.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', '../db/*', '../api/*', '../activities/*', '@temporalio/*'], message: 'domain/ is pure: no I/O' }] },
      ],
    },
  },
);
