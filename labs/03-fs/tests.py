"""Lab 03's graded tests: the file system, the console and the disk in servers, at
stage 3.

Structure first: srvkill stops each of the three servers in turn (one boot each) and
its clients must get E_DEAD at once; the behaviour tests count only if all three
pass. The file tests print verdict lines only when every check passed; the shell test
writes a per-run value to files that the grader reads from the disk afterwards, and
the crash test checks the disk image from the host with the independent fsck and
reads every file back. Points follow the README's rules: the essential ones (each
request answered, durability, the badge, deferred waits, a dead client's clean-up)
cost at least 15 points each when broken.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = ["fs-structure", "console-structure", "disk-structure"]
# fstests cases and their points
FSCASES = {"manyfiles": 3, "bigfile": 3, "bigdir": 2, "links": 2, "writers": 3, "exhaust": 2, "pipes": 3,
           "badinput": 2, "isolation": 15, "cleanup": 15}


def structure(server):
    return Test(name=f"{server}-structure", suite="lab03", lab="03", stage=3,
                boot=f"run=sk kill={server} prog=nop",
                disk=True, forbid=FORBID, end=r"^srvkill: (ok|FAIL)", budget=10, points=4,
                auth=[rf"^srvkill: {server}'s clients get E_DEAD$", r"^srvkill: ok$"])


def fstest(case, points):
    return Test(name=f"fs-{case}", suite="lab03", lab="03", stage=3, boot=f"run=fs prog=fstests arg={case}",
                disk=True, forbid=FORBID, budget=60, points=points, deps=STRUCTURE,
                expect=[r"^init: pid 1, starting fstests$", r"^init: fstests exited with status 0$"],
                auth=[rf"^fstest {case}: ok$", r"^fstests: ALL 1 TESTS OK$"], end=r"^init: fstests exited")


TESTS = [
    structure("fs"),
    structure("console"),
    structure("disk"),
] + [fstest(c, p) for c, p in FSCASES.items()] + [
    Test(name="fs-shell", suite="lab03", lab="03", stage=3, boot="run=fs", disk=True, forbid=FORBID,
         input=[(r"\$ $", "mkdir d; echo @NONCE@ > d/f; ln d/f g; rm d/f\n"),
                (r"\$ $", "cat g | cat > h; wc < g > w; echo END\n")],
         expect=[r"^init: pid 1, starting sh$", r"^END$"], end=r"^END$",
         files={"/g": r"@NONCE@\n", "/h": r"@NONCE@\n", "/w": r"1 1 17 \n", "/d/f": None}, fsck=True,
         budget=30, points=15, deps=STRUCTURE),
    # Several shells' pipelines at once (clients of the file server side by side).
    Test(name="fs-pipelines", suite="lab03", lab="03", stage=3, boot="run=fs prog=proctest arg=pipelines",
         disk=True, forbid=FORBID, budget=10, points=3, deps=STRUCTURE,
         expect=[r"^init: pid 1, starting proctest$", r"^init: proctest exited with status 0$"],
         auth=[r"^proctest: pipelines ok$"], end=r"^init: proctest exited"),
    # The disk driver dies: the file server's clients get errors, not a hang.
    Test(name="fs-diskdead", suite="lab03", lab="03", stage=3, boot="run=fsd prog=nop", disk=True, forbid=FORBID,
         budget=10, points=5, deps=STRUCTURE, end=r"^fsdisk: (ok|FAIL)",
         auth=[r"^fsdisk: the disk's death is an error for the file server's clients$"]),
    Test(name="fs-crash", suite="lab03", lab="03", stage=3, script="grade/crash.py", repeat=3, disk=True,
         icount=False, wall=120, points=15, deps=STRUCTURE),
]
