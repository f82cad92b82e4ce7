// ESLint flat config: typescript-eslint's recommended type-aware rules, React hooks rules for the
// app, and a guard that keeps the pure folders (text, promql, rules, sim, lab, backtest, reality)
// free of React, the DOM and the wall clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-cli',
      'node_modules',
      'test-results',
      'playwright-report',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: [
      'src/text/**',
      'src/promql/**',
      'src/rules/**',
      'src/sim/**',
      'src/lab/**',
      'src/backtest/**',
      'src/reality/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'react/*', 'zustand', 'recharts', '@codemirror/*'],
              message:
                'text, promql, rules, sim, lab, backtest and reality are pure: no UI libraries.',
            },
            {
              group: ['**/app/**', '**/cli/**'],
              message: 'pure folders must not import the app or the CLI.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'navigator'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'no wall clock in pure code' },
      ],
    },
  },
  {
    // The text package is used by every folder and imports none of them.
    files: ['src/text/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../*',
                'react',
                'react-dom',
                'react/*',
                'zustand',
                'recharts',
                '@codemirror/*',
              ],
              message: 'src/text imports nothing of the project and no UI library.',
            },
          ],
        },
      ],
    },
  },
);
