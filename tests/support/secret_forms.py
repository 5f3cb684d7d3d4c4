#!/usr/bin/env python3
"""Test helper for the secrets audit: every form a secret can take in text.

    secret_forms.py watch PID CANARIES OUT      sample /proc until PID exits
    secret_forms.py scan CANARIES PATH...       search files (folders recursively)

CANARIES is a JSON file: {"secrets": {"NAME": "value", ...},
"basic": [["user", "NAME"], ...]} (pairs sent as HTTP basic auth).

`watch` reads, every 10 ms, the cmdline and environ of every process descended from
PID (and the cmdline of PID itself: its environment is where the test put the
secrets), and writes {"seen": [command lines...], "hits": [...]} to OUT when PID is
gone.
`scan` prints one line per hit ("PATH: NAME (form)") and exits 1 when there is any.
"""
import base64
import json
import os
import sys
import time
import urllib.parse


def forms(canaries):
    """(name, form, bytes) for every secret: raw, JSON-escaped (both ways),
    percent-encoded (strict, URL-path, form), percent-decoded, base64, and the
    basic-auth header."""
    out = []
    secrets = canaries["secrets"]
    for name, value in secrets.items():
        candidates = {
            "raw": value,
            "json": json.dumps(value, ensure_ascii=False)[1:-1],
            "json-ascii": json.dumps(value)[1:-1],
            "percent": urllib.parse.quote(value, safe=""),
            "percent-path": urllib.parse.quote(value),
            "percent-plus": urllib.parse.quote_plus(value),
            "base64": base64.b64encode(value.encode()).decode(),
            # What a server that percent-decodes headers (cpp-httplib) echoes back.
            "percent-decoded": urllib.parse.unquote(value),
        }
        for form, text in candidates.items():
            out.append((name, form, text.encode()))
    for user, name in canaries.get("basic", []):
        pair = f"{user}:{secrets[name]}".encode()
        out.append((name, "basic-auth", base64.b64encode(pair)))
    # A form found inside another (the same bytes) is reported once.
    unique = {}
    for name, form, data in out:
        unique.setdefault(data, (name, form, data))
    return list(unique.values())


def search(data, all_forms):
    return [(name, form) for name, form, needle in all_forms if needle in data]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def children_of(root):
    parent = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = read(f"/proc/{entry}/stat")
        if not stat:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        rest = stat[stat.rfind(b")") + 2:].split()
        if len(rest) > 1:
            parent[int(entry)] = int(rest[1])
    found, frontier = set(), {root}
    while frontier:
        nxt = {pid for pid, ppid in parent.items() if ppid in frontier and pid not in found}
        found |= nxt
        frontier = nxt
    return found


def watch(pid, canaries, out_path):
    all_forms = forms(canaries)
    seen, hits = set(), set()
    while os.path.exists(f"/proc/{pid}"):
        hits.update(("runner", "cmdline", n, f) for n, f in search(read(f"/proc/{pid}/cmdline"), all_forms))
        for child in children_of(pid):
            cmd = read(f"/proc/{child}/cmdline")
            if cmd:
                seen.add(cmd.replace(b"\0", b" ").decode(errors="replace").strip()[:200])
            for what in ("cmdline", "environ"):
                data = cmd if what == "cmdline" else read(f"/proc/{child}/{what}")
                for name, form in search(data, all_forms):
                    hits.add((cmd.split(b"\0")[0].decode(errors="replace"), what, name, form))
        time.sleep(0.01)
    with open(out_path, "w") as f:
        json.dump({"seen": sorted(seen), "hits": sorted(hits)}, f)


def scan(canaries, paths):
    all_forms = forms(canaries)
    hits = 0
    for top in paths:
        files = [top] if not os.path.isdir(top) else [
            os.path.join(d, n) for d, _, names in os.walk(top) for n in names]
        for path in files:
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            for name, form in search(read(path), all_forms):
                print(f"{path}: {name} ({form})")
                hits += 1
    return 1 if hits else 0


if __name__ == "__main__":
    with open(sys.argv[2] if sys.argv[1] == "scan" else sys.argv[3]) as f:
        CANARIES = json.load(f)
    if sys.argv[1] == "watch":
        watch(int(sys.argv[2]), CANARIES, sys.argv[4])
    else:
        sys.exit(scan(CANARIES, sys.argv[3:]))
