"""Reads the memory, thread and descriptor counts of a process from /proc (Linux only)."""
import os


def process_stats(pid):
    """Returns VmRSS and VmHWM in KiB, the thread count and the number of open descriptors."""
    stats = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:", "Threads:")):
                name, value = line.split(":", 1)
                stats[name] = int(value.split()[0])
    return {"rss_kib": stats["VmRSS"], "peak_rss_kib": stats["VmHWM"], "threads": stats["Threads"],
            "fds": len(os.listdir(f"/proc/{pid}/fd"))}
