import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer boundaries (services never import each other, pure libs stay pure, no upward imports) are
// enforced by dependency-cruiser: .dependency-cruiser.cjs, `npm run lint:deps`.

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.local/**', '.nx/**', '**/jest.config.js', 'tools/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests build deliberately malformed inputs.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
