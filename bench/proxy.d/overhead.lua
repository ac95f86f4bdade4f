-- wrk script for bench/proxy: records the x-gatehouse-overhead-us response header of
-- every response into one file per wrk thread (OVERHEAD_DIR/overhead-<n>.txt).
-- Parsing headers in Lua slows wrk down, so this runs apart from the measured rounds.
local counter = 0
local threads = {}

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

function init(args)
   local dir = os.getenv("OVERHEAD_DIR") or "."
   out = io.open(dir .. "/overhead-" .. id .. ".txt", "w")
end

function response(status, headers, body)
   local v = headers["x-gatehouse-overhead-us"] or headers["X-Gatehouse-Overhead-Us"]
   if v then
      out:write(v, "\n")
      written = (written or 0) + 1
      if written % 256 == 0 then out:flush() end
   end
end

function done(summary, latency, requests)
   -- files are flushed when the thread's Lua state closes; nothing to add here
end
