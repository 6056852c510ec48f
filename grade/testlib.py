"""The mv6 test format and the pure (no I/O) parts of grading.

A suite module (grade/suites/<suite>.py) defines TESTS = [Test(...), ...].
This file is the one place the format is declared; extend it here, never
add a second format.
"""

import os
import re
from dataclasses import dataclass, field, replace

# Lines that fail any test unless the test passes its own `forbid` list.
DEFAULT_FORBID = [r"^\[kernel\] panic", r"^\[kernel\] watchdog"]

# The kernel prints this line when its watchdog budget expires, followed by a
# dump of task/IPC state.
WATCHDOG_RE = re.compile(r"^\[kernel\] watchdog")
WATCHDOG_DUMP_LINES = 40
TAIL_LINES = 15

LABS = ("01", "02", "03", "04")


@dataclass(kw_only=True)
class Test:
    name: str                       # unique across all suites
    suite: str                      # must equal the module name in suites/
    lab: str | None = None          # None or "01".."04"
    stage: int = 4                  # 1..4; selects build/s{stage}/
    cpus: int = 1                   # QEMU -smp
    points: int = 0
    deps: list[str] = field(default_factory=list)
    boot: str = ""                  # kernel command line (-append)
    # (regex, text): when the output since the previous step's match
    # matches regex (re.MULTILINE), write text to the console.
    input: list[tuple[str, str]] = field(default_factory=list)
    expect: list[str] = field(default_factory=list)   # in order, one line each
    forbid: list[str] = field(default_factory=lambda: list(DEFAULT_FORBID))
    end: str | None = None          # stop QEMU when a line matches
    budget: float = 10.0            # guest seconds, passed as watchdog=
    wall: float | None = None       # wall-clock backstop, seconds
    icount: bool = True
    repeat: int = 1
    image: str = "kernel-test"      # build/s{stage}/{image}
    disk: bool = False              # attach build/s{stage}/fs.img (writes go to a
                                    # throw-away overlay: every test starts from it fresh)
    script: str | None = None       # instead of one QEMU run: "SCRIPT [ARGS]" runs as
                                    # python3 SCRIPT STAGE_DIR LOG RUN [ARGS], passing when it
                                    # exits 0 (e.g. grade/crash.py)

    def __post_init__(self):
        def bad(msg):
            raise ValueError(f"test {self.name!r}: {msg}")

        if not self.name or not re.fullmatch(r"[A-Za-z0-9_.+-]+", self.name):
            bad("name must be non-empty and use only [A-Za-z0-9_.+-]")
        if self.lab is not None and self.lab not in LABS:
            bad(f"lab must be None or one of {LABS}")
        if self.stage not in (1, 2, 3, 4):
            bad("stage must be 1..4")
        if self.cpus < 1 or self.repeat < 1 or self.budget <= 0:
            bad("cpus, repeat and budget must be positive")
        if self.wall is not None and self.wall <= 0:
            bad("wall must be positive")
        if isinstance(self.deps, str) or isinstance(self.expect, str) \
                or isinstance(self.forbid, str):
            bad("deps, expect and forbid are lists, not strings")
        for step in self.input:
            if len(step) != 2:
                bad(f"input step {step!r} is not a (regex, text) pair")
        # Compile every regex now so a typo fails at load time, not mid-run.
        for rx in self.expect + self.forbid + [r for r, _ in self.input] \
                + ([self.end] if self.end else []):
            try:
                re.compile(rx)
            except re.error as e:
                bad(f"bad regex {rx!r}: {e}")

    def wall_limit(self, scale=1.0):
        """Wall-clock backstop in seconds (MV6_WALL_SCALE is `scale`)."""
        base = self.wall if self.wall is not None else max(60.0, 10 * self.budget)
        return base * scale


def smp(test, cpus):
    """Copy of `test` named '<name>-smp<cpus>' that runs on `cpus` harts."""
    return replace(test, name=f"{test.name}-smp{cpus}", cpus=cpus)


def fmt_seconds(x):
    """10.0 -> '10', 2.5 -> '2.5' (never exponent notation: the kernel parses it)."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def kernel_cmdline(test):
    return f"{test.boot} watchdog={fmt_seconds(test.budget)}".strip()


def qemu_command(test, image_path, icount, qemu="qemu-system-riscv64"):
    """The one place the QEMU command line is built."""
    cmd = [qemu, "-machine", "virt", "-bios", "default", "-m", "128M",
           "-smp", str(test.cpus), "-nographic", "-monitor", "none",
           "-serial", "stdio", "-no-reboot",
           "-kernel", str(image_path), "-append", kernel_cmdline(test)]
    if test.disk and not test.script:
        img = os.path.join(os.path.dirname(str(image_path)), "fs.img")
        cmd += ["-global", "virtio-mmio.force-legacy=false",
                "-drive", f"file={img},if=none,format=raw,id=x0,snapshot=on",
                "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
    if icount:
        # Busy time counts instructions, idle time (WFI) passes at real speed.
        cmd += ["-icount", "shift=0,sleep=on"]
    return cmd


class InputFeeder:
    """Feeds `test.input` steps as console output arrives.

    feed(output) is called with the whole output so far and returns the texts
    to write now. Each step's regex is searched only in output after the
    previous step's match, so a repeated prompt triggers each step once.
    """

    def __init__(self, steps):
        self.steps = [(re.compile(rx, re.MULTILINE), text) for rx, text in steps]
        self.next = 0       # index of the next step
        self.pos = 0        # where in the output the next search starts

    def feed(self, output):
        writes = []
        while self.next < len(self.steps):
            rx, text = self.steps[self.next]
            m = rx.search(output, self.pos)
            if not m:
                break
            writes.append(text)
            self.pos = m.end()
            self.next += 1
        return writes

    def pending(self):
        """Regex of the first step that never triggered, or None."""
        if self.next < len(self.steps):
            return self.steps[self.next][0].pattern
        return None


def watchdog_dump(lines):
    """The watchdog line and up to WATCHDOG_DUMP_LINES lines after it, or []."""
    for i, line in enumerate(lines):
        if WATCHDOG_RE.search(line):
            return lines[i:i + 1 + WATCHDOG_DUMP_LINES]
    return []


def evaluate(test, lines, how, input_pending=None, wall=None):
    """Grade one run. Returns (ok, reason, details).

    lines: console lines; how: "exit" (QEMU exited), "end" (the end regex
    matched), "timeout" (wall backstop), or "interrupted".
    details: extra lines worth showing under a FAIL: the offending line, then
    the watchdog dump if the kernel printed one, else the last console lines.
    """
    ok, reason, details = _judge(test, lines, how, input_pending, wall)
    if ok or how == "interrupted":
        return ok, reason, details
    dump = watchdog_dump(lines)
    if dump:
        details += ["watchdog dump:"] + [f"| {l}" for l in dump]
    elif lines:
        details += ["last console lines:"] + [f"| {l}" for l in lines[-TAIL_LINES:]]
    return ok, reason, details


def _judge(test, lines, how, input_pending, wall):
    for rx in test.forbid:
        for i, line in enumerate(lines):
            if re.search(rx, line):
                return False, f"forbidden /{rx}/ matched line {i + 1}", [f"> {line}"]

    if how == "timeout":
        secs = f" after {wall:g}s" if wall is not None else ""
        return False, f"timeout (wall backstop{secs})", []
    if how == "interrupted":
        return False, "interrupted", []
    if input_pending is not None:
        return False, f"input step /{input_pending}/ never triggered", []

    i = 0  # next line to search
    for n, rx in enumerate(test.expect):
        while i < len(lines) and not re.search(rx, lines[i]):
            i += 1
        if i == len(lines):
            where = "" if n == 0 else f" after /{test.expect[n - 1]}/"
            return False, f"expect {n + 1}/{len(test.expect)} /{rx}/ not found{where}", []
        i += 1  # the next expect must match a later line
    return True, "", []
