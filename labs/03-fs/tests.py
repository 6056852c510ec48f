"""Lab 03's graded tests: the file system, the console and the disk in servers, at
stage 3.

Structure first: srvkill stops each of the three servers in turn (one boot each) and
its clients must get E_DEAD at once; the behaviour tests count only if all three
pass. The file tests print the grader's per-run nonce only when every check passed,
the shell test writes the nonce to files and reads it back, and the crash test checks
the disk image from the host with the independent fsck and reads every file back.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = ["fs-structure", "console-structure", "disk-structure"]
FSCASES = ["manyfiles", "bigfile", "bigdir", "links", "writers", "exhaust", "pipes", "badinput"]


def structure(server):
    return Test(name=f"{server}-structure", suite="lab03", lab="03", stage=3,
                boot=f"run=sk kill={server} prog=nop",
                disk=True, forbid=FORBID, end=r"^srvkill: (ok|FAIL)", budget=10, points=5,
                expect=[rf"^srvkill: {server}'s clients get E_DEAD \(@NONCE@\)$", r"^srvkill: ok @NONCE@$"])


def fstest(case):
    return Test(name=f"fs-{case}", suite="lab03", lab="03", stage=3, boot=f"run=fs prog=fstests arg={case}",
                disk=True, forbid=FORBID, budget=60, points=7, deps=STRUCTURE,
                expect=[r"^init: pid 1, starting fstests$", rf"^fstest {case}: ok$",
                        r"^fstests: ALL 1 TESTS OK$", r"^fstests: passed @NONCE@$",
                        r"^init: fstests exited with status 0$"], end=r"^init: fstests exited")


TESTS = [
    structure("fs"),
    structure("console"),
    structure("disk"),
] + [fstest(c) for c in FSCASES] + [
    Test(name="fs-shell", suite="lab03", lab="03", stage=3, boot="run=fs", disk=True, forbid=FORBID,
         input=[(r"\$ $", "mkdir d; echo @NONCE@ > d/f; ln d/f g; rm d/f\n"),
                (r"\$ $", "cat g | cat; wc < g; echo END\n")],
         expect=[r"^init: pid 1, starting sh$", r"^@NONCE@$", r"^1 1 17 $", r"^END$"], end=r"^END$",
         budget=30, points=15, deps=STRUCTURE),
    Test(name="fs-crash", suite="lab03", lab="03", stage=3, script="grade/crash.py", repeat=3, disk=True,
         icount=False, wall=120, points=14, deps=STRUCTURE),
]
