#!/usr/bin/env python3
"""Opens idle keep-alive TLS connections to an estgate server on 127.0.0.1 and reports its RSS.

Each connection completes the TLS handshake and one keep-alive GET cacerts, so it is an
established, idle HTTP/1.1 connection: the server's idle timeout (60 s by default) applies
instead of the 10 s header timeout of a connection that never sent a request. The script
reads VmRSS and the open descriptors of the server before, while all connections are held,
and after they are closed, and prints one JSON object.
"""
import argparse
import json
import socket
import ssl
import sys
import time

from bench_process_stats import process_stats


def read_response(connection):
    """Reads one HTTP response with a Content-Length body and returns its status."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response head")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed inside the response body")
        body += chunk
    return int(head.split(b" ", 2)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="PID of estgate serve")
    parser.add_argument("--ca-file", required=True)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--hold", type=float, default=8, help="seconds to hold the connections open")
    arguments = parser.parse_args()
    if not 1 <= arguments.connections <= 5000 or not 0 <= arguments.hold <= 50:
        sys.exit("--connections must be 1 to 5000 and --hold 0 to 50 seconds (under the 60 s idle timeout)")

    context = ssl.create_default_context(cafile=arguments.ca_file)
    request = b"GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"
    before = process_stats(arguments.pid)

    connections = []
    statuses = {}
    opened_at = time.monotonic()
    try:
        for _ in range(arguments.connections):
            raw = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
            connection = context.wrap_socket(raw, server_hostname="localhost")
            connections.append(connection)
            connection.sendall(request)
            status = read_response(connection)
            statuses[status] = statuses.get(status, 0) + 1
        open_seconds = time.monotonic() - opened_at

        time.sleep(arguments.hold)
        held = process_stats(arguments.pid)
        alive = 0
        for connection in connections:
            connection.setblocking(False)
            try:
                alive += 1 if connection.recv(1) else 0
            except ssl.SSLWantReadError:
                alive += 1
            except (OSError, ssl.SSLError):
                pass
    finally:
        for connection in connections:
            try:
                connection.close()
            except OSError:
                pass

    time.sleep(1)
    after = process_stats(arguments.pid)
    print(json.dumps({
        "connections": arguments.connections,
        "open_seconds": round(open_seconds, 2),
        "hold_seconds": arguments.hold,
        "statuses": statuses,
        "still_open_after_hold": alive,
        "before": before,
        "held": held,
        "after_close": after,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
