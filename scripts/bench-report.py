#!/usr/bin/env python3
"""Renders the results directory of scripts/bench-estgate.sh as Markdown tables."""
import json
import os
import sys


def load_json_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as text:
        return json.load(text)


def read_speed(path):
    """Sign and verify operations per second from `openssl speed -mr` (OpenSSL 3.0 format)."""
    rates = {}
    if not os.path.exists(path):
        return rates
    with open(path) as lines:
        for line in lines:
            fields = line.strip().split(":")
            if fields[0] == "+F2" and fields[2] == "2048":
                rates["rsa2048"] = {"sign": float(fields[3]), "verify": float(fields[4])}
            elif fields[0] == "+F4" and fields[2] == "256":
                rates["p256"] = {"sign": float(fields[3]), "verify": float(fields[4])}
    return rates


def soak_minute_rows(samples):
    """Returns a row per minute of soak samples: the mean, lowest and highest RSS and anonymous
    RSS in MiB, and the fewest and most open descriptors. In the recorded runs single samples
    scattered by up to 1.6 MiB as the allocator's arenas grew and shrank, so means show a trend
    better."""
    minutes = {}
    for sample in samples:
        minutes.setdefault(sample["second"] // 60, []).append(sample)
    rows = []
    for minute, group in sorted(minutes.items()):
        cells = [f"{minute * 60} to {minute * 60 + 59} s", len(group)]
        for field in ("rss_kib", "anonymous_kib"):
            values = [sample[field] / 1024 for sample in group if sample.get(field) is not None]
            cells.append(f"{sum(values) / len(values):.1f} ({min(values):.1f} to {max(values):.1f})" if values else "-")
        descriptors = [sample["fds"] for sample in group]
        cells.append(f"{min(descriptors)} to {max(descriptors)}")
        rows.append(cells)
    return rows


def mebibytes(stats, field):
    """Formats a KiB figure of process_stats as MiB, or "-" for results recorded without it."""
    return "-" if stats.get(field) is None else f"{stats[field] / 1024:.1f}"


def milliseconds(value):
    return "-" if value is None else f"{value:.2f}"


def table(header, rows):
    output = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    output += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(output) + "\n"


def run_row(result, label):
    requests = result.get("requests", 0)
    cpu = result.get("server_cpu_seconds")
    cpu_per_request = "-" if not cpu or not requests else f"{1000 * cpu / requests:.2f}"
    client_cpu = result.get("client_cpu_seconds")
    client_cpu_per_request = "-" if not client_cpu or not requests else f"{1000 * client_cpu / requests:.2f}"
    rss = result.get("server_peak_rss_bytes")
    return [label, result.get("concurrency"), f"{result.get('requests_per_second', 0):.0f}",
            milliseconds(result.get("latency_p50_ms")), milliseconds(result.get("latency_p90_ms")),
            milliseconds(result.get("latency_p99_ms")), milliseconds(result.get("latency_max_ms")),
            "-" if cpu is None else f"{cpu:.2f}", cpu_per_request, client_cpu_per_request,
            "-" if rss is None else f"{rss / 1048576:.1f}", f"{result.get('errors', 0)}/{requests}"]


def mean_of(runs, field):
    values = [run[field] for run in runs if run.get(field)]
    return sum(values) / len(values) if values else None


def ratio(value, reference):
    return "-" if not value or not reference else f"{value / reference:.2f}"


def scaling_table(scaling):
    """Renders each seeded cell against the mean of the unseeded gateway's cells right before and
    after it. Older results without those cells are compared with the 0-pending cell."""
    if not any("database" in run for run in scaling):
        empty = {run["mode"]: run for run in scaling if run["pending"] == 0}
        rows = []
        for run in scaling:
            reference = empty.get(run["mode"], {})
            rows.append([run["pending"], run["mode"], run["concurrency"], f"{run['requests_per_second']:.0f}",
                         milliseconds(run.get("latency_p50_ms")), milliseconds(run.get("latency_p99_ms")),
                         ratio(run.get("latency_p50_ms"), reference.get("latency_p50_ms")),
                         ratio(run.get("latency_p99_ms"), reference.get("latency_p99_ms")),
                         f"{run.get('errors', 0)}/{run.get('requests', 0)}"])
        return table(["pending", "connections", "concurrency", "requests/s", "p50 ms", "p99 ms",
                      "p50 / empty", "p99 / empty", "errors/requests"], rows)

    rows = []
    for run in scaling:
        if run.get("database") != "seeded":
            continue
        references = [other for other in scaling if other.get("database") == "empty"
                      and other["pending"] == run["pending"] and other["mode"] == run["mode"]]
        empty_p50 = mean_of(references, "latency_p50_ms")
        empty_p99 = mean_of(references, "latency_p99_ms")
        errors = sum(other.get("errors", 0) for other in [run, *references])
        requests = sum(other.get("requests", 0) for other in [run, *references])
        rows.append([run["pending"], run["mode"], run["concurrency"], f"{run['requests_per_second']:.0f}",
                     milliseconds(run.get("latency_p50_ms")), milliseconds(run.get("latency_p99_ms")),
                     milliseconds(empty_p50), milliseconds(empty_p99),
                     ratio(run.get("latency_p50_ms"), empty_p50), ratio(run.get("latency_p99_ms"), empty_p99),
                     f"{errors}/{requests}"])
    return table(["pending", "connections", "concurrency", "requests/s", "p50 ms", "p99 ms",
                  "empty p50 ms", "empty p99 ms", "p50 / empty", "p99 / empty", "errors/requests (all three)"],
                 rows)


def admin_table(admin):
    """Builds one row per command: median wall time and peak RSS on the unseeded and the seeded database."""
    # Runs recorded before the database and as_expected fields existed are sorted by pending.
    for run in admin:
        run.setdefault("database", "seeded" if run["pending"] else "unseeded")
        run.setdefault("as_expected", run.get("exit_status") in run.get("expected_statuses", [0]))
        run.setdefault("error", "")
    seeded_pending = max((run["pending"] for run in admin if run["database"] == "seeded"), default=0)

    def runs_of(command, database):
        return [run for run in admin if run["command"] == command and run["database"] == database]

    def median(values):
        ordered = sorted(values)
        return ordered[len(ordered) // 2] if ordered else None

    rows = []
    for command in dict.fromkeys(run["command"] for run in admin):
        empty, seeded = runs_of(command, "unseeded"), runs_of(command, "seeded")
        empty_seconds = median([run["seconds"] for run in empty])
        seeded_seconds = median([run["seconds"] for run in seeded])
        unexpected = [run for run in empty + seeded if not run["as_expected"]]
        rows.append([
            command,
            "-" if empty_seconds is None else f"{empty_seconds * 1000:.1f}",
            "-" if seeded_seconds is None else f"{seeded_seconds * 1000:.1f}",
            "-" if not empty_seconds or seeded_seconds is None else f"{seeded_seconds / empty_seconds:.2f}",
            "-" if not empty else f"{max(run['peak_rss_kib'] for run in empty) / 1024:.1f}",
            "-" if not seeded else f"{max(run['peak_rss_kib'] for run in seeded) / 1024:.1f}",
            "yes" if not unexpected else "; ".join(sorted({f"{run['exit_status']}: {run['error']}" for run in unexpected})),
        ])
    return table(["command", "unseeded ms", f"seeded ({seeded_pending} pending) ms", "ratio", "unseeded peak RSS MiB",
                  "seeded peak RSS MiB", "ended as expected"], rows)


def cell_name(run):
    """Names an estgate throughput cell by its workload, marking the cells that authenticate with a
    client certificate."""
    workload = run.get("workload", "(failed to run)")
    return workload + (" (client certificate)" if run.get("authentication") == "certificate" else "")


def s_server_label(run):
    turn = run.get("turn")
    return "s_server -www GET" + (f" ({turn})" if turn else "")


def mean_rate(runs):
    """Returns the mean requests/s of the runs that have a rate, or None when none has."""
    rates = [run["requests_per_second"] for run in runs if run.get("requests_per_second")]
    return sum(rates) / len(rates) if rates else None


def main():
    results = sys.argv[1]
    runs = load_json_lines(os.path.join(results, "results.jsonl"))
    speed = read_speed(os.path.join(results, "speed.txt"))
    cores = 1
    out = [f"# estgate benchmark results ({os.path.basename(os.path.normpath(results))})\n"]

    with open(os.path.join(results, "machine.txt")) as machine:
        out.append("### Machine\n\n```\n" + machine.read() + "```\n")
        for line in open(os.path.join(results, "machine.txt")):
            if line.startswith("nproc:"):
                cores = int(line.split(":")[1])

    if speed:
        out.append("### openssl speed (one thread)\n")
        out.append(table(["key", "sign/s", "verify/s"],
                         [[key, f"{rate['sign']:.0f}", f"{rate['verify']:.0f}"] for key, rate in sorted(speed.items())]))

    throughput = [run for run in runs if run.get("section") == "throughput"]
    header = ["workload", "concurrency", "requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU s",
              "server CPU ms/request", "client CPU ms/request", "server peak RSS MiB", "errors/requests"]
    for key in ["p256", "rsa2048"]:
        rows = [run_row(run, cell_name(run) if run["server"] == "estgate" else s_server_label(run))
                for run in throughput if run["key"] == key]
        if rows:
            out.append(f"### Throughput, {key} server key (new TLS connection per request)\n")
            out.append(table(header, rows))

    if throughput and speed:
        out.append("### Ratios\n")
        out.append(
            "Ceiling: one server-key signature (the handshake) + one P-256 verify (the CSR) + one P-256 "
            f"signature (the demo issuing CA) per request, from the one-thread openssl speed rates; "
            f"the {cores}-core ceiling multiplies it by {cores}. The ceiling with measured handshake "
            "replaces the signature by the time of one s_server GET at the same concurrency. The s_server "
            "rate is the mean of its cells at that concurrency (measured before and after estgate's).\n")
        rows = []
        for key in ["p256", "rsa2048"]:
            if key not in speed or "p256" not in speed:
                continue
            seconds = 1 / speed[key]["sign"] + 1 / speed["p256"]["verify"] + 1 / speed["p256"]["sign"]
            ceiling = 1 / seconds
            by = {(run["server"], cell_name(run), run["concurrency"]): run
                  for run in throughput if run["key"] == key and run["server"] == "estgate"}
            for concurrency in sorted({run["concurrency"] for run in throughput if run["key"] == key}):
                baseline = mean_rate([run for run in throughput if run["key"] == key and run["server"] == "s_server"
                                      and run["concurrency"] == concurrency])

                def rate(workload):
                    return by.get(("estgate", workload, concurrency), {}).get("requests_per_second")

                def ratio(value, reference):
                    return "-" if not value or not reference else f"{value / reference:.2f}"

                # The same ceiling with the handshake cost measured: one s_server GET instead of
                # one signature.
                measured = None
                if baseline:
                    measured = 1 / (1 / baseline + 1 / speed["p256"]["verify"] + 1 / speed["p256"]["sign"])
                rows.append([key, concurrency, f"{baseline or 0:.0f}", ratio(rate("poll"), baseline),
                             ratio(rate("poll (client certificate)"), baseline), ratio(rate("cacerts"), baseline), f"{ceiling:.0f}", ratio(rate("enroll"), ceiling),
                             ratio(rate("enroll"), ceiling * cores),
                             "-" if measured is None else f"{measured:.0f}", ratio(rate("enroll"), measured)])
        out.append(table(["server key", "concurrency", "s_server GET/s", "poll / s_server",
                          "poll (client certificate) / s_server", "cacerts / s_server",
                          "enroll ceiling/s (1 core)", "enroll / 1-core ceiling",
                          f"enroll / {cores}-core ceiling", "ceiling with measured handshake/s",
                          "enroll / that ceiling"], rows))

    scaling = [run for run in runs if run.get("section") == "scaling"]
    if scaling:
        out.append("### Poll latency against pending requests\n")
        out.append(scaling_table(scaling))
        for name in ["seed.txt", "query-plan.txt"]:
            path = os.path.join(results, name)
            if os.path.exists(path):
                out.append(f"`{name}`:\n\n```\n" + open(path).read() + "```\n")

    admin = [run for run in runs if run.get("section") == "admin"]
    if admin:
        out.append("### Admin commands against pending requests\n")
        out.append("Median of three runs each, output discarded; the unseeded database is the scaling "
                   "section's reference gateway.\n")
        out.append(admin_table(admin))

    idle = load_json(os.path.join(results, "idle.json"))
    if idle:
        out.append("### Idle keep-alive connections\n")
        rows = [[phase, mebibytes(idle[key], "rss_kib"), mebibytes(idle[key], "anonymous_kib"), idle[key]["fds"],
                 idle[key]["threads"]]
                for phase, key in [("before", "before"), (f"{idle['connections']} held", "held"),
                                   ("after closing", "after_close")]]
        out.append(table(["phase", "RSS MiB", "anonymous RSS MiB", "open fds", "threads"], rows))
        out.append(f"Statuses of the first requests: {idle['statuses']}; connections still open after "
                   f"{idle['hold_seconds']} s idle: {idle['still_open_after_hold']}; opening took "
                   f"{idle['open_seconds']} s.\n")

    soak = load_json(os.path.join(results, "soak.json"))
    if soak:
        samples = soak["samples"]
        # A soak shorter than a minute has no 60 s row.
        first_minute = next((sample for sample in samples[1:-1] if sample["second"] >= 60), None)
        out.append(f"### Soak ({soak['seconds']} s of mixed load, {samples[-1]['second']} s in all)\n")
        rows = [[f"{sample['second']} s", mebibytes(sample, "rss_kib"), mebibytes(sample, "anonymous_kib"), sample["fds"],
                 sample["threads"]]
                for sample in [samples[0], first_minute, samples[-1]] if sample is not None]
        after = soak["after_load"]
        rows.append(["2 s after the load", mebibytes(after, "rss_kib"), mebibytes(after, "anonymous_kib"), after["fds"],
                     after["threads"]])
        out.append(table(["time", "RSS MiB", "anonymous RSS MiB", "open fds", "threads"], rows))
        out.append(table(["workload", "requests", "errors"],
                         [[name, total["requests"], total["errors"]] for name, total in sorted(soak["totals"].items())]))
        out.append("Per minute, the mean of the samples with the lowest and highest in brackets:\n")
        out.append(table(["minute", "samples", "RSS MiB", "anonymous RSS MiB", "open fds"], soak_minute_rows(samples)))
        out.append("RSS samples (MiB, every 10 s): "
                   + " ".join(f"{sample['rss_kib'] / 1024:.0f}" for sample in samples) + "\n")
        if all(sample.get("anonymous_kib") for sample in samples):
            out.append("Anonymous RSS samples (MiB, every 10 s): "
                       + " ".join(f"{sample['anonymous_kib'] / 1024:.1f}" for sample in samples) + "\n")

    print("\n".join(out))


if __name__ == "__main__":
    main()
