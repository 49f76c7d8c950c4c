import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.local/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Services never import each other; shared code lives in libs/.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@fan/*-service', '../../services/*'], message: 'services must not import each other' }] }],
    },
  },
  {
    // Tests build deliberately malformed inputs.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
