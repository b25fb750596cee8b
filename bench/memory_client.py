"""The Memory benchmark's client: boto3, as agents call Memory, against dev or moto.

  create URL NAME                 -> the new memory's id
  events URL MEMORY N THREADS     -> CreateEvent calls per second (N in all, THREADS at once)
  list URL MEMORY N               -> ListEvents calls per second (a page of 100 events, N times)
  seed URL MEMORY COUNT           -> BatchCreateMemoryRecords until the memory holds COUNT records
  retrieve URL MEMORY N           -> RetrieveMemoryRecords latency over N queries: "median p95" ms
"""

import random
import sys
import threading
import time

import boto3
from botocore.config import Config

WORDS = """account actor agent answer apple april arrive autumn baker balance banana battery beach
bicycle billing birthday blue boat book border bread breakfast bridge budget cable camera
candle car carpet castle cat chair cheese chess city cloud coffee colour concert cookie
copper cotton country cricket customer dance data desert diary dinner doctor dog dragon
dream dress drink driver eagle earth engine evening family farm february festival field
file film finance fish flight flower football forest friday friend garden garlic ginger
glass gold guitar hammer harbor hat health hiking holiday honey horse hotel house invoice
island jacket jazz journey jungle kettle key kitchen ladder lake lamp laptop lemon letter
library lisbon lunch manager mango market meeting menu metal milk monday money morning
mountain museum music network night noodle ocean office orange order painting paper
parrot party pasta payment pencil pepper phone piano picture pizza planet plate pocket
poetry project purple rabbit radio rain recipe river road rocket salad salmon school
science season shirt shoe silver singer sister snow soccer sofa spring station storm
street summer sunday table tea teal team tennis theater ticket tiger tomato train travel
tuesday umbrella vacation valley violin wallet water weekend window winter wolf yellow""".split()


def clients(url):
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench",
              aws_secret_access_key="bench", config=Config(retries={"max_attempts": 1},
              max_pool_connections=32))
    return boto3.client("bedrock-agentcore", **kw), boto3.client("bedrock-agentcore-control", **kw)


def event(dp, memory, session, text):
    dp.create_event(memoryId=memory, actorId="bench", sessionId=session, eventTimestamp=time.time(),
                    payload=[{"conversational": {"content": {"text": text}, "role": "USER"}}])


def events(url, memory, n, threads):
    per = n // threads

    def run(t):
        dp, _ = clients(url)
        for i in range(per):
            event(dp, memory, f"s{t}", f"event {i} of writer {t}")

    workers = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return f"{per * threads / (time.perf_counter() - start):.0f}"


def list_events(url, memory, n):
    dp, _ = clients(url)
    for i in range(100):
        event(dp, memory, "listed", f"event {i}")
    start = time.perf_counter()
    for _ in range(n):
        got = dp.list_events(memoryId=memory, actorId="bench", sessionId="listed", maxResults=100,
                             includePayloads=True)["events"]
        assert len(got) == 100, len(got)
    return f"{n / (time.perf_counter() - start):.0f}"


def seed(url, memory, count):
    dp, _ = clients(url)
    rng = random.Random(7)
    have = 0
    while have < count:
        batch = [{"requestIdentifier": f"r{have + i}", "namespaces": [f"/users/u{rng.randrange(50)}/facts/"],
                  "content": {"text": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 16)))},
                  "timestamp": time.time()} for i in range(min(100, count - have))]
        out = dp.batch_create_memory_records(memoryId=memory, records=batch)
        assert not out["failedRecords"], out["failedRecords"][:1]
        have += len(batch)
    return str(have)


def retrieve(url, memory, n):
    dp, _ = clients(url)
    rng = random.Random(11)
    times = []
    for _ in range(n):
        query = " ".join(rng.choice(WORDS) for _ in range(3))
        start = time.perf_counter()
        dp.retrieve_memory_records(memoryId=memory, namespacePath="/users/",
                                   searchCriteria={"searchQuery": query, "topK": 10})
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return f"{times[len(times) // 2]:.1f} {times[int(len(times) * 0.95)]:.1f}"


def main():
    cmd, url = sys.argv[1], sys.argv[2]
    if cmd == "create":
        _, cp = clients(url)
        print(cp.create_memory(name=sys.argv[3], eventExpiryDuration=30)["memory"]["id"])
    elif cmd == "events":
        print(events(url, sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    elif cmd == "list":
        print(list_events(url, sys.argv[3], int(sys.argv[4])))
    elif cmd == "seed":
        print(seed(url, sys.argv[3], int(sys.argv[4])))
    else:
        print(retrieve(url, sys.argv[3], int(sys.argv[4])))


main()
