#!/usr/bin/env python3
"""A simulator of `limactl` for the lima provider's tests (lima is not packaged for
Debian). It keeps instances as folders under $LIMA_HOME, like lima, and reproduces
the subcommands, output shapes and failure modes the runner relies on:

  list --format json        one JSON object per line: name, status, dir, vmType, arch,
                            cpus, memory (bytes), disk (bytes), sshLocalPort, sshAddress
  create --name=N [--cpus=C] [--memory=GiB] [--tty=false] TEMPLATE
  clone [--cpus=C] [--memory=GiB] [--tty=false] SRC DST   (SRC must be stopped)
  start [--tty=false] N     blocks until "running", like lima
  stop N | delete [--force|-f] N | shell N CMD...

Failure modes (fnmatch patterns on the instance name):
  LIMA_SIM_FAIL_START       start exits 1 as lima does when the VM never reports running
  LIMA_SIM_NEVER_READY      start succeeds but `shell` is refused (sshd never answers)
  LIMA_SIM_FAIL_CLONE       clone exits 1
Errors go to stderr in lima's logrus style: `FATA[0000] message`, exit 1.
Every call is appended to $LIMA_HOME/calls.log for the tests.
"""
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys

HOME = os.environ.get("LIMA_HOME") or os.path.expanduser("~/.lima")
STATE = "sim-state.json"


def fatal(msg):
    sys.stderr.write('time="2026-01-01T00:00:00Z" level=fatal msg="%s"\n' % msg)
    sys.exit(1)


def matches(var, name):
    pattern = os.environ.get(var, "")
    return bool(pattern) and fnmatch.fnmatch(name, pattern)


def inst_dir(name):
    return os.path.join(HOME, name)


def load(name):
    path = os.path.join(inst_dir(name), STATE)
    if not os.path.exists(path):
        fatal('instance "%s" does not exist, run `limactl create %s` to create a new instance' % (name, name))
    with open(path) as f:
        return json.load(f)


def save(name, state):
    with open(os.path.join(inst_dir(name), STATE), "w") as f:
        json.dump(state, f)


def split_flags(args):
    flags, rest = {}, []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and "=" in a:
            k, v = a[2:].split("=", 1)
            flags[k] = v
        elif a in ("--force", "-f", "--tty=false"):
            flags[a.lstrip("-")] = "true"
        elif a.startswith("--") and a[2:] in ("cpus", "memory", "name", "format", "tty"):
            flags[a[2:]] = args[i + 1]
            i += 1
        else:
            rest.append(a)
        i += 1
    return flags, rest


def new_state(flags, base):
    return {
        "status": "Stopped",
        "cpus": int(flags.get("cpus", base.get("cpus", 4))),
        "memory": int(float(flags.get("memory", base.get("memory", 4 * 2**30) / 2**30)) * 2**30),
        "disk": 100 * 2**30,
        "sshLocalPort": 0,
    }


def main(argv):
    os.makedirs(HOME, exist_ok=True)
    with open(os.path.join(HOME, "calls.log"), "a") as log:
        log.write(" ".join(argv) + "\n")
    if not argv:
        fatal("no command")
    cmd, args = argv[0], argv[1:]
    flags, rest = split_flags(args)
    if cmd in ("list", "ls"):
        if flags.get("format", "json" if "json" in args else "") != "json" and "--json" not in args:
            fatal("the simulator only prints --format json")
        names = sorted(n for n in os.listdir(HOME) if os.path.exists(os.path.join(HOME, n, STATE)))
        if not names:
            sys.stderr.write('time="2026-01-01T00:00:00Z" level=warning msg="No instance found. Run `limactl create` to create an instance."\n')
        for n in names:
            s = load(n)
            print(json.dumps({"name": n, "status": s["status"], "dir": inst_dir(n), "vmType": "vz", "arch": "x86_64",
                              "cpus": s["cpus"], "memory": s["memory"], "disk": s["disk"],
                              "sshLocalPort": s["sshLocalPort"], "sshAddress": "127.0.0.1",
                              "hostAgentPID": 4242 if s["status"] == "Running" else 0}))
        return 0
    if cmd == "create":
        name = flags.get("name")
        if not name or len(rest) != 1:
            fatal("usage: limactl create --name=NAME TEMPLATE")
        if os.path.exists(inst_dir(name)):
            fatal('instance "%s" already exists' % name)
        os.makedirs(inst_dir(name))
        with open(os.path.join(inst_dir(name), "lima.yaml"), "w") as f:
            f.write("# from %s\n" % rest[0])
        save(name, new_state(flags, {}))
        return 0
    if cmd == "clone":
        if len(rest) != 2:
            fatal("usage: limactl clone OLDINST NEWINST")
        src, dst = rest
        s = load(src)
        if s["status"] != "Stopped":
            fatal('instance "%s" is running; stop it first' % src)
        if os.path.exists(inst_dir(dst)):
            fatal('instance "%s" already exists' % dst)
        if matches("LIMA_SIM_FAIL_CLONE", dst):
            fatal("failed to clone: simulated disk error")
        shutil.copytree(inst_dir(src), inst_dir(dst))
        save(dst, new_state(flags, s))
        return 0
    if cmd == "start":
        name = rest[0] if rest else "default"
        s = load(name)
        if s["status"] == "Running":
            return 0
        if matches("LIMA_SIM_FAIL_START", name):
            fatal('did not receive an event with the "running" status')
        s["status"] = "Running"
        s["sshLocalPort"] = random.randint(60022, 64000)
        save(name, s)
        sys.stderr.write('time="2026-01-01T00:00:00Z" level=info msg="READY. Run `limactl shell %s` to open the shell."\n' % name)
        return 0
    if cmd == "stop":
        name = rest[0]
        s = load(name)
        s["status"] = "Stopped"
        s["sshLocalPort"] = 0
        save(name, s)
        return 0
    if cmd in ("delete", "remove", "rm"):
        name = rest[0]
        if not os.path.exists(os.path.join(inst_dir(name), STATE)):
            fatal('instance "%s" does not exist' % name)
        s = load(name)
        if s["status"] == "Running" and "force" not in flags and "f" not in flags:
            fatal('expected status "Stopped", got "Running" (Hint: use --force to forcibly stop and delete the instance)')
        shutil.rmtree(inst_dir(name))
        return 0
    if cmd == "shell":
        name = rest[0]
        s = load(name)
        if s["status"] != "Running":
            fatal('instance "%s" is stopped, run `limactl start %s` to start the instance' % (name, name))
        if matches("LIMA_SIM_NEVER_READY", name):
            sys.stderr.write("ssh: connect to host 127.0.0.1 port %d: Connection refused\n" % s["sshLocalPort"])
            return 255
        return subprocess.call(rest[1:] or ["true"])
    fatal('unknown command "%s" for "limactl"' % cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
