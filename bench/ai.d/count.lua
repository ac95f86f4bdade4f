-- wrk script for bench/ai: chat.lua, and each wrk thread stops after AI_STOP_AFTER
-- responses (bench/ai passes its share of the total), so a run sends a known number of
-- requests. wrk's main thread still sleeps for the whole -d, so the thread also leaves
-- AI_DONE_DIR/done-<thread> behind: bench/ai sends wrk SIGINT once all threads have,
-- and wrk prints its summary at once. Requests still in flight on the thread's other
-- connections when it stops are abandoned; wrk's "N requests in" counts completed ones.
dofile((os.getenv("AI_LUA_DIR") or ".") .. "/chat.lua")

local counter = 0
function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
end

local limit, seen

function init(args)
   limit = tonumber(os.getenv("AI_STOP_AFTER") or "") or 10000
   seen = 0
end

function response(status, headers, body)
   seen = seen + 1
   if seen == limit then
      local f = io.open((os.getenv("AI_DONE_DIR") or ".") .. "/done-" .. id, "w")
      if f then
         f:close()
      end
      wrk.thread:stop()
   end
end
