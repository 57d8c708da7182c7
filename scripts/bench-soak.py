#!/usr/bin/env python3
"""Runs mixed enroll, poll and cacerts load against estgate on 127.0.0.1 for a fixed time and
samples the server's RSS and open file descriptors every 10 seconds.

The load is three estgate-bench processes at once (enroll at concurrency 2, poll at 4, cacerts
at 2), restarted every minute because each run has a request cap (at most 100,000). Prints one JSON
object with the samples and the summed request counts.
"""
import argparse
import json
import subprocess
import sys
import time

from bench_process_stats import process_stats

CHUNK_SECONDS = 60
# Enroll requests allowed per second of a chunk, above the enroll rate at concurrency 2 measured
# on the benchmark machines (at most about 300/s).
ENROLL_REQUESTS_PER_SECOND = 500
SAMPLE_SECONDS = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True, help="estgate-bench binary")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="PID of estgate serve")
    parser.add_argument("--ca-file", required=True)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--enroll-credentials", required=True, help="USER:PASSWORD in the domain open")
    parser.add_argument("--poll-credentials", required=True, help="USER:PASSWORD in the domain default")
    arguments = parser.parse_args()
    if not 10 <= arguments.seconds <= 3600:
        sys.exit("--seconds must be 10 to 3600")

    enroll_user, enroll_password = arguments.enroll_credentials.split(":", 1)
    poll_user, poll_password = arguments.poll_credentials.split(":", 1)
    common = ["--target", f"127.0.0.1:{arguments.port}", "--server-name", "localhost",
              "--ca-file", arguments.ca_file, "--json"]
    workloads = {
        "enroll": ["--workload", "enroll", "--concurrency", "2", "--label", "open",
                   "--username", enroll_user, "--password=" + enroll_password],
        "poll": ["--workload", "poll", "--concurrency", "4", "--username", poll_user, "--password=" + poll_password],
        "cacerts": ["--workload", "cacerts", "--concurrency", "2"],
    }

    start = time.monotonic()
    samples = [{"second": 0, **process_stats(arguments.pid)}]
    totals = {name: {"requests": 0, "errors": 0} for name in workloads}
    next_sample = SAMPLE_SECONDS
    while time.monotonic() - start < arguments.seconds:
        chunk = max(min(CHUNK_SECONDS, arguments.seconds - (time.monotonic() - start)), 0.1)
        # Enroll makes its CSRs before its clock starts, then runs its full duration, so its cap
        # follows the chunk. A fixed cap of 30,000 made a 30 s soak last 56 s.
        caps = {"enroll": min(30000, max(100, int(ENROLL_REQUESTS_PER_SECOND * chunk)))}
        processes = {
            name: subprocess.Popen([arguments.bench, *common, *options, "--requests", str(caps.get(name, 100000)),
                                    "--duration", f"{chunk:.1f}"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            for name, options in workloads.items()
        }
        while any(process.poll() is None for process in processes.values()):
            if time.monotonic() - start >= next_sample:
                samples.append({"second": round(time.monotonic() - start), **process_stats(arguments.pid)})
                next_sample += SAMPLE_SECONDS
            time.sleep(0.5)
        for name, process in processes.items():
            output = process.stdout.read()
            try:
                result = json.loads(output)
                totals[name]["requests"] += result["requests"]
                totals[name]["errors"] += result["errors"]
            except (ValueError, KeyError):
                totals[name]["errors"] += 1

    samples.append({"second": round(time.monotonic() - start), **process_stats(arguments.pid)})
    time.sleep(2)
    after = process_stats(arguments.pid)
    print(json.dumps({"seconds": arguments.seconds, "samples": samples, "after_load": after, "totals": totals},
                     sort_keys=True))


if __name__ == "__main__":
    main()
