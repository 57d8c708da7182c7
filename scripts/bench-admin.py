#!/usr/bin/env python3
"""Times the admin commands that PKI administrators run most against a seeded data directory.

Each command runs three times in a row, the first with whatever the page cache holds. Every
run prints one JSON object per line: wall time, peak RSS, exit status and the statuses the
command may end with. An id prefix that matches several requests ends with 1, and on a small
database the same prefix may match one request, which ends with 0.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

RUNS = 3
TIMEOUT_SECONDS = 120


def commands(device):
    """Returns (label, arguments, expected exit statuses) for each timed command."""
    return [
        ("requests list --state AwaitingApproval", ["requests", "list", "--state", "AwaitingApproval"], [0]),
        ("requests list --device", ["requests", "list", "--device", device], [0]),
        ("requests show with an ambiguous prefix", ["requests", "show", "a"], [0, 1]),
        ("audit", ["audit"], [0]),
        ("audit --device", ["audit", "--device", device], [0]),
    ]


def timed_run(estgate, data_dir, arguments):
    """Runs one command with its output discarded and returns seconds, peak RSS in KiB and status."""
    start = time.monotonic()
    process = subprocess.Popen([estgate, *arguments, "--data-dir", data_dir],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4 blocks until the command exits and reports that command's peak RSS. The timer bounds it.
    timer = threading.Timer(TIMEOUT_SECONDS, process.kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    exit_status = "timed out" if seconds >= TIMEOUT_SECONDS else process.returncode
    return seconds, usage.ru_maxrss, exit_status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estgate", required=True, help="estgate binary")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--device", default="demo-device", help="device whose requests were seeded")
    parser.add_argument("--pending", type=int, required=True, help="pending requests in the data directory")
    arguments = parser.parse_args()

    for label, command, expected in commands(arguments.device):
        for run in range(1, RUNS + 1):
            seconds, peak_kib, status = timed_run(arguments.estgate, arguments.data_dir, command)
            print(json.dumps({
                "section": "admin", "pending": arguments.pending, "command": label, "run": run,
                "seconds": round(seconds, 4), "peak_rss_kib": peak_kib, "exit_status": status,
                "expected_statuses": expected,
            }, sort_keys=True))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
