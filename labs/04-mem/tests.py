"""Lab 04's tests: paging in the memory server, at stage 4 (the finished system).

Structure first: srvkill stops the memory server and its clients must get E_DEAD at
once; the behaviour tests count only if that passes. Points are decided by verdict
lines of trusted test programs (labs/04-mem/memproc.c: the memory protocol, with
memproc standing in for the process server; labs/04-mem/memuser.c: memory as
processes use it), printed only after every check passed. The same checks run
ungraded at stages 1-3 against the kernel's memory subsystem (kernel/kmem.c): the
concurrent cases at every stage, the waiting fault at stage 3.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = "mem-structure"


def memproc(name, case, points, stage=4, cpus=1, budget=0.6):
    """memproc (boot group mp) runs one case against the memory subsystem."""
    return Test(name=name, suite="lab04", lab="04", stage=stage, cpus=cpus, points=points,
                budget=budget, forbid=FORBID, boot=f"run=mp case={case}",
                auth=[rf"^memproc: {case} ok$"], end=r"^memproc: ",
                deps=[STRUCTURE] if stage == 4 else [])


def memuser(name, cases, points, stage=4, cpus=1, budget=0.6, arg=""):
    """memuser, a process (boot group os: init runs it), runs the cases."""
    return Test(name=name, suite="lab04", lab="04", stage=stage, cpus=cpus, points=points,
                budget=budget, forbid=FORBID, boot="run=os prog=memuser" + (f" arg={arg}" if arg else ""),
                expect=[r"^init: pid 1, starting memuser$", r"^init: memuser exited with status 0$"],
                auth=[rf"^memuser: {c} ok$" for c in cases], end=r"^init: memuser exited",
                deps=[STRUCTURE] if stage == 4 else [])


PROCESS_CASES = ["sbrk", "badmemory", "outofmemory", "cow", "forkloop"]

TESTS = [
    # The memory server alone (boot group skm): nothing else needs it to work yet.
    Test(name=STRUCTURE, suite="lab04", lab="04", stage=4, boot="run=skm kill=mem",
         forbid=FORBID, auth=[r"^srvkill: mem's clients get E_DEAD$", r"^srvkill: ok$"],
         end=r"^srvkill: (ok|FAIL)", budget=3, points=10),
    memproc("mem-lazy", "lazy", 10),
    memproc("mem-refuse", "refuse", 10),
    memproc("mem-cow", "cow", 10),
    memproc("mem-badge", "badge", 10),
    memproc("mem-write", "write", 10),
    memproc("mem-free", "free", 10, cpus=2, budget=1),
    memproc("mem-wait", "wait", 10, budget=1),
    memproc("mem-many", "many", 5, cpus=2),
    memuser("mem-processes", PROCESS_CASES, 10, budget=1),
    memuser("mem-threads", ["threads"], 5, cpus=2, arg="threads"),
]

# The kernel's memory subsystem (given) passes the same concurrent cases at stages
# 1-3, and at stage 3, the lab's starting point, the waiting fault too; no points.
for stage in (1, 2, 3):
    TESTS += [
        memproc(f"mem-free-s{stage}", "free", 0, stage=stage, cpus=2, budget=1),
        memproc(f"mem-many-s{stage}", "many", 0, stage=stage, cpus=2),
        memuser(f"mem-threads-s{stage}", ["threads"], 0, stage=stage, cpus=2, arg="threads"),
    ]
TESTS.append(memproc("mem-wait-s3", "wait", 0, stage=3, budget=1))
