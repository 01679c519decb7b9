-- wrk script: sends the AdmissionReviews listed in BODIES in turn and checks every answer: HTTP 200,
-- the request's uid echoed, and the decision expected for that request (EXPECT: uid=true|false,...;
-- without EXPECT, a uid holding -allow- or -deny- names it, as generate.py --requests writes them;
-- EXPECT=fixed: any uid, allowed, for nginx's fixed answer).
-- DELAY (ms): each connection waits that long between requests, so that 4 connections and DELAY=20
-- make about 200 requests/s: latency at a steady rate, measured by wrk's own C client (closed loop:
-- a stall delays the next request instead of queueing it).
-- LABEL: the summary line printed at the end is "LABEL: requests, p50 / p90 / p99 / max, wrong".
local bodies, expected = {}, {}
for path in string.gmatch(os.getenv("BODIES"), "[^,]+") do
  local f = assert(io.open(path, "r"))
  bodies[#bodies + 1] = f:read("*a")
  f:close()
end
local fixed = os.getenv("EXPECT") == "fixed"
for uid, allowed in string.gmatch(os.getenv("EXPECT") or "", "([%w%-]+)=(%a+)") do
  expected[uid] = allowed
end
local function expectation(uid)
  if fixed then return "true" end
  if expected[uid] then return expected[uid] end
  if string.find(uid, "-allow-", 1, true) then return "true" end
  if string.find(uid, "-deny-", 1, true) then return "false" end
  return nil
end
local pause = tonumber(os.getenv("DELAY") or "")
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
n, wrong = 0, 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end
if pause then
  function delay()
    return pause
  end
end
function response(status, headers, body)
  local uid = string.match(body, '"uid":"([%w%-]+)"')
  local allowed = string.match(body, '"allowed":(%a+)')
  if status ~= 200 or uid == nil or expectation(uid) ~= allowed then
    wrong = wrong + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("wrong") or 0)
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + summary.errors.status
  local label = os.getenv("LABEL")
  if label then
    io.write(string.format("%-24s %7d requests  p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f ms  %d wrong or failed\n",
      label, summary.requests, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, total + errors))
  else
    io.write(string.format("answers checked: %d requests, %d wrong or failed (errors: connect %d, read %d, write %d, timeout %d, status %d)\n",
      summary.requests, total, summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.timeout, summary.errors.status))
  end
end
