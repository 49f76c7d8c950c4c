-- A steady request rate from Debian's wrk (closed loop on its own), wrk2-style: each connection
-- has its own thread (wrk -t N -c N, so each Lua state sees one connection) and a fixed schedule,
-- and a latency runs from the scheduled send time when the send was late. A stall therefore shows
-- in the tail instead of silently slowing the sender (coordinated omission).
-- Arguments (after --): total rate per second, connections, output file, the paths to cycle through.
local ffi = require('ffi')
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } steady_timespec;
int clock_gettime(int clock, steady_timespec *ts);
]])
local ts = ffi.new('steady_timespec')
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: one clock for every thread
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- Main state: number the threads and give them one start instant, after the connections are up.
local threads = {}
function setup(thread)
  thread:set('index', #threads)
  thread:set('start', now_ms() + 300)
  table.insert(threads, thread)
end

-- Thread state (globals, so that done() can read them through thread:get).
latencies, late, errors, out = {}, 0, 0, nil
local interval, first, requests
local k, slot, scheduled, sent = 0, 0, 0, 0

function init(args)
  local rate, connections = tonumber(args[1]), tonumber(args[2])
  out = args[3]
  requests = {}
  for i = 4, #args do
    table.insert(requests, wrk.format('GET', args[i]))
  end
  local n = tonumber(wrk.thread:get('index'))
  -- Thread n sends at start + n/rate + k·connections/rate: the connections interleave evenly.
  interval = 1000 * connections / rate
  first = tonumber(wrk.thread:get('start')) + 1000 * n / rate
  slot = n % #requests
end

function delay()
  scheduled = first + k * interval
  local wait = scheduled - now_ms()
  -- wrk's timers have whole milliseconds: round down, so a send is at most 1 ms early (and then
  -- measured from the send), never systematically late.
  if wait < 1 then return 0 end
  return math.floor(wait)
end

function request()
  sent = now_ms()
  k = k + 1
  slot = slot % #requests + 1
  return requests[slot]
end

function response(status)
  if sent > scheduled then late = late + 1 end
  latencies[#latencies + 1] = now_ms() - math.min(sent, scheduled)
  if status >= 300 then errors = errors + 1 end
end

-- Main state again: every latency to the output file as JSON, with wrk's own (from-send) tail.
function done(summary, latency)
  local e = summary.errors
  local f = assert(io.open(threads[1]:get('out'), 'w'))
  f:write(string.format('{"requests":%d,"socket_errors":%d,"from_send_p99_us":%d,"from_send_max_us":%d,"threads":[',
    summary.requests, e.connect + e.read + e.write + e.timeout, latency:percentile(99), latency.max))
  for i, thread in ipairs(threads) do
    local lat = thread:get('latencies')
    f:write(i > 1 and ',' or '', string.format('{"late":%d,"errors":%d,"ms":[', thread:get('late'), thread:get('errors')))
    for j = 1, #lat do
      f:write(j > 1 and ',' or '', string.format('%.3f', lat[j]))
    end
    f:write(']}')
  end
  f:write(']}\n')
  f:close()
end
