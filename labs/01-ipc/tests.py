"""Lab 01's graded tests: the kernel's thread-to-thread IPC, at stage 1.

Each boots build/s1/kernel-test with run=ipcN: the test server ipcsrv and the client
ipclab running case N (labs/01-ipc/). The client checks every reply itself and prints
the verdict "ipclab: ok" only if every check passed.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL"]


def lab(name, case, expect, points, **kw):
    return Test(name=name, suite="lab01", lab="01", stage=1, boot=f"run=ipc{case}",
                expect=expect, auth=[r"^ipclab: ok$"], forbid=FORBID, points=points,
                budget=5, end=r"^ipclab: (ok|FAIL)", **kw)


TESTS = [
    lab("ipc-pingpong", 0, [r"^ipclab ping: echoed [0-9a-f]{16}$"], 20),
    lab("ipc-bulk", 1, [r"^ipclab bulk: read back [0-9a-f]{16}$"], 20, deps=["ipc-pingpong"]),
    lab("ipc-notify", 2, [r"^ipclab notify: bits [0-9a-f]{16}$"], 10),
    lab("ipc-deferred", 3, [], 15, deps=["ipc-pingpong"]),
    lab("ipc-deadserver", 4, [], 10, deps=["ipc-pingpong"]),
    lab("ipc-queue", 5, [r"^ipclab queue: 2000 calls from 4 threads, 100 sends$"], 10, deps=["ipc-pingpong"]),
    # The same on two harts: callers and server really run at once.
    lab("ipc-queue-smp2", 5, [r"^ipclab queue: 2000 calls from 4 threads, 100 sends$"], 5, cpus=2,
        deps=["ipc-queue"]),
    # At least 95% of the kernel entries for call and reply_recv take the fast path.
    lab("ipc-fastpath", 0, [r"^ipclab ping: 2000 round trips, fast path (3[89]\d\d|4000) of 4000$"],
        10, deps=["ipc-pingpong"]),
]
