-- wrk script for the soak: requests spread over SOAK_SESSIONS session ids.
local sessions = tonumber(os.getenv("SOAK_SESSIONS") or "1000")
local count = 0
local offset = 0

function setup(thread)
  offset = offset + 1
  thread:set("offset", offset)
end

function request()
  count = count + 1
  local sid = string.format("soak-session-%07d-%020d", (count * 7 + offset) % sessions, 0)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"] = sid,
  }, '{"hello": "world"}')
end
