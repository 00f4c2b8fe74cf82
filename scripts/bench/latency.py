#!/usr/bin/env python3
"""Median wall time of a command, process start to exit, the way a shell
user meets it: latency.py RUNS COMMAND... runs it once untimed (to warm the
page cache), then RUNS times, and prints "median_ms min_ms max_ms".
Output of the command is discarded; a failing run stops with its stderr."""
import statistics, subprocess, sys, time

runs, command = int(sys.argv[1]), sys.argv[2:]
def once():
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"latency: {' '.join(command)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return elapsed
once()
times = [once() for _ in range(runs)]
print(f"{statistics.median(times):.1f} {min(times):.1f} {max(times):.1f}")
