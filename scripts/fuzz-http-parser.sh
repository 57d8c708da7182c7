#!/usr/bin/env bash
# Builds the HTTP request parser with libFuzzer and AddressSanitizer and runs it for a bounded time.
#
# Usage: scripts/fuzz-http-parser.sh [seconds]   (default 60)
# A crash leaves its input in .build/fuzz/crashes/; add it to HTTPRequestParserTests as a
# regression case.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/fuzz"
mkdir -p "$work/corpus" "$work/crashes"

# The parser's files need no C library, so they are compiled with the harness as one module.
sources=(
    HTTPHeaders.swift HTTPLimits.swift HTTPParseError.swift HTTPRequest.swift
    HTTPRequestHead.swift HTTPRequestParser.swift HTTPRequestParser+Head.swift RequestTarget.swift
)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name HTTPParserFuzz \
    "${sources[@]/#/$root/Sources/HTTPServer/}" \
    "$root/Fuzz/HTTPParserFuzz/main.swift" \
    -o "$work/http-parser-fuzz"

# Seed inputs: the first byte picks the read size, the rest is the request stream.
printf '\x05GET /a%%20b?q HTTP/1.1\r\nHost: a\r\n\r\n' > "$work/corpus/get"
printf '\x03POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello' > "$work/corpus/post"
printf '\x07POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: v\r\n\r\n' > "$work/corpus/chunked"

"$work/http-parser-fuzz" "$work/corpus" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$work/crashes/"
