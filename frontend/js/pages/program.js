// One development program (#/programs/{id}), GET /programs/{id}.
// The school, while the program is a draft or returned: its deficits (critical
// first) and growth areas, each marked covered or not, a banner of the
// deficits still without a measure, the measures with their form (deficit
// picker, ЛОИРО's recommendations and mentor schools), the optional problem
// analysis per direction, and «Отправить на согласование» — a 422
// program.deficits_uncovered puts each error beside its deficit. After
// approval the school reports progress per measure and may start a new
// revision («Изменить программу»; the approved one stays in force).
// The municipality reads a submitted program side by side with the deficits,
// approves it or returns it with a required comment, and closes a deficit with
// a reason; the municipality, ЛОИРО and the committee comment. Everyone sees
// the files (the signed program, each measure's evidence), the history,
// comments and revisions. A 409 (stale version, or the state
// changed meanwhile) reloads the program and says so.

import { h } from '../shared/dom.js';
import { api } from '../api.js';
import { messageBox } from '../shared/forms.js';
import { programFlash } from '../programs.js';
import * as actions from './program/actions.js';
import * as passport from './program/passport.js';
import * as deficitsView from './program/deficits-view.js';
import * as measuresView from './program/measures-view.js';
import * as analysesView from './program/analyses-view.js';
import * as notesView from './program/notes-view.js';
import * as drawing from './program/draw.js';
import * as filesView from './program/files-view.js';

/** The parts of the page; each exported function takes the page object first. */
const PARTS = [actions, passport, deficitsView, measuresView, analysesView, notesView, drawing, filesView];

/**
 * The page object every part works on: the program as last read, what is open,
 * and each part's functions bound to it (pg.draw(), pg.submit(), pg.measuresCard({mode}) …),
 * so that a part calls another without importing it.
 */
export async function render(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  const pg = {
    ctx,
    user,
    id,
    program: await api.get(`/programs/${id}`),
    isSchool: user.role === 'school',
    root: h('section', { class: 'page', 'aria-labelledby': 'program-title' }),
    box: messageBox(),
    /** deficit id → the message of the last refused submit. */
    uncoveredErrors: new Map(),
    /** The form under the measures: null | {measure: null, preset: [ids]} | {measure}. */
    editing: null,
    /** The measure whose progress form is open. */
    progressFor: null,
    /** The passport (title, period) form is open. */
    editingPassport: false,
    /** Which measures the table shows after approval: '' (all), overdue, open, done, not_done. */
    measureFilter: '',
  };
  for (const part of PARTS) {
    for (const [name, fn] of Object.entries(part)) pg[name] = (...args) => fn(pg, ...args);
  }
  pg.draw();
  const flash = programFlash.take(id);
  if (flash) pg.box.show(...flash);
  return { node: pg.root, title: pg.isSchool ? pg.program.title : (pg.program.school_name || pg.program.title) };
}
