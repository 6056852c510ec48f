"""Lab 01's graded tests: the kernel's thread-to-thread IPC, at stage 1.

Each boots build/s1/kernel-test with run=GROUP (kernel/testtab.c): the test server
ipcsrv and a client case of ipclab or ipcorder (labs/01-ipc/). The client checks
everything itself and ends with a verdict line, "CLIENT CASE: ok" tagged under the
run's key (user/lib/verdict.h), only if every check passed; the data it sends through
the IPC under test is fresh each run (verdict_random). Points follow the verdicts
(auth); expect adds the kernel's own trace lines where a test needs them.
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL"]


def lab(name, group, verdict, points, expect=(), budget=1, wall=30, **kw):
    """A test whose client ends with the verdict `verdict: ok`. The reference needs
    less than 0.2 s of guest time (until grade/budgets.json says otherwise); a loop
    inside the kernel, where the watchdog cannot fire, ends at the wall backstop."""
    return Test(name=name, suite="lab01", lab="01", stage=1, boot=f"run={group}",
                expect=list(expect), auth=[rf"^{verdict}: ok$"], forbid=FORBID, points=points,
                budget=budget, wall=wall, end=r"^ipc(lab|order) \w+: (ok|FAIL)", **kw)


PING = ["ipc-pingpong"]
# The reply trace (README, "IPC tracing"): three calls offering 0, 4 and 8 bytes, each
# answered with a label the client chose, on the general path.
TRACE = [line for i in range(3) for line in (
    rf"^\[kernel\] ipc: call ipclab -> ep 2 label 9 len {4 * i}$",
    rf"^\[kernel\] ipc: reply ipcsrv -> ipclab label {71 + i}$")]

TESTS = [
    lab("ipc-pingpong", "ipcping", "ipclab ping", 5),
    lab("ipc-bulk", "ipcbulk", "ipclab bulk", 15, deps=PING),
    lab("ipc-rights", "ipcrights", "ipclab rights", 15, deps=PING),
    lab("ipc-notify", "ipcnotify", "ipclab notify", 5),
    lab("ipc-deferred", "ipcdefer", "ipclab defer", 10, deps=PING),
    lab("ipc-deadserver", "ipcdead", "ipclab dead", 5, deps=PING),
    lab("ipc-queue", "ipcqueue", "ipcorder queue", 10, deps=PING),
    # The same on two harts: callers and server really run at once.
    lab("ipc-queue-smp2", "ipcqueue", "ipcorder queue", 5, cpus=2, deps=["ipc-queue"]),
    lab("ipc-trace", "ipctrace", "ipclab trace", 5, expect=TRACE, deps=PING),
    lab("ipc-fault", "ipcfault", "ipclab fault", 5, deps=PING),
    # Round trips measured by the client in guest instructions (fast path: ~330).
    lab("ipc-fastpath", "ipcspeed", "ipclab speed", 5, deps=PING),
    # The fast path changes nothing the general path would do: it counts once there
    # is a fast path (without one, nothing could change).
    lab("ipc-fastpath-rules", "ipcfast", "ipcorder fast", 15, deps=["ipc-fastpath"]),
]
