-- wrk request: one MCP tools/call (add_numbers), the same for the server direct and through dev.
-- MCP_SESSION, when set, is sent as Mcp-Session-Id so every call reaches one dev session.
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add_numbers","arguments":{"a":2,"b":40}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
local session = os.getenv("MCP_SESSION")
if session and session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
end
