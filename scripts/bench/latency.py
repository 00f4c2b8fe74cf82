#!/usr/bin/env python3
"""Wall time of a command, process start to exit, the way a shell user
meets it: latency.py RUNS COMMAND... runs it once untimed (to warm the page
cache), then RUNS times, and prints "median_ms min_ms cpu_median_ms": the
median and the fastest wall time, and the median CPU time (user + system,
all threads) of one run. On a shared machine the wall times move with the
other jobs; the CPU time much less. Output of the command is discarded; a
failing run stops with its stderr."""
import resource, statistics, subprocess, sys, time

runs, command = int(sys.argv[1]), sys.argv[2:]

def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

def once():
    cpu_before, start = cpu_seconds(), time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu_before
    if done.returncode != 0:
        sys.exit(f"latency: {' '.join(command)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return wall * 1000, cpu * 1000

once()
walls, cpus = zip(*(once() for _ in range(runs)))
print(f"{statistics.median(walls):.1f} {min(walls):.1f} {statistics.median(cpus):.1f}")
