-- wrk script for bench/ai: chat.lua at a fixed total rate (AI_RATE requests/s spread over
-- AI_THREADS wrk threads), recording every x-gatehouse-overhead-us response header into
-- AI_OVERHEAD_DIR/overhead-<thread>.txt.
--
-- Pacing: each thread hands out send slots 1000 * AI_THREADS / AI_RATE ms apart from a
-- monotonic clock; delay() (called by wrk before each request on a connection) waits
-- for the next slot. A connection that comes back after its slot has passed sends at
-- once and the schedule restarts from now, so a server that cannot keep up shows as an
-- achieved rate below the target (bench/ai reports it) instead of a burst.
dofile((os.getenv("AI_LUA_DIR") or ".") .. "/chat.lua")

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_ai_timespec;
int clock_gettime(int clock_id, bench_ai_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_ai_timespec")
local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
   return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local counter = 0
function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
end

local interval, next_slot, out, written

function init(args)
   local rate = tonumber(os.getenv("AI_RATE") or "") or 1000
   local threads = tonumber(os.getenv("AI_THREADS") or "") or 1
   interval = 1000 * threads / rate
   -- Stagger the threads' schedules so their slots interleave.
   next_slot = now_ms() + interval * (id - 1) / threads
   local dir = os.getenv("AI_OVERHEAD_DIR") or "."
   out = io.open(dir .. "/overhead-" .. id .. ".txt", "w")
   written = 0
end

function delay()
   local now = now_ms()
   local wait = next_slot - now
   if wait < 0 then
      next_slot = now + interval
      return 0
   end
   next_slot = next_slot + interval
   return math.floor(wait + 0.5)
end

function response(status, headers, body)
   local v = headers["x-gatehouse-overhead-us"] or headers["X-Gatehouse-Overhead-Us"]
   if v then
      out:write(v, "\n")
      written = written + 1
      if written % 256 == 0 then
         out:flush()
      end
   end
end
