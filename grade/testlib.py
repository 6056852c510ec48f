"""The mv6 test format and the pure (no I/O) parts of grading.

A suite module (grade/suites/<suite>.py) defines TESTS = [Test(...), ...].
This file is the one place the format is declared; extend it here, never
add a second format.
"""

import os
import re
import secrets
from dataclasses import dataclass, field, replace

# Lines that fail any test unless the test passes its own `forbid` list.
DEFAULT_FORBID = [r"^\[kernel\] panic", r"^\[kernel\] watchdog"]

# The first character of every line the kernel prints for itself; no user task can
# print it (kernel/abi.h, KLINE_MARK).
KLINE_MARK = "\x01"
FORGED = "[user] "


def console_line(line):
    """A console line as tests see it: the kernel's own lines lose their mark; a line
    that only imitates one (a user task's "[kernel] panic: ...") gets FORGED in front,
    so that no pattern anchored at "[kernel]" (DEFAULT_FORBID, expect) takes it for
    the kernel's."""
    if line.startswith(KLINE_MARK):
        return line[1:]
    return FORGED + line if line.startswith("[kernel]") else line


# The kernel prints this line when its watchdog budget expires, followed by a
# dump of task/IPC state.
WATCHDOG_RE = re.compile(r"^\[kernel\] watchdog")
WATCHDOG_DUMP_LINES = 40
TAIL_LINES = 15

LABS = ("01", "02", "03", "04")

# A per-run challenge, not a secret: every run gets a fresh nonce, substituted for
# this placeholder in the test's boot, input, expect, forbid, auth, files and end; e.g.
# typed into the shell and looked for, from the host, in the file it went to. What
# code under test cannot forge are the verdict lines (keys.py), not this.
NONCE = "@NONCE@"
DUMMY_NONCE = "0" * 16          # stands in for the nonce when checking regexes

# kernel/fdt.c keeps 127 characters of the command line; more would be cut silently.
CMDLINE_MAX = 127


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
    # Verdict lines (user/lib/verdict.h): regexes matched in order against the texts of
    # the lines whose tag verifies under the run's key. What decides points.
    auth: list[str] = field(default_factory=list)
    # Checked from the host on the run's disk image afterwards (needs disk): the files'
    # contents (path -> regex, re.fullmatch on the text; None: the file must not exist),
    # and the independent fsck.
    files: dict[str, str | None] = field(default_factory=dict)
    fsck: bool = False

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
                or isinstance(self.forbid, str) or isinstance(self.auth, str):
            bad("deps, expect, forbid and auth are lists, not strings")
        if (self.files or self.fsck) and not self.disk:
            bad("files and fsck check the disk image: give disk=True")
        for step in self.input:
            if len(step) != 2:
                bad(f"input step {step!r} is not a (regex, text) pair")
        # Compile every regex now so a typo fails at load time, not mid-run.
        for rx in self.expect + self.forbid + self.auth + [r for r in self.files.values() if r] \
                + [r for r, _ in self.input] + ([self.end] if self.end else []):
            try:
                re.compile(fill_nonce(rx, DUMMY_NONCE))
            except re.error as e:
                bad(f"bad regex {rx!r}: {e}")
        if len(fill_nonce(kernel_cmdline(self, DUMMY_NONCE), DUMMY_NONCE)) > CMDLINE_MAX:
            bad(f"kernel command line longer than {CMDLINE_MAX} characters")

    def wall_limit(self, scale=1.0):
        """Wall-clock backstop in seconds (MV6_WALL_SCALE is `scale`)."""
        base = self.wall if self.wall is not None else max(60.0, 10 * self.budget)
        return base * scale


# Budgets from the reference (grade/budgets.json, written by grade.py --calibrate): a
# test the reference has been measured on gets BUDGET_FACTOR times the guest time it
# needed (at least BUDGET_FLOOR seconds), and a wall backstop of WALL_FACTOR times its
# wall time plus WALL_PAD (at least WALL_FLOOR): a hung submission is cut short, a
# correct one never.
BUDGET_FACTOR, BUDGET_FLOOR = 4.0, 2.0
WALL_FACTOR, WALL_PAD, WALL_FLOOR = 3.0, 5.0, 20.0


def calibrated(test, table):
    """test with its budget and wall from table[test.name] = {"guest_ms", "wall_s"}."""
    m = table.get(test.name)
    if not m:
        return test
    kw = {"wall": max(WALL_FLOOR, WALL_FACTOR * m["wall_s"] + WALL_PAD)}
    if m.get("guest_ms") is not None and test.icount and not test.script:
        kw["budget"] = max(BUDGET_FLOOR, round(BUDGET_FACTOR * m["guest_ms"] / 1000, 1))
    return replace(test, **kw)


def smp(test, cpus):
    """Copy of `test` named '<name>-smp<cpus>' that runs on `cpus` harts."""
    return replace(test, name=f"{test.name}-smp{cpus}", cpus=cpus)


def fmt_seconds(x):
    """10.0 -> '10', 2.5 -> '2.5' (never exponent notation: the kernel parses it)."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


_TAG = re.compile(r" #mv6:[0-9a-f]{32}(?: t=\d+)?$")


def untagged(line):
    """A verdict line's text (the line without its tag); any other line as it is."""
    return _TAG.sub("", line)


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def printable(s):
    """s with every control character (tab kept) escaped, so that what a guest printed
    can neither steer a terminal nor break a report (JUnit XML, results.json)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                            else f"\\u{ord(m[0]):04x}", s)


def new_nonce():
    return secrets.token_hex(8)


def fill_nonce(s, nonce):
    """The one place NONCE is replaced (hex digits: safe in a regex too)."""
    return s.replace(NONCE, nonce)


def with_nonce(test, nonce):
    """`test` with NONCE replaced by `nonce` in boot, input, expect, forbid, auth, files
    and end."""
    def f(s):
        return fill_nonce(s, nonce)
    return replace(test, boot=f(test.boot), input=[(f(r), f(t)) for r, t in test.input],
                   expect=[f(r) for r in test.expect], forbid=[f(r) for r in test.forbid],
                   auth=[f(r) for r in test.auth], files={p: r and f(r) for p, r in test.files.items()},
                   end=test.end and f(test.end))


def kernel_cmdline(test, nonce):
    """The kernel command line: the test's boot arguments and its guest budget. The
    run's key never travels here (keys.py), nor anything secret."""
    return f"{test.boot} watchdog={fmt_seconds(test.budget)}".strip()


# The network device beside the disk (servers/netdrv): QEMU's user network, no
# forwarded ports (tests that talk to the guest build their own, grade/nettest.py).
NET_DEVICE = ["-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1"]


def qemu_command(test, image_path, icount, nonce, qemu="qemu-system-riscv64", disk_path=None, bios="default"):
    """The one place the QEMU command line is built. disk_path: the run's own copy of
    the disk image (written in place); else the stage's fs.img through a throw-away
    overlay; the network device with the disk. bios: the firmware (QEMU's own OpenSBI by default; mk/qemu10.sh passes
    another)."""
    cmd = [qemu, "-machine", "virt", "-bios", bios, "-m", "128M",
           "-smp", str(test.cpus), "-nographic", "-monitor", "none",
           "-serial", "stdio", "-no-reboot",
           "-kernel", str(image_path), "-append", kernel_cmdline(test, nonce)]
    if test.disk and not test.script:
        if disk_path:
            drive = f"file={disk_path},if=none,format=raw,id=x0"
        else:
            img = os.path.join(os.path.dirname(str(image_path)), "fs.img")
            drive = f"file={img},if=none,format=raw,id=x0,snapshot=on"
        cmd += ["-global", "virtio-mmio.force-legacy=false", "-drive", drive,
                "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"] + NET_DEVICE
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


def evaluate(test, lines, how, input_pending=None, wall=None, verdicts=None):
    """Grade one run. Returns (ok, reason, details).

    lines: console lines; how: "exit" (QEMU exited), "end" (the end regex
    matched), "forbid" (a forbidden line ended the run), "timeout" (wall
    backstop), or "interrupted". verdicts: (texts of the verdict lines whose tag
    verified, number that did not), for test.auth.
    details: lines worth showing under a FAIL: the offending line, or for a
    missing expect each expect's fate and the console after the last match;
    then the watchdog dump if the kernel printed one, else the last console lines.
    """
    tagged = lines
    lines = [untagged(l) for l in lines]       # expect and forbid see a verdict line's text
    for rx in test.forbid:
        for i, line in enumerate(lines):
            if re.search(rx, line):
                return (False, f"forbidden /{rx}/ matched line {i + 1}",
                        [f"> {line}"] + _context(lines))
    if how == "timeout":
        secs = f" after {wall:g}s" if wall is not None else ""
        return False, f"timeout (wall backstop{secs})", _context(lines)
    if how == "interrupted":
        return False, "interrupted", []
    if input_pending is not None:
        return False, f"input step /{input_pending}/ never triggered", _context(lines)

    found = _match_expects(test.expect, lines)
    if len(found) == len(test.expect):
        return _check_verdicts(test, tagged, verdicts)
    n = len(found)
    where = f" after /{test.expect[n - 1]}/" if n else ""
    reason = f"expect {n + 1}/{len(test.expect)} /{test.expect[n]}/ not found{where}"
    dump = watchdog_dump(lines)
    # The console after the last match stands in for the last console lines.
    return False, reason, _expect_diff(test.expect, lines, found) + (
        ["watchdog dump:"] + [f"| {l}" for l in dump] if dump else [])


def _check_verdicts(test, lines, verdicts):
    """test.auth against the verified verdict texts, in order."""
    if not test.auth:
        return True, "", []
    texts, forged = verdicts if verdicts else ([], 0)
    found = _match_expects(test.auth, texts)
    if len(found) == len(test.auth):
        return True, "", []
    n = len(found)
    out = ["verdicts expected, in order (only lines whose tag verifies count):"]
    for k, rx in enumerate(test.auth):
        out.append(f"  /{rx}/ " + (f"verified: {texts[found[k]]}" if k < n else
                                   "NOT FOUND" if k == n else "not reached"))
    if forged:
        out.append(f"{forged} tagged line(s) did not verify: they count for nothing")
    return False, f"verdict {n + 1}/{len(test.auth)} /{test.auth[n]}/ not found", out + _context(lines)


def _match_expects(expect, lines):
    """Indexes of the lines matching expect[0], expect[1], ... in order, up to the
    first regex that matches no later line."""
    found, i = [], 0
    for rx in expect:
        while i < len(lines) and not re.search(rx, lines[i]):
            i += 1
        if i == len(lines):
            break
        found.append(i)
        i += 1  # the next expect must match a later line
    return found


def _expect_diff(expect, lines, found):
    out = ["expected, in order:"]
    for n, rx in enumerate(expect):
        if n < len(found):
            out.append(f"  /{rx}/ matched line {found[n] + 1}: {lines[found[n]]}")
        else:
            out.append(f"  /{rx}/ " + ("NOT FOUND" if n == len(found) else "not reached"))
    if not found:   # what came instead, from the end (the start is only firmware)
        skipped = max(0, len(lines) - TAIL_LINES)
        out.append(f"console, last {len(lines) - skipped} of {len(lines)} lines:" if skipped
                   else "console:")
        return out + [f"| {l}" for l in lines[skipped:]]
    start = found[-1] + 1
    after = lines[start:]
    out.append(f"console after line {start}:")
    out += [f"| {l}" for l in after[:TAIL_LINES]]
    if not after:
        out.append("(nothing)")
    elif len(after) > TAIL_LINES:
        out.append(f"({len(after) - TAIL_LINES} more lines)")
    return out


def _context(lines):
    """The watchdog dump if the kernel printed one, else the last console lines."""
    dump = watchdog_dump(lines)
    if dump:
        return ["watchdog dump:"] + [f"| {l}" for l in dump]
    if lines:
        return ["last console lines:"] + [f"| {l}" for l in lines[-TAIL_LINES:]]
    return []
