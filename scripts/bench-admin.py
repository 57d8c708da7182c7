#!/usr/bin/env python3
"""Times the admin commands that PKI administrators run most against a data directory.

Each command runs three times in a row, the first with whatever the page cache holds. Every
run prints one JSON object per line with its wall time, peak RSS, exit status, the first line
of its error output and whether it ended as expected. An id prefix that matches several
requests must end with status 1 and a message that names the matches. On a small database the
same prefix may match one request (status 0) or none (status 1, "not found").
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

RUNS = 3
TIMEOUT_SECONDS = 120


def commands(device):
    """Returns (label, arguments, messages allowed with exit status 1) for each timed command."""
    return [
        ("requests list --state AwaitingApproval", ["requests", "list", "--state", "AwaitingApproval"], ()),
        ("requests list --device", ["requests", "list", "--device", device], ()),
        ("requests show with an ambiguous prefix", ["requests", "show", "a"], ("matches", "not found")),
        ("audit", ["audit"], ()),
        ("audit --device", ["audit", "--device", device], ()),
    ]


def timed_run(estgate, data_dir, arguments):
    """Runs one command with its output discarded.

    Returns seconds, peak RSS in KiB, the exit status and the first line of standard error.
    """
    # Standard error goes to a file, not a pipe, so a long message cannot fill the pipe and stall
    # the command while this script waits for it.
    with tempfile.TemporaryFile() as error_file:
        start = time.monotonic()
        process = subprocess.Popen([estgate, *arguments, "--data-dir", data_dir],
                                   stdout=subprocess.DEVNULL, stderr=error_file)
        # wait4 reports this command's own peak RSS. The timer bounds the wait.
        timer = threading.Timer(TIMEOUT_SECONDS, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        error_file.seek(0)
        error_line = error_file.read().decode(errors="replace").split("\n", 1)[0]

    exit_status = "timed out" if seconds >= TIMEOUT_SECONDS else process.returncode
    return seconds, usage.ru_maxrss, exit_status, error_line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estgate", required=True, help="estgate binary")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--device", default="demo-device", help="device whose requests were seeded")
    parser.add_argument("--pending", type=int, required=True, help="pending requests in the data directory")
    parser.add_argument("--database", required=True, choices=["seeded", "unseeded"])
    arguments = parser.parse_args()

    for label, command, failure_messages in commands(arguments.device):
        for run in range(1, RUNS + 1):
            seconds, peak_kib, status, error_line = timed_run(arguments.estgate, arguments.data_dir, command)
            expected = status == 0 or (status == 1 and any(message in error_line for message in failure_messages))
            print(json.dumps({
                "section": "admin", "database": arguments.database, "pending": arguments.pending,
                "command": label, "run": run, "seconds": round(seconds, 4), "peak_rss_kib": peak_kib,
                "exit_status": status, "error": error_line, "as_expected": expected,
            }, sort_keys=True))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
