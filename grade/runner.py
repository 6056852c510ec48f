"""Run one test once: boot QEMU, drive and read its console, save the log.

Every QEMU is started in its own process group and recorded in a registry,
so whatever happens (test end, timeout, Ctrl-C, SIGTERM) we kill exactly
the processes we started and nothing else.
"""

import codecs
import os
import re
import selectors
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

import keys
import testlib

_live = set()                    # Popen objects of running QEMUs
_live_lock = threading.Lock()
_shutting_down = False           # set by kill_all(): start no new QEMU
run_as = None                    # (uid, preexec): QEMU and host checks run as this user
                                 # (submit.py's sandbox), or None: as ourselves


def _kill(proc):
    """Kill proc's process group (it is the group leader) and reap it."""
    # returncode is None until Popen reaps the child, so the pid (and the
    # group id, which equals it) cannot have been reused by someone else.
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    proc.wait()
    with _live_lock:
        _live.discard(proc)
    for f in (proc.stdin, proc.stdout, proc.stderr):
        try:
            f.close()
        except OSError:
            pass


def kill_all():
    """Kill every QEMU we started; used on exit, Ctrl-C and SIGTERM."""
    global _shutting_down
    with _live_lock:
        _shutting_down = True
        procs = list(_live)
    for proc in procs:
        if proc.returncode is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _spawn(cmd):
    with _live_lock:
        if _shutting_down:
            return None
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True,
                                preexec_fn=run_as[1] if run_as else None)
        _live.add(proc)
        return proc


@dataclass
class RunResult:
    ok: bool
    reason: str
    details: list = field(default_factory=list)
    log: str = ""
    elapsed: float = 0.0
    guest_ms: int | None = None     # the guest time of its last verdict line


LOG_CAP = 1 << 20           # bytes of console text a log keeps
KEEP_CAP = 4 << 20          # bytes of console text kept in memory for grading
TAIL_KEPT = 200             # past KEEP_CAP: the last lines (and every verdict line)
FORBID_GRACE = 2.0          # seconds a run goes on after a forbidden line


class _Console:
    """Accumulates console output: text (for input steps), complete lines, partial
    line. Bounded, whatever the guest prints: past KEEP_CAP only verdict lines and the
    last TAIL_KEPT lines are kept, and a line is cut at KEEP_CAP characters."""

    def __init__(self, on_line):
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.text = ""
        self.lines = []
        self.partial = ""
        self.on_line = on_line
        self.kept = 0               # bytes of lines kept in full
        self.dropped = 0            # lines not kept
        self.tail = []

    def add(self, data, final=False):
        """Add raw bytes; return (decoded text, newly completed lines)."""
        s = self.decoder.decode(data, final).replace("\r", "")
        if len(self.text) < KEEP_CAP:
            self.text += s[:KEEP_CAP - len(self.text)].replace(testlib.KLINE_MARK, "")
        parts = (self.partial + s).split("\n")
        self.partial = parts.pop()[:KEEP_CAP]
        parts = [testlib.console_line(l) for l in parts]    # the kernel's lines lose their mark
        for line in parts:
            self._keep(line[:KEEP_CAP])
            self.on_line(line)
        return s, parts

    def _keep(self, line):
        if self.kept < KEEP_CAP:
            self.lines.append(line)
            self.kept += len(line) + 1
        elif " #mv6:" in line:
            self.lines.append(line)
        else:
            self.dropped += 1
            self.tail = (self.tail + [line])[-TAIL_KEPT:]

    def all_lines(self):
        cut = [f"[... {self.dropped} console lines not kept ...]"] if self.dropped else []
        return self.lines + cut + self.tail + ([testlib.console_line(self.partial)] if self.partial else [])


class _Log:
    """The run's log file: console text with control characters escaped (the kernel's
    line mark dropped), cut at LOG_CAP."""

    def __init__(self, f):
        self.f = f
        self.n = 0

    def console(self, text):
        if self.n >= LOG_CAP:
            return
        text = "\n".join(testlib.printable(l) for l in text.replace(testlib.KLINE_MARK, "").split("\n"))
        if self.n + len(text) > LOG_CAP:
            text = text[:LOG_CAP - self.n] + f"\n# ---- log cut at {LOG_CAP} bytes of console ----\n"
        self.n += len(text)
        self.f.write(text)
        self.f.flush()


def run_once(test, cmd, log_path, wall, nonce, stop_event=None, on_line=None, check=None):
    """Run `cmd` (a QEMU command line) for `test` and grade the output.

    test: already filled with this run's nonce (testlib.with_nonce); nonce
    goes in the log header. wall: seconds before the backstop kills QEMU.
    stop_event: a threading.Event that aborts the run. on_line(line): called
    for each complete console line (for -v streaming). check(lines, how): the
    caller's grading (verdicts, host-side checks); default testlib.evaluate.
    """
    start = time.monotonic()
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "w", encoding="utf-8", errors="replace") as log:
        log.write(f"# test: {test.name}\n# command: {shlex.join(cmd)}\n"
                  f"# nonce: {nonce}\n# wall backstop: {wall:g}s\n# ---- console ----\n")
        log.flush()

        console = _Console(on_line or (lambda line: None))
        clog = _Log(log)
        feeder = testlib.InputFeeder(test.input)
        stderr = b""
        how = "exit"
        status = None
        try:
            proc = _spawn(cmd)
        except OSError as e:
            proc, how = None, f"cannot start qemu: {e}"
        if proc is None and how == "exit":
            how = "interrupted"

        if proc is not None:
            try:
                how, stderr = _pump(proc, test, console, feeder, clog,
                                    start + wall, stop_event)
            finally:
                _kill(proc)
            status = proc.returncode
        clog.console(console.add(b"", final=True)[0])
        lines = console.all_lines()
        if console.partial:
            log.write("\n")

        if how.startswith("cannot start"):
            ok, reason, details = False, how, []
        elif check:
            ok, reason, details = check(lines, how, feeder.pending(), wall)
        else:
            ok, reason, details = testlib.evaluate(
                test, lines, how, feeder.pending(), wall)
        err = testlib.printable(stderr[:8192].decode("utf-8", "replace").strip())
        if not ok and err:
            details += ["qemu stderr:"] + [f"| {l}" for l in err.splitlines()[-5:]]

        stopped = {"exit": f"qemu exited with status {status}",
                   "end": "end pattern matched, qemu killed",
                   "forbid": "a forbidden line came, qemu killed",
                   "timeout": "wall backstop expired, qemu killed",
                   "interrupted": "interrupted, qemu killed"}.get(how, how)
        log.write(f"# ---- {stopped} after {time.monotonic() - start:.2f}s ----\n")
        if err:
            log.write("# qemu stderr:\n" + err + "\n")
        log.write(f"# result: {'PASS' if ok else 'FAIL: ' + testlib.printable(reason)}\n")

    return RunResult(ok, reason, details, log_path, time.monotonic() - start,
                     keys.guest_ms(lines) if not how.startswith("cannot start") else None)


def _pump(proc, test, console, feeder, log, deadline, stop_event):
    """Read QEMU's stdout/stderr until it exits, `end` matches, the deadline
    passes or stop_event is set. Returns (how, stderr bytes)."""
    end_re = re.compile(test.end) if test.end else None
    forbid = [re.compile(rx) for rx in test.forbid]
    forbidden = False
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    stderr = b""
    try:
        # Inputs whose regex matches the empty output (e.g. "") go out at once.
        _send(proc, feeder.feed(console.text))
        while sel.get_map():
            now = time.monotonic()
            if now >= deadline:
                return "forbid" if forbidden else "timeout", stderr
            if stop_event is not None and stop_event.is_set():
                return "interrupted", stderr
            for key, _ in sel.select(timeout=min(deadline - now, 0.2)):
                data = os.read(key.fileobj.fileno(), 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    continue
                if key.data == "err":
                    stderr = (stderr + data)[-65536:]
                    continue
                text, new_lines = console.add(data)
                log.console(text)
                # A test ends at its first failure line, after a moment for what
                # follows it (the watchdog's dump, the kernel's backtrace).
                new_lines = [testlib.untagged(l) for l in new_lines]
                if not forbidden and any(rx.search(l) for rx in forbid for l in new_lines):
                    forbidden = True
                    deadline = min(deadline, time.monotonic() + FORBID_GRACE)
                if forbidden:
                    continue
                _send(proc, feeder.feed(console.text))
                if end_re and any(end_re.search(l) for l in new_lines):
                    return "end", stderr
        # Both pipes closed: QEMU exited (or is about to).
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return "forbid" if forbidden else "timeout", stderr
        return "forbid" if forbidden else "exit", stderr
    finally:
        sel.close()


def _send(proc, texts):
    for text in texts:
        try:
            proc.stdin.write(text.encode())
            proc.stdin.flush()
        except OSError:  # QEMU already gone; the output will tell
            pass
