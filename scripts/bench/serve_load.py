#!/usr/bin/env python3
"""Load figures of a running `imgsearch serve` (scripts/bench.sh serve).

    serve_load.py ADDRESS PID IMAGES [--seconds S] [--connections C] [--upload FILE] [--label TEXT]

SIMILAR_FLAGS in the environment adds query parameters ("&rerank=0").

wrk sends similar-by-id queries for random ids in 1..IMAGES over C
connections for S seconds and reports queries/s, p50/p99 latency and
errors (non-2xx answers and socket errors); then 300 sequential queries
give the server's own search time (the answers' searchMilliseconds),
and with --upload, 10 sequential searches by uploading FILE give its
round-trip time. The server's resident memory (VmRSS, the peak VmHWM,
and its anonymous and file-backed parts) is read from /proc/PID/status. One line of JSON on stdout.
"""
import argparse
import json
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
import urllib.request

# More query parameters for every similar-by-id request ("&rerank=0").
EXTRA = os.environ.get("SIMILAR_FLAGS", "")


def wrk(address, images, seconds, connections):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    # Each request a random id; any answer but 2xx counts as an error.
    script.write(f"""
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/images/" .. math.random(1, {images}) .. "/similar?k=10{EXTRA}")
end
errors = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then errors = errors + 1 end
end
""")
    script.close()
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, address],
            capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in socket.groups()) if socket else 0)
    return {
        "queries_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"), "p99_ms": latency("99"),
        "requests": requests, "errors": errors,
    }


def search_times(address, images, count=300):
    times = []
    rng = random.Random(11)
    for _ in range(count):
        with urllib.request.urlopen(f"{address}/api/images/{rng.randint(1, images)}/similar?k=10{EXTRA}") as answer:
            times.append(json.load(answer)["searchMilliseconds"])
    times.sort()
    return {"search_median_ms": statistics.median(times), "search_p99_ms": times[int(len(times) * 0.99) - 1]}


def upload_times(address, path, count=10):
    body = open(path, "rb").read()
    round_trips, searches = [], []
    for _ in range(count):
        request = urllib.request.Request(f"{address}/api/search?k=10", data=body,
                                         headers={"Content-Type": "image/jpeg"}, method="POST")
        start = time.perf_counter()
        with urllib.request.urlopen(request) as answer:
            searches.append(json.load(answer)["searchMilliseconds"])
        round_trips.append((time.perf_counter() - start) * 1000)
    return {"upload_median_ms": statistics.median(round_trips), "upload_search_median_ms": statistics.median(searches),
            "upload_bytes": len(body)}


def memory(pid):
    """Resident memory: all of it, the peak, and the anonymous part (the
    heap: hashes, caches), apart from the pages of the database file that
    SQLite's memory map touched, which are the system's page cache and are
    given back under pressure."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) / 1024
    return {"rss_mb": round(fields["VmRSS"], 1), "peak_rss_mb": round(fields["VmHWM"], 1),
            "anonymous_mb": round(fields["RssAnon"], 1), "file_mb": round(fields["RssFile"], 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("address")
    parser.add_argument("pid", type=int)
    parser.add_argument("images", type=int)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--upload")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    result = {"label": args.label}
    result.update(wrk(args.address, args.images, args.seconds, args.connections))
    result.update(search_times(args.address, args.images))
    if args.upload:
        result.update(upload_times(args.address, args.upload))
    result.update(memory(args.pid))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
