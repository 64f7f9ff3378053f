-- wrk script: POSTs one GraphQL request body over and over and checks every answer.
--
--   BODY_FILE=q1.json API_KEY=og_… EXPECT='"nodes":[{' wrk -s bench/wrk/graphql.lua URL
--
-- A response counts as bad when its status is not 200, when its body contains
-- "errors" (GraphQL errors: a 200 with errors is a failure), or when it lacks
-- the EXPECT substring (e.g. `"userErrors":[]` for mutations). The done()
-- callback prints one machine-readable RESULT line for bench/run.sh.

local function read(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.body = read(os.getenv("BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("API_KEY"), "API_KEY is not set")
local expect = os.getenv("EXPECT")
if expect == "" then expect = nil end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  responses, bad, errors, bad_status, missing = 0, 0, 0, 0, 0
  sample = nil
end

function response(status, headers, body)
  responses = responses + 1
  local is_bad = false
  if status ~= 200 then bad_status = bad_status + 1; is_bad = true end
  if string.find(body, '"errors"', 1, true) then errors = errors + 1; is_bad = true end
  if expect and not string.find(body, expect, 1, true) then missing = missing + 1; is_bad = true end
  if is_bad then
    bad = bad + 1
    if sample == nil then sample = string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local r, x, e, b, m, s = 0, 0, 0, 0, 0, nil
  for _, t in ipairs(threads) do
    r = r + t:get("responses")
    x = x + t:get("bad")
    e = e + t:get("errors")
    b = b + t:get("bad_status")
    m = m + t:get("missing")
    s = s or t:get("sample")
  end
  local se = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f mean_ms=%.3f max_ms=%.3f " ..
    "checked=%d bad=%d errors=%d bad_status=%d missing=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000,
    r, x, e, b, m, se.connect + se.read + se.write + se.timeout))
  if s then io.write("SAMPLE_BAD_RESPONSE " .. s .. "\n") end
end
