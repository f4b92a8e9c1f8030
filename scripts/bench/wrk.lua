-- wrk script of `make bench` (scripts/bench.sh): one scenario, described by the
-- environment, and a done() hook that prints the results as one JSON line.
--
--   BENCH_METHOD, BENCH_PATH, BENCH_BODY   the request (body optional, sent as JSON)
--   BENCH_TOKEN                            bearer token (empty: none)
--   BENCH_ITEMS                            a file for scenarios that write: one line per
--       draft submission, "token submission_id version indicator:value:value:answer_version,…"
--       (answer_version 0: not answered yet); BENCH_PATH and BENCH_BODY then hold
--       {submission_id}, {indicator_id}, {value}. Each request takes a submission no other
--       connection is using, saves the next indicator (alternating between two of its
--       values, so that the answer really changes) with If-Match = that answer's version
--       (none for an answer not saved yet), as the questionnaire does.
--   BENCH_THREADS                          wrk's -t, to share the items among threads

local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local body = os.getenv("BENCH_BODY")
if body == "" then body = nil end
local token = os.getenv("BENCH_TOKEN") or ""
local items_file = os.getenv("BENCH_ITEMS") or ""

-- The static request (wrk keeps its Host header: set the fields, do not replace the table).
wrk.method, wrk.path, wrk.body = method, path, body
if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
if body then wrk.headers["Content-Type"] = "application/json" end

-- Thread numbering (setup runs in the main state, once per thread).
local next_id = 0
function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

local items, free, inflight = {}, {}, {}
local lost, rr = 0, 0

function init(args)
  if items_file == "" then return end
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local n = 0
  for line in io.lines(items_file) do
    local tok, sub, ver, list = line:match("^(%S+) (%d+) (%d+) (%S+)$")
    if tok then
      if n % nthreads == (thread_id or 0) then
        local it = { token = tok, sub = sub, inds = {}, a = {}, b = {}, ver = {}, n = 0 }
        for ind, va, vb, av in list:gmatch("(%d+):([^:,]+):([^:,]+):(%d+)") do
          local j = #it.inds + 1
          it.inds[j], it.a[j], it.b[j], it.ver[j] = ind, va, vb, av
        end
        items[#items + 1] = it
        free[#free + 1] = #items
      end
      n = n + 1
    end
  end
end

function request()
  local i = table.remove(free, 1)
  if i == nil then -- only after lost responses: reuse round robin
    rr = rr % #items + 1
    i = rr
  end
  local it = items[i]
  it.n = it.n + 1
  local k = (it.n - 1) % #it.inds + 1
  local value = (math.floor((it.n - 1) / #it.inds) % 2 == 0) and it.b[k] or it.a[k]
  inflight[it.sub] = i
  it.k = k
  local p = path:gsub("{submission_id}", it.sub):gsub("{indicator_id}", it.inds[k])
  local b = body:gsub("{value}", value)
  local headers = { ["Authorization"] = "Bearer " .. it.token, ["Content-Type"] = "application/json" }
  if it.ver[k] ~= "0" then headers["If-Match"] = it.ver[k] end
  return wrk.format(method, p, headers, b)
end

function response(status, hdrs, resp_body)
  local sub = resp_body:match('"submission_id"%s*:%s*(%d+)')
  local ver = resp_body:match('"answer"%s*:%s*{.-"version"%s*:%s*(%d+)')
  local i = sub and inflight[sub]
  if status == 200 and i and ver then
    items[i].ver[items[i].k] = ver
    inflight[sub] = nil
    free[#free + 1] = i
  else
    lost = lost + 1
  end
end
if items_file == "" then request, response = nil, nil end  -- a static request: wrk's fast path

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"mean_ms": %.3f, "max_ms": %.3f, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
