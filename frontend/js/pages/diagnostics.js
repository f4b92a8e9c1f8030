// The school's «Самодиагностика» (#/diagnostics): the open campaign(s) it
// takes part in, with the state of its questionnaire and a button to start or
// continue it, campaigns that have not opened yet, and its results of earlier
// campaigns.

import { h } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { formatNumber, plural } from '../shared/format.js';
import { levelBadge, outOf, period } from '../diagnostics.js';
import { statusBadge } from '../shared/vocabulary.js';

/** Days from today (Moscow) to a YYYY-MM-DD date, inclusive of that day. */
function daysLeft(dateText) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
  const ms = Date.parse(`${dateText}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/** The school's own submission of a campaign (list item), or null. */
async function ownSubmission(campaignId) {
  const page = await api.get('/submissions', { campaign_id: campaignId, limit: 1 });
  return page.items[0] || null;
}

function openCampaignCard(c, sub) {
  const left = daysLeft(c.closes_on);
  const status = sub ? sub.status : 'not_started';
  const action = {
    not_started: 'Начать заполнение',
    draft: 'Продолжить заполнение',
    returned: 'Исправить и отправить снова',
    submitted: 'Посмотреть результат',
    accepted: 'Посмотреть результат',
  }[status] || 'Открыть';
  return h('section', { class: 'card campaign-card', 'data-campaign-id': c.id, 'aria-labelledby': `campaign-${c.id}` },
    h('h2', { id: `campaign-${c.id}` }, c.title),
    h('dl', { class: 'props props--narrow' },
      h('dt', null, 'Приём анкет'),
      h('dd', null, `${period(c.opens_on, c.closes_on)}`,
        left >= 0 ? h('span', { class: 'muted' }, left === 0 ? ' (последний день)'
          : ` (осталось ${formatNumber(left + 1)} ${plural(left + 1, ['день', 'дня', 'дней'])})`) : null),
      h('dt', null, 'Анкета'),
      h('dd', null, statusBadge('submission', status)),
      sub?.result || sub?.level ? [h('dt', null, 'Результат'), h('dd', null,
        sub.total_points !== undefined && sub.total_points !== null ? `${outOf(sub.total_points, sub.max_points)} баллов, ` : '',
        levelBadge(sub.level || sub.result?.level))] : null),
    status === 'returned' ? h('p', { class: 'message message--error' },
      'Муниципалитет вернул анкету на доработку. Откройте её, чтобы увидеть комментарий.') : null,
    h('p', { class: 'form__actions' },
      h('a', { class: ['btn', status === 'submitted' || status === 'accepted' ? null : 'btn--primary'], href: `#/diagnostics/${c.id}` }, action)));
}

export async function render() {
  const [open, planned, closed] = await Promise.all([
    listAll('/campaigns', { status: 'open' }),
    listAll('/campaigns', { status: 'planned' }),
    listAll('/campaigns', { status: 'closed' }),
  ]);
  const subsOpen = await Promise.all(open.map((c) => ownSubmission(c.id)));
  const subsClosed = await Promise.all(closed.map((c) => ownSubmission(c.id)));

  const earlierRows = closed.map((c, i) => ({ c, s: subsClosed[i] }));
  const node = h('section', { class: 'page', 'aria-labelledby': 'diagnostics-title' },
    h('div', { class: 'page__head' },
      h('h1', { id: 'diagnostics-title' }, 'Самодиагностика'),
      h('p', { class: 'page__sub' }, 'Анкеты самодиагностики вашей школы: заполнение, отправка на проверку муниципалитету, результаты')),
    open.length
      ? h('div', { class: 'campaign-cards', 'data-testid': 'open-campaigns' }, open.map((c, i) => openCampaignCard(c, subsOpen[i])))
      : h('p', { class: 'note', 'data-testid': 'no-open-campaigns' }, 'Сейчас нет открытых кампаний самодиагностики для вашей школы.'),
    planned.length ? h('section', { class: 'card', 'aria-labelledby': 'planned-title' },
      h('h2', { id: 'planned-title' }, 'Запланированные кампании'),
      h('ul', { class: 'plain' }, planned.map((c) => h('li', null, `${c.title}: приём анкет ${period(c.opens_on, c.closes_on)}`)))) : null,
    h('section', { class: 'card', 'aria-labelledby': 'earlier-title' },
      h('h2', { id: 'earlier-title' }, 'Прошлые кампании'),
      earlierRows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', 'data-testid': 'earlier-campaigns' },
        h('caption', { class: 'visually-hidden' }, 'Результаты прошлых кампаний'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Кампания'),
          h('th', { scope: 'col' }, 'Сроки'),
          h('th', { scope: 'col' }, 'Анкета'),
          h('th', { scope: 'col', class: 'num' }, 'Баллы'),
          h('th', { scope: 'col' }, 'Уровень'))),
        h('tbody', null, earlierRows.map(({ c, s }) => h('tr', { 'data-campaign-id': c.id },
          h('th', { scope: 'row' }, s ? h('a', { href: `#/diagnostics/${c.id}` }, c.title) : c.title),
          h('td', { class: 'nowrap' }, period(c.opens_on, c.closes_on)),
          h('td', null, statusBadge('submission', s ? s.status : 'not_started')),
          h('td', { class: 'num nowrap' }, s && s.total_points !== undefined && s.total_points !== null ? outOf(s.total_points, s.max_points) : '—'),
          h('td', null, levelBadge(s?.level))))))) : h('p', { class: 'muted' }, 'Прошлых кампаний нет.')));
  return { node, title: 'Самодиагностика' };
}
