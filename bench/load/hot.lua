-- One hot path for wrk (bench/load/wrkdrive.py):
--   wrk -t1 -c32 -d8s -s bench/load/hot.lua URL -- KIND [SEATS.lua] [PATH]
-- KIND is hit (the ceiling's insert), save (one answer, JSON, signed in), attempt (the attempt
-- page, signed in) or page (an anonymous GET of PATH). SEATS.lua returns the prepared
-- participants: {cookie=, path=, token=, answers={{question_id, key}, ...}}.
-- Every response other than 200 counts as an error; done() prints one JSON line.

local kind, seats, path
local threads = {}
not_ok = 0  -- global: done() reads it from each thread (thread:get)

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  kind = args[1]
  if args[2] and args[2] ~= "" then
    seats = dofile(args[2])
  end
  path = args[3]
  math.randomseed(os.time() + #threads)
end

local function browser_headers(seat)
  -- What a phone's browser sends: its session cookie, and that it accepts gzip.
  local headers = { ["Accept-Encoding"] = "gzip" }
  if seat then
    headers["Cookie"] = "session=" .. seat.cookie
  end
  return headers
end

function request()
  if kind == "hit" then
    return wrk.format("POST", "/hit", browser_headers(nil))
  elseif kind == "page" then
    return wrk.format("GET", path, browser_headers(nil))
  end
  local seat = seats[math.random(#seats)]
  local headers = browser_headers(seat)
  if kind == "attempt" then
    return wrk.format("GET", seat.path, headers)
  end
  local answer = seat.answers[math.random(#seat.answers)]
  headers["Content-Type"] = "application/json"
  headers["Accept"] = "application/json"
  headers["X-CSRFToken"] = seat.token
  local body = string.format('{"question_id": %d, "selected": ["%s"]}', answer[1], answer[2])
  return wrk.format("POST", seat.path .. "/jawaban", headers, body)
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("not_ok")
  end
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors))
end
