// What the parts of the questionnaire page share: states, the pending message, loading.

import { api } from '../../api.js';
import { unwrapSubmission } from '../../diagnostics.js';

export const EDITABLE = new Set(['draft', 'returned']);

/** A message for the next render of this screen (e.g. after submitting). */
export const pending = { flash: null };

export async function loadSubmission(campaign) {
  if (campaign.status === 'open') {
    return unwrapSubmission(await api.post(`/campaigns/${campaign.id}/submissions`));
  }
  const page = await api.get('/submissions', { campaign_id: campaign.id, limit: 1 });
  if (!page.items.length) return null;
  return unwrapSubmission(await api.get(`/submissions/${page.items[0].id}`));
}

export function answersMap(submission) {
  return new Map((submission.answers || []).map((a) => [String(a.indicator_id),
    { value: a.value, comment: a.comment || '', version: a.version }]));
}

