"""The console, disk and file servers and the shell (issue: device servers and the
file server). Tests type at the shell's prompt and compare what comes back, or run
test programs from the file system under init."""

import os
from dataclasses import replace

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def readme_count(word):
    """Lines of README.md containing word: what `grep word README.md | wc` must say."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n")[:-1] if word in l]
    return len(lines), sum(len(l.split()) for l in lines), sum(len(l.encode()) + 1 for l in lines)


def session(name, steps, expect, **kw):
    """Type each command at a prompt; expect lines in order. The console echoes what
    is typed, so a command shows as "$ command" and its output on the lines after."""
    inputs = [(r"\$ $", cmd + "\n") for cmd in steps]
    kw.setdefault("forbid", FORBID)
    return Test(name=name, suite="fs", boot="run=fs", disk=True, input=inputs,
                expect=[r"^init: pid 1, starting sh$"] + expect + [r"^END$"], end=r"^END$", budget=30, **kw)


L, W, C = readme_count("mv6")

TESTS = [
    session("shell-basics", ["echo hello world", "echo one > a", "cat a", "echo END"],
            [r"^\$ echo hello world$", r"^hello world$", r"^\$ cat a$", r"^one$"]),
    session("shell-pipeline", ["cat README.md | grep mv6 | wc", "grep mv6 < README.md | cat | cat | wc",
                               "echo END"],
            [r"^\$ cat README", rf"^{L} {W} {C} $", r"^\$ grep mv6", rf"^{L} {W} {C} $"]),
    session("shell-redirect", ["echo abc > x", "cat < x > y", "wc < y", "cat x y", "echo END"],
            [r"^\$ wc < y$", r"^1 1 4 $", r"^\$ cat x y$", r"^abc$", r"^abc$"]),
    session("shell-dirs", ["mkdir /d", "mkdir /d/e", "echo deep > /d/e/f", "cd /d", "cat e/f", "cd e",
                           "cat f", "cat /d/e/f", "cd ..", "ls e", "echo END"],
            [r"^\$ cat e/f$", r"^deep$", r"^\$ cat f$", r"^deep$", r"^\$ cat /d/e/f$", r"^deep$",
             r"^\$ ls e$", r"^\.\s+1 \d+ 48$", r"^\.\.\s+1 \d+ 48$", r"^f\s+2 \d+ 5$"]),
    session("shell-sequence-background", ["echo a; echo b", "(echo c; echo d) | wc", "echo bg > bgout &",
                                          "echo x; echo y; echo z", "cat bgout", "echo END"],
            [r"^a$", r"^b$", r"^2 2 4 $", r"^x$", r"^y$", r"^z$", r"^\$ cat bgout$", r"^bg$"]),
]

FSCASES = ["manyfiles", "bigfile", "bigdir", "links", "writers", "exhaust", "pipes", "badinput", "execbad",
           "badptr", "isolation", "cleanup", "cwdgone"]


def fs_prog(name, prog, expect, arg="", **kw):
    boot = f"run=fs prog={prog}" + (f" arg={arg}" if arg else "")
    kw.setdefault("forbid", FORBID)
    kw.setdefault("budget", 60)
    return Test(name=name, suite="fs", boot=boot, disk=True,
                expect=[rf"^init: pid 1, starting {prog}$"] + expect + [rf"^init: {prog} exited with status 0$"],
                end=rf"^init: {prog} exited", **kw)


TESTS += [fs_prog(f"fstests-{c}", "fstests", [rf"^fstest {c}: ok$"], arg=c, deps=["shell-basics"]) for c in FSCASES]
TESTS += [
    fs_prog("usertests-fs", "usertests", [r"^usertests: ALL 11 TESTS OK$"], deps=["shell-basics"]),
    fs_prog("fstests-smp4", "fstests", [r"^fstests: ALL 13 TESTS OK$"], cpus=4, deps=["fstests-pipes"]),
]

# Crash safety: QEMU killed at a random moment of a write workload, 20 times (seeds in
# the logs); the image must pass the independent fsck, and every write that returned
# before the kill must be there after a reboot.
TESTS.append(Test(name="crash-safety", suite="fs", script="grade/crash.py", repeat=20, disk=True,
                  icount=False, wall=120, deps=["fstests-manyfiles"]))
TESTS.append(Test(name="fs-killed", suite="fs", script="grade/crash.py fskill", disk=True, icount=False,
                  wall=120, deps=["crash-safety"]))
# The supervisor (servers/super): each restartable server killed 20 times during the
# crash workload, then all three in turn; every kill ends in a restart, the workload
# goes on past the last kill, no returned write is lost, fsck is clean. The figures
# for 100 kills each are in README.md (MV6_RESTART_KILLS=100).
RESTART_KILLS = int(os.environ.get("MV6_RESTART_KILLS", "20"))
for server in ("console", "disk", "fs", "all"):
    n = RESTART_KILLS * (3 if server == "all" else 1)
    TESTS.append(Test(name=f"restart-{server}", suite="fs", disk=True, icount=False, wall=60 + 2 * n,
                      script=f"grade/crash.py restart {server} {n}", deps=["crash-safety"]))
# ... and the shell goes on answering after its console driver or its file server was
# killed (after the file server, init opens the console again for a new shell).
for server in ("console", "fs"):
    TESTS.append(Test(name=f"restart-{server}-shell", suite="fs", boot=f"run=rs prog=sh kill={server}:3 wait=sh",
                      disk=True, budget=20, forbid=FORBID,
                      input=[(rf"rskiller: {server} killed 3 times", "echo still here\n")],
                      expect=[r"^(\$ )?still here$"], end=r"^(\$ )?still here$",
                      auth=[rf"^rskiller: {server} killed 3 times, started again each time$"],
                      deps=[f"restart-{server}"]))
# Ctrl-P, then ps. The process server prints the ^P list itself (through the kernel's
# debug output), so each step waits for the output of the one before.
TESTS.append(Test(name="ps-and-ctrl-p", suite="fs", boot="run=fs", disk=True, budget=30, forbid=FORBID,
                  input=[(r"\$ $", "\x10"), (r"(?s)waits  name.*  2    1 run +sh\n", "ps\n"),
                         (r"run +ps\n\$ $", "echo END\n")],
                  expect=[r"^init: pid 1, starting sh$", r"pid ppid state  waits  name$",
                          r"^(\[kernel\] )?  1    0 run    wait   init$", r"^(\[kernel\] )?  2    1 run +sh$",
                          r"^pid ppid state  waits  name$", r"^  1    0 run    wait   init$",
                          r"^  2    1 run    wait   sh$", r"^  \d+    2 run +ps$", r"^END$"], end=r"^END$"))

# The same file system, console and disk cores hosted in the kernel: S1 (with proc and
# mem), S2 (proc in its server). S3 has them as servers, like S4: a smoke test there.
for stage in (1, 2):
    for t in [t for t in TESTS if t.stage == 4 and t.name in
              ("shell-basics", "shell-pipeline", "shell-dirs", "ps-and-ctrl-p", "usertests-fs")]:
        TESTS.append(replace(t, name=f"{t.name}-s{stage}", stage=stage, deps=[]))
    TESTS.append(fs_prog(f"fstests-s{stage}", "fstests", [r"^fstests: ALL 13 TESTS OK$"], stage=stage))
    TESTS.append(Test(name=f"crash-safety-s{stage}", suite="fs", script="grade/crash.py", repeat=5, disk=True,
                      icount=False, wall=120, stage=stage, deps=[f"fstests-s{stage}"]))
TESTS.append(replace(TESTS[0], name="shell-basics-s3", stage=3))
TESTS.append(replace([t for t in TESTS if t.name == "shell-pipeline"][0], name="shell-pipeline-smp4", cpus=4))
