// Flat ESLint config for the whole workspace. Package boundaries from ARCHITECTURE.md are
// enforced here: the decode loop imports nothing, runtimes import the contract as types only.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/node_modules/**',
      '**/.nx/**',
      '**/bench-results/**',
      '**/test-results/**',
      'tools/tiny-eou/**',
      '**/assets/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['packages/rnnt-decode/src/**/*.ts'],
    ignores: ['packages/rnnt-decode/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/)',
              message: '@eou/rnnt-decode has no runtime dependencies: relative imports only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/onnx-runtime/src/**/*.ts', 'packages/coreml-runtime/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@eou/rnnt-decode',
              message: 'Runtimes never import the decode loop; import the session contract as types.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
