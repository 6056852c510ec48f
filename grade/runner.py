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

import testlib

_live = set()                    # Popen objects of running QEMUs
_live_lock = threading.Lock()
_shutting_down = False           # set by kill_all(): start no new QEMU


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
                                stderr=subprocess.PIPE, start_new_session=True)
        _live.add(proc)
        return proc


@dataclass
class RunResult:
    ok: bool
    reason: str
    details: list = field(default_factory=list)
    log: str = ""
    elapsed: float = 0.0


class _Console:
    """Accumulates console output: full text, complete lines, partial line."""

    def __init__(self, on_line):
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.text = ""
        self.lines = []
        self.partial = ""
        self.on_line = on_line

    def add(self, data, final=False):
        """Add raw bytes; return (decoded text, newly completed lines)."""
        s = self.decoder.decode(data, final).replace("\r", "")
        self.text += s
        parts = (self.partial + s).split("\n")
        self.partial = parts.pop()
        for line in parts:
            self.lines.append(line)
            self.on_line(line)
        return s, parts

    def all_lines(self):
        return self.lines + ([self.partial] if self.partial else [])


def run_once(test, cmd, log_path, wall, nonce, stop_event=None, on_line=None):
    """Run `cmd` (a QEMU command line) for `test` and grade the output.

    test: already filled with this run's nonce (testlib.with_nonce); nonce
    goes in the log header. wall: seconds before the backstop kills QEMU.
    stop_event: a threading.Event that aborts the run. on_line(line): called
    for each complete console line (for -v streaming).
    """
    start = time.monotonic()
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "w", encoding="utf-8", errors="replace") as log:
        log.write(f"# test: {test.name}\n# command: {shlex.join(cmd)}\n"
                  f"# nonce: {nonce}\n# wall backstop: {wall:g}s\n# ---- console ----\n")
        log.flush()

        console = _Console(on_line or (lambda line: None))
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
                how, stderr = _pump(proc, test, console, feeder, log,
                                    start + wall, stop_event)
            finally:
                _kill(proc)
            status = proc.returncode
        log.write(console.add(b"", final=True)[0])
        lines = console.all_lines()
        if console.partial:
            log.write("\n")

        if how.startswith("cannot start"):
            ok, reason, details = False, how, []
        else:
            ok, reason, details = testlib.evaluate(
                test, lines, how, feeder.pending(), wall)
        err = stderr.decode("utf-8", "replace").strip()
        if not ok and err:
            details += ["qemu stderr:"] + [f"| {l}" for l in err.splitlines()[-5:]]

        stopped = {"exit": f"qemu exited with status {status}",
                   "end": "end pattern matched, qemu killed",
                   "timeout": "wall backstop expired, qemu killed",
                   "interrupted": "interrupted, qemu killed"}.get(how, how)
        log.write(f"# ---- {stopped} after {time.monotonic() - start:.2f}s ----\n")
        if err:
            log.write("# qemu stderr:\n" + err + "\n")
        log.write(f"# result: {'PASS' if ok else 'FAIL: ' + reason}\n")

    return RunResult(ok, reason, details, log_path, time.monotonic() - start)


def _pump(proc, test, console, feeder, log, deadline, stop_event):
    """Read QEMU's stdout/stderr until it exits, `end` matches, the deadline
    passes or stop_event is set. Returns (how, stderr bytes)."""
    end_re = re.compile(test.end) if test.end else None
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
                return "timeout", stderr
            if stop_event is not None and stop_event.is_set():
                return "interrupted", stderr
            for key, _ in sel.select(timeout=min(deadline - now, 0.2)):
                data = os.read(key.fileobj.fileno(), 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    continue
                if key.data == "err":
                    stderr += data
                    continue
                text, new_lines = console.add(data)
                log.write(text)
                log.flush()
                _send(proc, feeder.feed(console.text))
                if end_re and any(end_re.search(l) for l in new_lines):
                    return "end", stderr
        # Both pipes closed: QEMU exited (or is about to).
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return "timeout", stderr
        return "exit", stderr
    finally:
        sel.close()


def _send(proc, texts):
    for text in texts:
        try:
            proc.stdin.write(text.encode())
            proc.stdin.flush()
        except OSError:  # QEMU already gone; the output will tell
            pass
