// Lint: TypeScript's recommended rules where they catch bugs, and
// eslint-plugin-regexp, which rejects regular expressions that can take
// super-linear time (the mail we read is hostile) and simplifies the rest.
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.bench-cache/**', 'test/fixtures/**', 'data/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    plugins: { regexp },
    rules: {
      // hostile input: no backtracking blow-ups
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-misleading-capturing-group': 'error',
      // plain mistakes
      'regexp/no-dupe-disjunctions': 'error',
      'regexp/no-empty-alternative': 'error',
      'regexp/no-useless-backreference': 'error',
      'regexp/no-invalid-regexp': 'error',
      'regexp/no-contradiction-with-assertion': 'error',
    },
  },
);
