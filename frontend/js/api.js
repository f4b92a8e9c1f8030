// The one HTTP client of the frontend. It keeps the access token in memory only
// (never in localStorage/sessionStorage: a script injected into the page could
// read those), restores a session through the HttpOnly refresh cookie, sends
// `Authorization: Bearer`, retries once after refreshing on a 401, and turns
// problem+json answers into ApiError.

const BASE = '/api/v1';

let accessToken = null;
let sessionUser = null;
/** The refresh in flight, shared so that parallel 401s trigger one refresh. */
let refreshInFlight = null;
const sessionListeners = new Set();

const DEFAULT_TITLES = {
  0: 'Сервис временно недоступен',
  400: 'Некорректный запрос',
  401: 'Требуется вход в систему',
  403: 'Недостаточно прав',
  404: 'Не найдено',
  409: 'Конфликт при сохранении',
  413: 'Слишком большой запрос',
  422: 'Проверьте введённые данные',
  429: 'Слишком много попыток. Повторите позже',
  500: 'Внутренняя ошибка сервиса',
  502: 'Сервис временно недоступен',
  503: 'Сервис временно недоступен',
  504: 'Сервис временно недоступен',
};

/** An error answer of the API (or a network failure, status 0). */
export class ApiError extends Error {
  constructor({ status, code, title, errors, requestId }) {
    const message = title || DEFAULT_TITLES[status] || `Ошибка ${status}`;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || (status === 0 ? 'network' : `http.${status}`);
    this.title = message;
    /** [{field, code, message}] for 422 answers, else []. */
    this.errors = Array.isArray(errors) ? errors : [];
    this.requestId = requestId || null;
  }

  /** True when the service cannot be reached or answers "unavailable". */
  get unavailable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  /** field name → first message for that field. */
  get fieldErrors() {
    const map = {};
    for (const e of this.errors) {
      if (e && e.field && !(e.field in map)) map[e.field] = e.message || e.code;
    }
    return map;
  }
}

/** The signed-in user (user_json of the API), or null. */
export function currentUser() {
  return sessionUser;
}

/** fn(user|null) is called whenever the session starts or ends. Returns an unsubscribe. */
export function onSessionChange(fn) {
  sessionListeners.add(fn);
  return () => sessionListeners.delete(fn);
}

function setSession(token, user) {
  const changed = (accessToken === null) !== (token === null) || user?.id !== sessionUser?.id;
  accessToken = token;
  sessionUser = user;
  if (changed) for (const fn of sessionListeners) fn(user);
}

function buildUrl(path, query) {
  let url = BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/** Reads a problem+json (or any) error response into an ApiError. */
async function toApiError(response) {
  let body = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { body = await response.json(); } catch { body = null; }
  }
  return new ApiError({
    status: response.status,
    code: body?.code,
    title: body?.title,
    errors: body?.errors,
    requestId: body?.request_id,
  });
}

/** A request body sent as it is (e.g. a CSV file) instead of as JSON. */
class RawBody {
  constructor(text, type) {
    this.text = text;
    this.type = type;
  }
}

/**
 * One fetch with the session's token. Returns the Response; network failures
 * become ApiError(status 0).
 */
async function send(method, url, { body, headers = {}, auth = true } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (auth && accessToken) init.headers.Authorization = `Bearer ${accessToken}`;
  if (body instanceof RawBody) {
    init.headers['Content-Type'] = body.type;
    init.body = body.text;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError({ status: 0 });
  }
}

async function readJson(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Takes {access_token, user} from a login/refresh answer into the session. */
async function acceptTokenAnswer(data) {
  if (!data || !data.access_token) throw new ApiError({ status: 500, code: 'internal' });
  let user = data.user;
  accessToken = data.access_token;
  if (!user) {
    const r = await send('GET', buildUrl('/me'));
    if (!r.ok) throw await toApiError(r);
    user = await readJson(r);
  }
  setSession(data.access_token, user);
  return user;
}

/**
 * Runs fn while holding a lock shared by every tab of the application. Refresh
 * tokens rotate on use and the server treats a rotated token presented again as
 * theft (it revokes all of the user's sessions), so two tabs must never send the
 * same cookie at once: the second waits and then sends the already-rotated one.
 * Without the Web Locks API (not a secure context) fn simply runs.
 */
function withRefreshLock(fn) {
  if (typeof navigator !== 'undefined' && navigator.locks && navigator.locks.request) {
    return navigator.locks.request('orientir-refresh', fn);
  }
  return fn();
}

/**
 * Exchanges the refresh cookie for a new access token. Resolves to the user, or
 * null when there is no valid session (401). Other failures reject (e.g. 503).
 */
export function refreshSession() {
  if (!refreshInFlight) {
    refreshInFlight = withRefreshLock(async () => {
      const r = await send('POST', buildUrl('/auth/refresh'), { auth: false });
      if (r.status === 401 || r.status === 400) {
        setSession(null, null);
        return null;
      }
      if (!r.ok) throw await toApiError(r);
      return acceptTokenAnswer(await readJson(r));
    }).finally(() => { refreshInFlight = null; });
  }
  return refreshInFlight;
}

/** Signs in. Resolves to the user; rejects with ApiError (401 wrong credentials, 429 throttled…). */
export async function login(loginName, password) {
  const r = await send('POST', buildUrl('/auth/login'), {
    body: { login: loginName, password }, auth: false,
  });
  if (!r.ok) throw await toApiError(r);
  return acceptTokenAnswer(await readJson(r));
}

/** Signs out: revokes the refresh cookie on the server and forgets the token. Never rejects. */
export async function logout() {
  try {
    await send('POST', buildUrl('/auth/logout'), { auth: false });
  } catch {
    // The session is dropped locally anyway; the server forgets the token when it expires.
  } finally {
    setSession(null, null);
  }
}

/**
 * An authenticated API call. On a 401 it refreshes once and retries once; when
 * the refresh fails too, the session ends (listeners are told) and the 401 is thrown.
 * Resolves to the parsed JSON body (null for 204).
 */
export async function request(method, path, { query, body, headers } = {}) {
  const r = await sendAuthorized(method, buildUrl(path, query), { body, headers });
  return readJson(r);
}

/**
 * send() with the refresh-once-and-retry rule of request(): resolves to an ok
 * Response, rejects with ApiError (after a second 401 the session ends).
 */
function sendAuthorized(method, url, { body, headers } = {}) {
  return retriedOn401(() => send(method, url, { body, headers }));
}

/** Runs attempt() (one request, resolving to a Response) under the rule of sendAuthorized. */
async function retriedOn401(attempt) {
  let r = await attempt();
  if (r.status === 401) {
    // A failed refresh for another reason (e.g. 503) propagates and keeps the session.
    const user = await refreshSession();
    if (user) r = await attempt();
    if (r.status === 401) {
      const err = await toApiError(r);
      setSession(null, null);
      throw err;
    }
  }
  if (!r.ok) throw await toApiError(r);
  return r;
}

/** The file name of a Content-Disposition header (filename*=UTF-8'' first), or null. */
function dispositionFilename(header) {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try { return decodeURIComponent(star[1].trim()); } catch { /* fall through to filename= */ }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  const name = plain ? (plain[1] ?? plain[2]).trim() : '';
  return name || null;
}

/**
 * Downloads a file the API makes (an XLSX or CSV export) with the session's
 * bearer token — a plain link cannot carry it. Resolves to {blob, filename,
 * type}; filename comes from Content-Disposition, else `fallbackName`. Errors
 * (problem+json before the first byte) reject with ApiError as in request().
 */
export async function fetchFile(path, query, fallbackName = 'download') {
  const r = await sendAuthorized('GET', buildUrl(path, query), { headers: { Accept: '*/*' } });
  let blob;
  try {
    blob = await r.blob();
  } catch {
    throw new ApiError({ status: 0 }); // the connection broke while the file was coming
  }
  return {
    blob,
    filename: dispositionFilename(r.headers.get('Content-Disposition')) || fallbackName,
    type: r.headers.get('Content-Type') || blob.type,
  };
}

/**
 * One POST of a file as the raw request body through XMLHttpRequest — fetch
 * reports no upload progress. onProgress(loaded, total) follows the bytes sent.
 * Resolves to a Response built from the answer (so that readJson and
 * toApiError read it as any other), or rejects with ApiError(status 0) when
 * the connection fails.
 */
function sendFile(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    // The server decides the type by the content; this header only describes the body.
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (accessToken) xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    if (onProgress) xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onload = () => {
      const type = xhr.getResponseHeader('Content-Type');
      const empty = xhr.status === 204 || xhr.status === 205;
      resolve(new Response(empty ? null : xhr.responseText, { status: xhr.status, headers: type ? { 'Content-Type': type } : {} }));
    };
    xhr.onerror = () => reject(new ApiError({ status: 0 }));
    xhr.onabort = xhr.onerror;
    xhr.ontimeout = xhr.onerror;
    xhr.send(file);
  });
}

/**
 * Attaches a file (a File from an input or a drop) to an object:
 * POST /api/v1{objectPath}/attachments?name=<its name> with the bytes as the
 * body and the session's bearer token. onProgress(loaded, total) as the bytes
 * go. Resolves to the attachment (201); rejects with ApiError (413, 415, 422,
 * 403, 404, 409 …) and, as request() does, refreshes once on a 401.
 */
export async function uploadFile(objectPath, file, { onProgress } = {}) {
  const url = buildUrl(`${objectPath}/attachments`, { name: file.name });
  return readJson(await retriedOn401(() => sendFile(url, file, onProgress)));
}

/** The If-Match header of a version, or none when the version is unknown. */
function ifMatch(version) {
  return version === undefined || version === null ? {} : { 'If-Match': String(version) };
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  /**
   * POST; a state change of a versioned object (e.g. submitting a submission)
   * passes the version the user saw, sent as If-Match.
   */
  post: (path, body, version) => request('POST', path, { body, headers: ifMatch(version) }),
  /** POST of a text file as it is, e.g. postText('/projects/1/schools/import', {dry_run: 1}, csv, 'text/csv'). */
  postText: (path, query, text, type) => request('POST', path, { query, body: new RawBody(text, type) }),
  /** PATCH always carries If-Match with the version the user edited. */
  patch: (path, version, body) => {
    if (version === undefined || version === null) throw new Error('PATCH needs the object version');
    return request('PATCH', path, { body, headers: ifMatch(version) });
  },
  /**
   * PUT carries If-Match with the version the user edited; none when the object does not
   * exist yet (the first answer to an indicator).
   */
  put: (path, version, body) => request('PUT', path, { body, headers: ifMatch(version) }),
  /**
   * DELETE; resolves to null (204). A versioned object passes the version the
   * user saw, sent as If-Match; a link row (a measure, a partnership) has none.
   */
  del: (path, version) => request('DELETE', path, { headers: ifMatch(version) }),
  /** PUT of an object without a version (e.g. a program's analysis of a direction). */
  putUnversioned: (path, body) => request('PUT', path, { body }),
};

/**
 * Loads every item of a list endpoint (pages of 200, the API's maximum).
 * Meant for short reference lists such as municipalities.
 */
export async function listAll(path, query = {}) {
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.get(path, { ...query, limit: 200, offset });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}
