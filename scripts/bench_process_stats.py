"""Reads the memory, thread and descriptor counts of a process from /proc (Linux only)."""
import os


def process_stats(pid):
    """Returns VmRSS, VmHWM and anonymous RSS in KiB, the thread count and the number of open descriptors."""
    stats = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:", "Threads:")):
                name, value = line.split(":", 1)
                stats[name] = int(value.split()[0])
    # VmRSS includes the mapped pages of shared libraries. Anonymous in smaps_rollup leaves them
    # out, so it is the process's own heap, stacks and caches.
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Anonymous:"):
                stats["Anonymous"] = int(line.split(":", 1)[1].split()[0])
    return {"rss_kib": stats["VmRSS"], "peak_rss_kib": stats["VmHWM"], "anonymous_kib": stats.get("Anonymous"),
            "threads": stats["Threads"], "fds": len(os.listdir(f"/proc/{pid}/fd"))}
