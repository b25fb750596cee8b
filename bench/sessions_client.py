"""Opens SESSIONS sessions on the emulator (one request each, on one keep-alive connection)."""

import http.client
import sys

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conn = http.client.HTTPConnection(host, port)
for i in range(count):
    conn.request("POST", "/invocations", body=b'{"hello": "world"}', headers={
        "Content-Type": "application/json",
        "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id": f"scale-session-{i:026d}",
    })
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"session {i}: HTTP {r.status}")
