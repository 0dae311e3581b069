-- wrk script: the same request again and again, from arguments given after "--":
-- method, path, body, content type, cookies (empty strings for none). Several cookies,
-- separated by "|", are sent in turn: each request as another visitor.
local requests = {}
local sent = 0

function init(args)
  local method, path, body, content_type, cookies = args[1], args[2], args[3], args[4], args[5]
  if body == "" then body = nil end
  for cookie in string.gmatch(cookies .. "|", "([^|]*)|") do
    local headers = { ["Accept-Encoding"] = "br, gzip" }
    if content_type ~= "" then headers["Content-Type"] = content_type end
    if cookie ~= "" then headers["Cookie"] = cookie end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end
