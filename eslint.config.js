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
  {
    // Still one closure each (the render of the program page and of the
    // questionnaire); they are being split into a view per part. Every other
    // function keeps to 150 lines.
    files: ['frontend/js/pages/program.js', 'frontend/js/pages/questionnaire.js'],
    rules: { 'max-lines-per-function': 'off' },
  },
];
