// Lint of the frontend only, kept to what catches real mistakes in an ES-module app
// with no build step: functions short enough to read on one screen or two, names
// that are defined, and no leftovers. `scripts/test-all.sh` runs it as the "lint" layer.
import globals from 'globals';

export default [
  {
    files: ['frontend/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.browser,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-lines-per-function': ['error', { max: 150, skipBlankLines: true, skipComments: true }],
      'no-unused-vars': 'error',
      'no-undef': 'error',
    },
  },
];
