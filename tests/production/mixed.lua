-- wrk script: a class of students browsing, logging in and writing notes at once.
-- run_load.py prepends `sandboxes = {...}` (one cookie per sandbox) and `notes_per_sandbox`.
local counter = 0
local puts = 0

local function note_put()
  -- The n-th PUT writes note (n // #sandboxes) % notes_per_sandbox of sandbox n % #sandboxes,
  -- with a text naming both, so a crossed or lost write shows up in the check afterwards.
  local box = puts % #sandboxes
  local note = math.floor(puts / #sandboxes) % notes_per_sandbox
  puts = puts + 1
  local body = string.format('{"text": "sandbox %d note %d"}', box, note)
  return wrk.format("PUT", string.format("/api/notes/load-%d", note), {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "sandbox=" .. sandboxes[box + 1],
  }, body)
end

function request()
  counter = counter + 1
  local kind = counter % 4
  if kind == 0 then
    return wrk.format("GET", "/")
  elseif kind == 1 then
    return wrk.format("GET", "/methods/put")
  elseif kind == 2 then
    return wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded" },
      "nm=Ada+Lovelace")
  end
  return note_put()
end
