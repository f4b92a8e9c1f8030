// Switches for parts of the frontend whose API is not yet deployed everywhere.
// One flag per feature; app.js adds the feature's routes and menu items only
// when its flag is true, and the browser tests of the feature are skipped
// while it is false (tests/browser/diagnostics.test.mjs reads this file).

/**
 * Self-diagnostics (issue 3): instruments, campaigns, the school's
 * questionnaire, the municipality's review, deficits. Turn on once the
 * backend serves /api/v1/instruments, /campaigns, /submissions and /deficits.
 */
export const DIAGNOSTICS_ENABLED = true;

/**
 * Projects and control of execution (issue 5): «Поручения», «Контроль
 * исполнения», «Проекты» and the municipal road map. Turn on once the backend
 * serves /api/v1/projects, /documents and /assignments.
 */
export const EXECUTION_ENABLED = true;

/**
 * Monitoring summaries (issue 6): «Мониторинг» (#/dashboard) for the committee,
 * ЛОИРО and municipalities, and the printable school card
 * (#/schools/{id}/card). Turn on once the backend serves /api/v1/reports/* and
 * /api/v1/schools/{id}/card.
 */
export const REPORTS_ENABLED = true;

/**
 * Development programs (issue 4): the school's «Программа развития», the
 * municipal approval queue, ЛОИРО's «Практики» and «Наставничество». Turn on
 * once the backend serves /api/v1/programs, /practices and /partnerships.
 */
export const PROGRAMS_ENABLED = true;
