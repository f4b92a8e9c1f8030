// Users: the committee manages every user of its region, a municipality the
// users of its own schools (itself read-only). Three views of one screen:
// the list (#/users), the create form (#/users/new) and a user's card
// (#/users/{id}) with editing, (de)activation and password reset.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, roleName, ROLES } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors, sendNew } from '../shared/forms.js';
import { emptyRow, listView, searchBox } from '../shared/list.js';
import { statusBadge } from '../shared/vocabulary.js';

const LIMIT = 50;

/** A message to show on the next screen (e.g. «Пользователь создан» on the card). */
let flash = null;

/** The roles a manager may give: the committee any, a municipality only «Школа». */
function assignableRoles(manager) {
  return manager.role === 'committee' ? ROLES : ['school'];
}

/** The roles a manager sees in the list filter. */
function visibleRoles(manager) {
  return manager.role === 'committee' ? ROLES : ['municipality', 'school'];
}

/** Municipalities the manager may choose from. */
async function loadMunicipalities(manager) {
  if (manager.role === 'municipality') {
    return [{ id: manager.municipality_id, name: manager.organisation_name }];
  }
  return listAll('/municipalities');
}

async function loadRegionName(manager) {
  const regions = await listAll('/regions');
  return regions.find((r) => String(r.id) === String(manager.region_id))?.name || '';
}

/** A readable random password (no look-alike characters), from the browser's CSPRNG. */
function generatePassword(length = 12) {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** A password input with a «Сгенерировать» button: a field object plus its node. */
function passwordField(name, label, hint) {
  const input = h('input', {
    type: 'text', autocomplete: 'new-password', spellcheck: 'false', autocapitalize: 'none', maxlength: 200,
    class: 'input--mono',
  });
  const f = field(name, label, input, { required: true, hint });
  const gen = h('button', {
    type: 'button', class: 'btn btn--small',
    onclick: () => { input.value = generatePassword(); input.focus(); input.select(); },
  }, 'Сгенерировать');
  const row = h('div', { class: 'input-row' });
  input.replaceWith(row);
  row.append(input, gen);
  return f;
}

/**
 * The organisation picker fitting the role: the region for committee/ЛОИРО, a
 * municipality for a municipality user, a municipality then a school for a school user.
 * Returns {nodes, fields, setRole(role), value()} where fields are keyed by the
 * API's field names (region_id, municipality_id, school_id) for error display.
 */
function organisationPicker({ manager, municipalities, regionName, initial = {} }) {
  let role = initial.role || null;
  const regionLine = h('p', { class: 'field__static', id: uid('f-region') }, regionName || '—');
  const regionNode = h('div', { class: 'field', 'data-field': 'region_id' },
    h('span', { class: 'label' }, 'Регион'), regionLine,
    h('p', { class: 'field__error', hidden: true }));
  const regionField = {
    node: regionNode,
    focus: () => {},
    setError(msg) {
      const e = regionNode.querySelector('.field__error');
      e.textContent = msg || '';
      e.hidden = !msg;
    },
  };

  const munSelect = h('select', null,
    municipalities.length > 1 ? h('option', { value: '' }, '— выберите муниципалитет —') : null,
    municipalities.map((m) => h('option', {
      value: String(m.id), selected: String(m.id) === String(initial.municipality_id ?? ''),
    }, m.name)));
  const munField = field('municipality_id', 'Муниципалитет', munSelect, { required: true });

  const schoolSelect = h('select', null, h('option', { value: '' }, '— сначала выберите муниципалитет —'));
  const schoolField = field('school_id', 'Школа', schoolSelect, { required: true });

  let schoolsLoadedFor = null;
  async function loadSchools(selectedId) {
    const munId = munSelect.value;
    if (!munId) {
      replace(schoolSelect, h('option', { value: '' }, '— сначала выберите муниципалитет —'));
      schoolsLoadedFor = null;
      return;
    }
    if (schoolsLoadedFor === munId) return;
    schoolsLoadedFor = munId;
    replace(schoolSelect, h('option', { value: '' }, 'Загрузка…'));
    try {
      const schools = await listAll('/schools', { municipality_id: munId });
      if (schoolsLoadedFor !== munId) return;
      replace(schoolSelect,
        h('option', { value: '' }, '— выберите школу —'),
        schools.map((s) => h('option', {
          value: String(s.id), selected: String(s.id) === String(selectedId ?? ''),
        }, `${s.short_name || s.name} (${s.code})`)));
    } catch (err) {
      schoolsLoadedFor = null;
      replace(schoolSelect, h('option', { value: '' }, '— список школ не загрузился —'));
      schoolField.setError(errorText(err));
    }
  }
  munSelect.addEventListener('change', () => { schoolField.setError(null); if (role === 'school') loadSchools(); });

  function setRole(newRole) {
    role = newRole;
    regionNode.hidden = !(role === 'committee' || role === 'loiro');
    munField.node.hidden = !(role === 'municipality' || role === 'school');
    schoolField.node.hidden = role !== 'school';
    if (role === 'school') loadSchools(initial.school_id);
  }
  setRole(role);

  return {
    nodes: [regionNode, munField.node, schoolField.node],
    fields: { region_id: regionField, municipality_id: munField, school_id: schoolField },
    setRole,
    /**
     * The organisation field the role requires, e.g. {school_id: 12}. The API stores
     * only that one; on PATCH the organisation fields left out become NULL.
     */
    value() {
      const num = (v) => (v ? Number(v) : null);
      if (role === 'committee' || role === 'loiro') return { region_id: Number(manager.region_id) };
      if (role === 'municipality') return { municipality_id: num(munSelect.value) };
      if (role === 'school') return { school_id: num(schoolSelect.value) };
      return {};
    },
    /** A Russian message for a missing choice, checked before sending. */
    missing() {
      if (role === 'municipality' && !munSelect.value) return ['municipality_id', 'Выберите муниципалитет.'];
      if (role === 'school' && !munSelect.value) return ['municipality_id', 'Выберите муниципалитет.'];
      if (role === 'school' && !schoolSelect.value) return ['school_id', 'Выберите школу.'];
      return null;
    },
  };
}

function roleSelect(roles, selected, withEmpty) {
  return h('select', null,
    withEmpty ? h('option', { value: '' }, '— выберите роль —') : null,
    roles.map((r) => h('option', { value: r, selected: r === selected }, roleName(r))));
}

function accountBadge(active) {
  return statusBadge('account', active ? 'active' : 'disabled');
}

// ————————————————————————————————————— list

async function renderList(ctx) {
  const { user } = ctx;
  const committee = user.role === 'committee';
  const municipalities = committee ? await listAll('/municipalities') : [];

  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'users-table' },
    h('caption', { class: 'visually-hidden' }, 'Список пользователей'), thead, tbody);
  const list = listView(ctx, {
    path: '/users',
    filters: {
      q: (v) => v || '',
      role: (v) => (visibleRoles(user).includes(v) ? v : ''),
      municipality_id: (v) => (committee ? v || '' : ''),
    },
    limit: LIMIT,
    body: tbody,
    busy: table,
    row: (u) => h('tr', { 'data-user-id': u.id, 'data-login': u.login, class: u.is_active ? null : 'row--inactive' },
      h('th', { scope: 'row' }, h('a', { href: `#/users/${u.id}` }, u.full_name)),
      h('td', { class: 'code' }, u.login),
      h('td', { class: 'nowrap' }, roleName(u.role)),
      h('td', null, u.organisation_name || '—'),
      h('td', { class: 'nowrap' }, accountBadge(u.is_active))),
    empty: () => emptyRow(5, 'Пользователей не найдено.'),
    summaryTestId: 'users-summary',
    pagerLabel: 'Страницы списка пользователей',
    sortable: ['full_name', 'login', 'role'],
  });
  const { state } = list;
  replace(thead, h('tr', null,
    list.header('Ф. И. О.', { sort: 'full_name' }),
    list.header('Логин', { sort: 'login' }),
    list.header('Роль', { sort: 'role' }),
    list.header('Организация'),
    list.header('Учётная запись')));

  const searchId = uid('users-q');
  const search = searchBox(list, { id: searchId, value: state.q, placeholder: 'фамилия, имя или логин' });
  const roleId = uid('users-role');
  const roleFilter = h('select', {
    id: roleId, onchange: () => list.change('role', roleFilter.value),
  }, h('option', { value: '' }, 'Все роли'),
  visibleRoles(user).map((r) => h('option', { value: r, selected: r === state.role }, roleName(r))));
  const munId = uid('users-mun');
  const munFilter = committee ? h('select', {
    id: munId, onchange: () => list.change('municipality_id', munFilter.value),
  }, h('option', { value: '' }, 'Все муниципалитеты'),
  municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)))
    : null;

  await list.load();

  const node = h('section', { class: 'page', 'aria-labelledby': 'users-title' },
    h('div', { class: 'page__head page__head--row' },
      h('div', null,
        h('h1', { id: 'users-title' }, 'Пользователи'),
        h('p', { class: 'page__sub' }, committee
          ? 'Учётные записи всех организаций региона'
          : 'Учётные записи вашего муниципалитета и его школ')),
      h('div', { class: 'page__actions no-print' },
        h('a', { class: 'btn btn--primary', href: '#/users/new' }, 'Добавить пользователя'))),
    h('form', {
      class: 'filters no-print', role: 'search', 'aria-label': 'Отбор пользователей',
      onsubmit: (e) => { e.preventDefault(); search.now(); },
    },
    h('div', { class: 'field field--grow' }, h('label', { for: searchId }, 'Поиск'), search.input),
    h('div', { class: 'field' }, h('label', { for: roleId }, 'Роль'), roleFilter),
    munFilter ? h('div', { class: 'field' }, h('label', { for: munId }, 'Муниципалитет'), munFilter) : null),
    list.box.node,
    list.summary,
    h('div', { class: 'table-wrap' }, table),
    list.pager);
  return { node, title: 'Пользователи' };
}

// ————————————————————————————————————— create

async function renderCreate(ctx) {
  const { user } = ctx;
  const [municipalities, regionName] = await Promise.all([loadMunicipalities(user), loadRegionName(user)]);
  const roles = assignableRoles(user);
  const box = messageBox();

  const roleControl = roleSelect(roles, roles.length === 1 ? roles[0] : '', roles.length > 1);
  const f = {
    login: field('login', 'Логин', h('input', {
      type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', maxlength: 100, class: 'input--mono',
    }), { required: true, hint: 'Имя для входа в систему: от 3 до 64 символов — латинские буквы, цифры, «.», «_», «-».' }),
    full_name: field('full_name', 'Фамилия, имя, отчество', h('input', { type: 'text', autocomplete: 'off', maxlength: 200 }), { required: true }),
    role: field('role', 'Роль', roleControl, { required: true }),
  };
  const picker = organisationPicker({ manager: user, municipalities, regionName, initial: { role: roleControl.value || null } });
  Object.assign(f, picker.fields);
  f.password = passwordField('password', 'Начальный пароль',
    'Сообщите пароль пользователю лично; сменить его он сможет в разделе «Мой профиль».');
  roleControl.addEventListener('change', () => picker.setRole(roleControl.value || null));

  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Создать пользователя');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const data = {
      login: f.login.control.value.trim(),
      full_name: f.full_name.control.value.trim().replace(/\s+/g, ' '),
      role: roleControl.value,
    };
    const password = f.password.control.value;
    const missing = [];
    if (!data.login) missing.push(['login', 'Укажите логин.']);
    if (!data.full_name) missing.push(['full_name', 'Укажите фамилию, имя и отчество.']);
    if (!data.role) missing.push(['role', 'Выберите роль.']);
    const orgMissing = data.role ? picker.missing() : null;
    if (orgMissing) missing.push(orgMissing);
    if (!password) missing.push(['password', 'Задайте начальный пароль.']);
    if (missing.length) {
      for (const [name, msg] of missing) f[name].setError(msg);
      box.show('error', 'Заполните обязательные поля.');
      f[missing[0][0]].focus();
      return;
    }
    const org = picker.value();
    for (const [k, v] of Object.entries(org)) if (v !== null) data[k] = v;
    data.password = password;
    const created = await sendNew(submit, () => api.post('/users', data), { fields: f, box });
    if (!created) return;
    flash = ['success', `Пользователь «${created.full_name}» создан. Передайте пользователю логин и начальный пароль.`];
    ctx.navigate(`#/users/${created.id}`);
  }

  const node = h('section', { class: 'page', 'aria-labelledby': 'user-new-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/users' }, '← К списку пользователей')),
    h('div', { class: 'page__head' }, h('h1', { id: 'user-new-title' }, 'Новый пользователь')),
    box.node,
    h('div', { class: 'card' },
      h('form', { class: 'form form--card', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'user-new-title' },
        f.login.node, f.full_name.node, f.role.node, picker.nodes, f.password.node,
        h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны.'),
        h('div', { class: 'form__actions' }, submit, h('a', { class: 'btn', href: '#/users' }, 'Отмена')))));
  return { node, title: 'Новый пользователь' };
}

// ————————————————————————————————————— card

/**
 * The API stores only the organisation the role requires, so a school user
 * carries no municipality_id: the picker learns it from the school.
 */
async function schoolMunicipality(user) {
  if (user.role !== 'school' || !user.school_id) return user.municipality_id ?? null;
  if (user.municipality_id) return user.municipality_id;
  try {
    return (await api.get(`/schools/${user.school_id}`)).municipality_id;
  } catch {
    return null;
  }
}

/**
 * «Доступ к системе» of a user's card: switching the account off (after a
 * confirmation) or on. setActive(active, okText) runs the change.
 */
function accessSection(u, setActive) {
  const area = h('div', { class: 'form__actions' });
  function drawIdle() {
    if (u.is_active) {
      replace(area, h('button', {
        type: 'button', class: 'btn btn--danger', onclick: drawConfirm,
      }, 'Отключить учётную запись'));
    } else {
      replace(area, h('button', {
        type: 'button', class: 'btn btn--primary',
        onclick: () => setActive(true, 'Учётная запись включена. Пользователь снова может войти в систему.'),
      }, 'Включить учётную запись'));
    }
  }
  function drawConfirm() {
    const yes = h('button', {
      type: 'button', class: 'btn btn--danger',
      onclick: () => setActive(false, 'Учётная запись отключена. Все сеансы пользователя завершены.'),
    }, 'Да, отключить');
    replace(area,
      h('p', { class: 'confirm', role: 'alert' }, `Отключить учётную запись «${u.full_name}»? Пользователь сразу потеряет доступ к системе.`),
      yes,
      h('button', { type: 'button', class: 'btn', onclick: () => { drawIdle(); } }, 'Отмена'));
    yes.focus();
  }
  drawIdle();
  return h('section', { class: 'card', 'aria-labelledby': 'user-access-title' },
    h('h2', { id: 'user-access-title' }, 'Доступ к системе'),
    h('p', null, u.is_active
      ? 'Учётная запись действует. После отключения пользователь не сможет войти, а его текущие сеансы завершатся сразу.'
      : 'Учётная запись отключена: пользователь не может войти в систему.'),
    area);
}

/** «Сброс пароля» of another user's card. */
function passwordSection(id) {
  const pw = passwordField('new_password', 'Новый пароль', 'Все сеансы пользователя будут завершены; сообщите новый пароль ему лично.');
  const fields = { new_password: pw };
  const localBox = messageBox('password-message');
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Установить пароль');
  async function onSubmit(event) {
    event.preventDefault();
    localBox.clear();
    clearErrors(fields);
    if (!pw.control.value) { pw.setError('Задайте новый пароль.'); pw.focus(); return; }
    submit.disabled = true;
    try {
      await api.post(`/users/${id}/password`, { new_password: pw.control.value });
      pw.control.value = '';
      localBox.show('success', 'Пароль изменён. Сообщите новый пароль пользователю.');
    } catch (err) {
      showApiError(err, fields, localBox);
    } finally {
      submit.disabled = false;
    }
  }
  return h('section', { class: 'card', 'aria-labelledby': 'user-password-title' },
    h('h2', { id: 'user-password-title' }, 'Сброс пароля'),
    localBox.node,
    h('form', { class: 'form', novalidate: true, onsubmit: onSubmit }, pw.node, h('div', { class: 'form__actions' }, submit)));
}


async function renderCard(ctx) {
  const { user: manager } = ctx;
  const id = ctx.params.id;
  const [initialUser, municipalities, regionName] = await Promise.all([
    api.get(`/users/${id}`), loadMunicipalities(manager), loadRegionName(manager)]);
  let u = initialUser;
  let pickerMunicipality = await schoolMunicipality(u);
  const self = String(u.id) === String(manager.id);
  // A municipality edits only school users; the committee anyone but itself.
  const editable = !self && (manager.role === 'committee' || u.role === 'school');

  const box = messageBox();
  if (flash) { box.show(...flash); flash = null; }
  const heading = h('h1', { id: 'user-title' });
  const sub = h('p', { class: 'page__sub' });
  const props = h('dl', { class: 'props', 'data-testid': 'user-card' });
  const sections = h('div', { class: 'sections' });

  function drawHead() {
    replace(heading, u.full_name);
    ctx.setTitle(u.full_name);
    replace(sub, roleName(u.role), u.organisation_name ? ` · ${u.organisation_name}` : '');
    const row = (label, value) => [h('dt', null, label), h('dd', null, value || '—')];
    replace(props,
      row('Логин', h('span', { class: 'code' }, u.login)),
      row('Ф. И. О.', u.full_name),
      row('Роль', roleName(u.role)),
      row('Организация', u.organisation_name),
      row('Учётная запись', h('span', { 'data-testid': 'user-status' }, accountBadge(u.is_active))));
  }

  /** Re-reads the user after a 409 so the next attempt carries the current version. */
  async function refetch() {
    u = await api.get(`/users/${id}`);
    pickerMunicipality = await schoolMunicipality(u);
    drawHead();
    drawSections();
  }

  function conflictMessage() {
    box.show('error', h('strong', null, 'Изменения не сохранены. '),
      'Пока вы работали, учётную запись изменил другой пользователь. Актуальные данные загружены — повторите действие.');
  }

  async function runAction(action, okText) {
    box.clear();
    try {
      await action();
      drawHead();
      drawSections();
      box.show('success', okText);
      return true;
    } catch (err) {
      if (err.status === 409 && err.code === 'conflict.stale_version') {
        await refetch().catch(() => {});
        conflictMessage();
      } else {
        showApiError(err, {}, box);
      }
      return false;
    }
  }

  function editSection() {
    const roles = assignableRoles(manager).includes(u.role) ? assignableRoles(manager) : [u.role, ...assignableRoles(manager)];
    const roleControl = roleSelect(roles, u.role, false);
    const f = {
      full_name: field('full_name', 'Фамилия, имя, отчество', h('input', { type: 'text', value: u.full_name, maxlength: 200 }), { required: true }),
      role: field('role', 'Роль', roleControl, { required: true }),
    };
    const picker = organisationPicker({
      manager, municipalities, regionName,
      initial: { role: u.role, municipality_id: pickerMunicipality, school_id: u.school_id },
    });
    Object.assign(f, picker.fields);
    roleControl.addEventListener('change', () => picker.setRole(roleControl.value));
    const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить изменения');
    const localBox = messageBox('edit-message');

    async function onSubmit(event) {
      event.preventDefault();
      localBox.clear();
      clearErrors(f);
      const changes = {};
      const fullName = f.full_name.control.value.trim().replace(/\s+/g, ' ');
      if (!fullName) { f.full_name.setError('Укажите фамилию, имя и отчество.'); f.full_name.focus(); return; }
      if (fullName !== u.full_name) changes.full_name = fullName;
      const missing = picker.missing();
      if (missing) { f[missing[0]].setError(missing[1]); f[missing[0]].focus(); return; }
      const org = picker.value();
      const orgChanged = roleControl.value !== u.role
        || Object.entries(org).some(([k, v]) => v !== null && String(v) !== String(u[k] ?? ''));
      if (orgChanged) Object.assign(changes, { role: roleControl.value }, org);
      if (!Object.keys(changes).length) { localBox.show('info', 'Изменений нет.'); return; }
      save.disabled = true;
      box.clear();
      try {
        u = await api.patch(`/users/${id}`, u.version, changes);
        pickerMunicipality = await schoolMunicipality(u);
        drawHead();
        drawSections();
        box.show('success', 'Изменения сохранены.');
      } catch (err) {
        save.disabled = false;
        if (err.status === 409 && err.code === 'conflict.stale_version') {
          await refetch().catch(() => {});
          conflictMessage();
        } else {
          showApiError(err, f, localBox);
        }
      }
    }
    return h('section', { class: 'card', 'aria-labelledby': 'user-edit-title' },
      h('h2', { id: 'user-edit-title' }, 'Данные и организация'),
      localBox.node,
      h('form', { class: 'form', novalidate: true, onsubmit: onSubmit },
        f.full_name.node, f.role.node, picker.nodes,
        h('p', { class: 'muted small' }, 'При смене роли или организации пользователь получит доступ только к данным новой организации.'),
        h('div', { class: 'form__actions' }, save)));
  }

  function drawSections() {
    if (self) {
      replace(sections, h('p', { class: 'note' }, 'Это ваша учётная запись. Изменить пароль можно в разделе ',
        h('a', { href: '#/account' }, '«Мой профиль»'), '.'));
    } else if (!editable) {
      replace(sections, h('p', { class: 'note' }, 'Эту учётную запись ведёт Комитет; здесь она доступна только для просмотра.'));
    } else {
      const setActive = (active, okText) => runAction(async () => {
        u = await api.patch(`/users/${id}`, u.version, { is_active: active });
      }, okText);
      replace(sections, editSection(), h('div', { class: 'sections__side' }, accessSection(u, setActive), passwordSection(id)));
    }
  }

  drawHead();
  drawSections();
  const node = h('section', { class: 'page', 'aria-labelledby': 'user-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/users' }, '← К списку пользователей')),
    h('div', { class: 'page__head' }, heading, sub),
    box.node,
    h('div', { class: 'card' }, props),
    h('div', { class: 'no-print' }, sections));
  return { node, title: u.full_name };
}

export async function render(ctx) {
  if (ctx.view === 'create') return renderCreate(ctx);
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
