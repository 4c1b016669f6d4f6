-- wrk: each request a random line of the file given after `--`: a path, or a path, a tab and a Cookie.
-- Requests are formatted once at start, so choosing one costs a random number.
local requests = {}

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t?(.*)$")
    if path then
      local headers = {}
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
