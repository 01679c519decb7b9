-- wrk script: the AdmissionReviews listed in BODIES in turn, each connection waiting 20 ms between
-- requests, so that 4 connections make about 200 requests/s: latency at a steady rate, measured by
-- wrk's own C client (closed loop: a stall delays the next request instead of queueing it).
local bodies = {}
for path in string.gmatch(os.getenv("BODIES"), "[^,]+") do
  local f = assert(io.open(path, "r"))
  bodies[#bodies + 1] = f:read("*a")
  f:close()
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
n = 0
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end
function delay()
  return 20
end
