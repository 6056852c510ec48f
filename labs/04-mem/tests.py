"""Lab 04's graded tests: paging in servers/mem, at stage 4 (the finished system).

Structure first: srvkill stops the memory server and its clients must get E_DEAD at
once; the behaviour tests count only if that passes. usertests checks lazy heap
growth, copy-on-write fork and bad memory use itself and prints verdict lines only
when every check passed; the shell test sends a per-run value through fork, exec and
pipes into a file the grader reads from the disk afterwards.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = "mem-structure"


def usertests(name, arg, auth, points):
    return Test(name=name, suite="lab04", lab="04", stage=4, disk=True, forbid=FORBID, budget=60,
                boot="run=fs prog=usertests" + (f" arg={arg}" if arg else ""), points=points,
                expect=[r"^init: pid 1, starting usertests$", r"^init: usertests exited with status 0$"],
                auth=auth, end=r"^init: usertests exited", deps=[STRUCTURE])


TESTS = [
    Test(name=STRUCTURE, suite="lab04", lab="04", stage=4, boot="run=sk kill=mem prog=nop", disk=True, forbid=FORBID,
         auth=[r"^srvkill: mem's clients get E_DEAD$", r"^srvkill: ok$"],
         end=r"^srvkill: (ok|FAIL)", budget=10, points=10),
] + [
    usertests(f"mem-{c}", c, [rf"^test {c}: ok$", r"^usertests: ALL 1 TESTS OK$"], 10)
    for c in ("sbrk", "badmemory", "outofmemory", "cow", "malloc", "forkloop")
] + [
    usertests("mem-usertests", "", [r"^usertests: ALL 11 TESTS OK$"], 15),
    Test(name="mem-shell", suite="lab04", lab="04", stage=4, boot="run=fs", disk=True, forbid=FORBID,
         input=[(r"\$ $", "echo @NONCE@ | cat | cat > out; echo END\n")],
         expect=[r"^init: pid 1, starting sh$", r"^END$"], end=r"^END$", budget=30,
         files={"/out": r"@NONCE@\n"}, points=15, deps=[STRUCTURE]),
]
