-- wrk: each request a random line of the file given after `--`: a path, or a path, a tab and a Cookie.
-- Requests are formatted once at start, so choosing one costs a random number. Each line comes from one of
-- 1,000 client addresses (X-Forwarded-For, read behind TRUSTED_PROXY_COUNT=1), as traffic from many
-- people would: the API's per-client rate limit then counts each client apart, as in production.
local requests = {}

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t?(.*)$")
    if path then
      local headers = {}
      local client = #requests % 1000
      headers["X-Forwarded-For"] = "10.0." .. math.floor(client / 250) .. "." .. (client % 250 + 1)
      if cookie ~= "" then
        headers["Cookie"] = cookie
      end
      requests[#requests + 1] = wrk.format("GET", path, headers)
    end
  end
  -- A different sequence in each thread.
  local address = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
  math.randomseed((os.time() + address) % 2147483647)
end

request = function()
  return requests[math.random(#requests)]
end
