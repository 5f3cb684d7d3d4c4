#!/usr/bin/python3
"""Runs a command on a pseudo-terminal of a given size and replays what it wrote on a
terminal emulator (python3-pyte), so a test can see what a person would: every screen
line that was ever shown, the final screen, and the widest line the program wrote.

usage: pty_screen.py COLS ROWS OUT_JSON -- COMMAND...
OUT_JSON gets {"exit": code, "seen": [lines ever on screen], "final": [final screen],
"segments": [every distinct run of text written between cursor moves and line breaks]}
(a segment longer than the terminal is a line that wrapped). The command's exit code is
also this script's."""
import json
import os
import pty
import re
import select
import struct
import sys
import fcntl
import termios

import pyte

cols, rows, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
command = sys.argv[sys.argv.index("--") + 1:]

pid, fd = pty.fork()
if pid == 0:
    # The size is set on the terminal before the program starts, so its first look sees it.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    os.execvp(command[0], command)

screen = pyte.Screen(cols, rows)
stream = pyte.ByteStream(screen)
raw = bytearray()
seen = set()
while True:
    ready, _, _ = select.select([fd], [], [], 1.0)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    raw += chunk
    stream.feed(chunk)
    seen.update(line.rstrip() for line in screen.display if line.strip())
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)

# Text between control sequences and line/carriage moves: what one write put on one line.
text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"\n", bytes(raw))
segments = {seg.decode("utf-8", "replace") for seg in re.split(rb"[\r\n]", text) if seg}
json.dump({"exit": code, "seen": sorted(seen), "final": [l.rstrip() for l in screen.display],
           "segments": sorted(segments)}, open(out_path, "w"), indent=1)
sys.exit(code if code >= 0 else 128 - code)
