"""Times SSE responses: time to the first event and to the last, over REPEAT requests on one
keep-alive connection. Prints medians in milliseconds: `first total`."""

import http.client
import json
import statistics
import sys
import time

host, port, path, n, repeat = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
body = json.dumps({"n": n})
headers = {
    "Content-Type": "application/json",
    "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id": "bench-stream-session-000000000000000000",
}
conn = http.client.HTTPConnection(host, port)
firsts, totals = [], []
for i in range(repeat + 3):
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    resp = conn.getresponse()
    first, events = None, 0
    while True:
        line = resp.readline()
        if not line:
            break
        if line.startswith(b"data:"):
            events += 1
            if first is None:
                first = time.perf_counter() - t0
    total = time.perf_counter() - t0
    if events != n:
        sys.exit(f"expected {n} events, got {events}")
    if i >= 3:  # warm-up
        firsts.append(first * 1000)
        totals.append(total * 1000)
print(f"{statistics.median(firsts):.3f} {statistics.median(totals):.3f}")
