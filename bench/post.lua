-- wrk request: the same small JSON invocation for every target, one session.
wrk.method = "POST"
wrk.body = '{"hello": "world"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"] = "bench-session-0000000000000000000000000000"
