"""Lab 02's graded tests: process management in servers/proc, at stage 2.

The structure test comes first: the privileged test task srvkill stops the process
server and its clients must get E_DEAD at once (no kernel-hosted copy answers). The
behaviour tests count only if it passes. Programs check their effects themselves and
print verdict lines only when every check passed; the shell tests send a per-run value
through fork, exec, pipes and wait into a file that the grader reads from the disk.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = "proc-structure"


def prog(name, program, expect, points, arg="", budget=60, **kw):
    boot = f"run=fs prog={program}" + (f" arg={arg}" if arg else "")
    return Test(name=name, suite="lab02", lab="02", stage=2, boot=boot, disk=True, forbid=FORBID,
                expect=[rf"^init: pid 1, starting {program}$"] + expect
                + [rf"^init: {program} exited with status 0$"],
                end=rf"^init: {program} exited", budget=budget, points=points, deps=[STRUCTURE], **kw)


def usertests(case, points, **kw):
    return prog(f"proc-{case}", "usertests", [], points, arg=case,
                auth=[rf"^test {case}: ok$", r"^usertests: ALL 1 TESTS OK$"], **kw)


TESTS = [
    Test(name=STRUCTURE, suite="lab02", lab="02", stage=2, boot="run=sk kill=proc prog=nop", disk=True, forbid=FORBID,
         auth=[r"^srvkill: proc's clients get E_DEAD$", r"^srvkill: ok$"],
         end=r"^srvkill: (ok|FAIL)", budget=10, points=10),
    usertests("forktree", 10),
    usertests("orphans", 10),
    usertests("exec", 15),
    usertests("kill", 10),
    usertests("forkloop", 10),
    # Children killed by their faults: only the kernel's death notice (task_watch)
    # tells the process server, so without it the parent's wait never returns.
    usertests("badmemory", 5, budget=10),
    usertests("clock", 5),
    Test(name="proc-shell", suite="lab02", lab="02", stage=2, boot="run=fs", disk=True, forbid=FORBID,
         input=[(r"\$ $", "echo @NONCE@ | cat | cat > out\n"), (r"\$ $", "cat out; echo END\n")],
         expect=[r"^init: pid 1, starting sh$", r"^@NONCE@$", r"^END$"], end=r"^END$", budget=30,
         files={"/out": r"@NONCE@\n"}, points=15, deps=[STRUCTURE]),
    Test(name="proc-ps", suite="lab02", lab="02", stage=2, boot="run=fs", disk=True, forbid=FORBID,
         input=[(r"\$ $", "ps > out; echo @NONCE@\n")],
         expect=[r"^init: pid 1, starting sh$", r"^@NONCE@$"], end=r"^@NONCE@$", budget=30,
         files={"/out": r"(?ms).*^ *1 +0 .*? init$.*^ *2 +1 .*? sh$.*"},
         points=10, deps=[STRUCTURE]),
]
