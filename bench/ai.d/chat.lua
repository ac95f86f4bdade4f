-- wrk script for bench/ai: POSTs a small OpenAI chat request. Extra request headers come
-- from AI_HEADERS, one "Name: value" per line (Portkey's routing headers, a bearer key).
-- No response() here: defining one makes wrk hand every response to Lua, which slows it
-- down, so the throughput rounds use this script as is.
wrk.method = "POST"
wrk.path = os.getenv("AI_PATH") or "/v1/chat/completions"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
for line in (os.getenv("AI_HEADERS") or ""):gmatch("[^\n]+") do
   local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
   if name then
      wrk.headers[name] = value
   end
end
