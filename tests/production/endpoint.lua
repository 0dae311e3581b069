-- wrk script: the same request again and again, from arguments given after "--":
-- method, path, body, content type, cookie (empty strings for none).
local request_text

function init(args)
  local method, path, body, content_type, cookie = args[1], args[2], args[3], args[4], args[5]
  local headers = { ["Accept-Encoding"] = "br, gzip" }
  if content_type ~= "" then headers["Content-Type"] = content_type end
  if cookie ~= "" then headers["Cookie"] = cookie end
  if body == "" then body = nil end
  request_text = wrk.format(method, path, headers, body)
end

function request()
  return request_text
end
