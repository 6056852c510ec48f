"""The tamper suite (issue 10): attacks on the grading paths, each of which must score 0
(or lose the attacked test's points) with the reason visible to the instructor.

Every attack is a submission built here from the reference's lab 01 (and lab 02) files
and the handout, graded on both official paths: the instructor's (grade/submit.py run
from this tree, what `make grade SUBMISSION=dir LAB=NN` runs; results, JUnit and logs
written where the suite says) and the Gradescope bundle's (`make autograder LAB=NN`
unzipped into a simulated /autograder, run_autograder with AUTOGRADER_ROOT). The
classes (grade/README.md, "Threat model"):

 1. forge: a kernel that prints every expect and auth line of the lab, with the nonce
    from the command line and tags made with the key slot's marker and with the nonce.
 2. shadow: the lab's test programs and srvkill replaced by fakes that print "ok".
 3. python: the lab's tests.py, grade/*.py and a new suite changed to pass everything.
 4. symlinks: kernel/fastpath.c, the kernel directory, servers/proc: links to the
    reference's solution.
 5. build: a Makefile, mk/*.sh and stage.mk that would write a canary and fake results;
    a student file that #includes the reference's solution by absolute path; the
    results file as a planted symlink.
 6. counter: a kernel that never takes the fast path but bumps the fast-path counter.
 7. time: a build that exhausts memory (#include "/dev/zero") and one that never ends
    (an include bomb), a kernel whose every IPC hangs, a test that prints FAIL first.
 8. hygiene: terminal escapes, NULs, invalid UTF-8 and a fake results table (the
    forging kernel prints them); 10 MB (the hanging kernel, before it hangs).

Besides: a control (lab 02's handout as given out, which a shadowed submission must
score the same as), a known weakness kept as an expected failure (a copy of the
reference elsewhere on the machine, #included), and a static check that every lab test
with points is decided by verdicts or by the host.

The 19 gradings run in setUpModule, 3 at a time (the hanging ones mostly wait); each
test method then checks what both paths wrote. Two limits are lowered to keep the
suite short, and the checks say so: the build limit of the build that never ends
(MV6_BUILD_LIMIT=20, really 150) and the total limit of the kernel that hangs
(MV6_TOTAL_LIMIT=120, really 290). MV6_TAMPER_CASES=forge,shadow grades only those
cases; MV6_TAMPER_KEEP=1 keeps the gradings' directory (printed at the end).

Slow (about 4 minutes on 2 cores): skipped unless MV6_SLOW_TESTS=1 (make check sets
it), and outside the reference tree (it cuts handouts with mk/handout.py).
"""

import concurrent.futures as cf
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import grade     # noqa: E402
import keys      # noqa: E402
import manifest  # noqa: E402
import runner    # noqa: E402
import submit    # noqa: E402
import testlib   # noqa: E402

import re._constants as sre  # noqa: E402  (the regex parser: turns an expect into a line)
import re._parser as sre_parse  # noqa: E402

ENABLED = (os.environ.get("MV6_SLOW_TESTS") == "1" and os.path.isfile(os.path.join(ROOT, "mk", "handout.py"))
           and shutil.which("make") and shutil.which("qemu-system-riscv64"))
FIXTURES = os.path.join(HERE, "tamper")
HANG_BUILD_LIMIT = 20           # MV6_BUILD_LIMIT for the build that never ends (real: 150)
HANG_TOTAL_LIMIT = 120          # MV6_TOTAL_LIMIT for the kernel that hangs (real: 290): the stage-1 build alone takes ~50 s
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")   # what no report may carry raw
NOISE = (b"\x1b[2J\x1b[H\x1b]0;mv6 grader\x07\x1b[32mPASS ipc-pingpong (0.01s)\x1b[0m\n"
         b"points: 100/100\n"
         b"100 passed, 0 failed\n"
         b"\x00\x00NUL\x00bytes\x00\n"
         b"\r\x08\x08\x7f backspaces and DEL\x1b[1A\x1b[K\n"
         b"\xc2\x9b31m a C1 CSI, \xff\xfe invalid UTF-8\n"
         b"</failure></testcase></testsuite>]]> \"}], \"score\": 100}\n")


# ---------------------------------------------------------------- forged output

def example(rx):
    """A string re.search(rx) finds: each repeat at its minimum, the first alternative
    that does not say FAIL, each class's first member ("@NONCE@" stays as it is)."""
    groups = {}
    cats = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_WORD: r"\w",
            sre.CATEGORY_NOT_WORD: r"\W", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S"}

    def member(c, items):
        for op, av in items:
            if (op is sre.LITERAL and c == chr(av)) or (op is sre.RANGE and av[0] <= ord(c) <= av[1]) \
                    or (op is sre.CATEGORY and re.fullmatch(cats.get(av, "(?!)"), c)):
                return True
        return False

    def one_of(items):
        neg = any(op is sre.NEGATE for op, _ in items)
        items = [(op, av) for op, av in items if op is not sre.NEGATE]
        return next(c for c in "a0 _-x.A:" + "".join(map(chr, range(33, 127))) if member(c, items) != neg)

    def gen(seq):
        out = ""
        for op, av in seq:
            if op is sre.LITERAL:
                out += chr(av)
            elif op is sre.NOT_LITERAL:
                out += "a" if av != ord("a") else "b"
            elif op is sre.ANY:
                out += "a"
            elif op is sre.IN:
                out += one_of(av)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
                out += gen(av[2]) * av[0]
            elif op is sre.SUBPATTERN:
                out += (s := gen(av[-1]))
                if av[0]:
                    groups[av[0]] = s
            elif op is sre.BRANCH:
                alts = [gen(a) for a in av[1]]
                out += next((a for a in alts if "FAIL" not in a), alts[0])
            elif op is sre.GROUPREF:
                out += groups.get(av, "")
            elif op is getattr(sre, "ATOMIC_GROUP", None):
                out += gen(av)
            # anchors and look-arounds add nothing
        return out

    mark = "QnonceQ"            # @NONCE@ holds regex metacharacters for nothing: keep it whole
    return gen(sre_parse.parse(rx.replace(testlib.NONCE, mark))).replace(mark, testlib.NONCE)


def verdict_text(line):
    """The text of a line shaped as a verdict line ("TEXT #mv6:TAG"), or None."""
    m = keys.TAG_RE.match(line)
    return m[1] if m else None


def forged_lines(tests):
    """{boot: [(how, text)]}: what a kernel that trusts nothing but wants the points prints
    for each boot: every expect line of the tests with that boot (a verdict-shaped one
    tagged twice: with the key slot's marker and with the nonce as key) and every auth
    text tagged both ways; the lines that end a run last, so that the run goes on to
    see the others."""
    table = {}
    for t in tests:
        lines = table.setdefault(t.boot, [])
        for rx in t.expect:
            s = example(rx)
            text = verdict_text(s)
            lines += [("MARKER", text), ("NONCE", text)] if text is not None else [("PLAIN", s)]
        for rx in t.auth:
            lines += [("MARKER", example(rx)), ("NONCE", example(rx))]
    for boot, lines in table.items():
        ends = [t.end for t in tests if t.boot == boot and t.end]
        lines[:] = list(dict.fromkeys(lines))
        lines.sort(key=lambda l: any(re.search(e, printed(l, "0" * 16)) for e in ends))
    return table


def printed(line, nonce):
    """The console line forge.c prints for (how, text) in a run with this nonce."""
    how, text = line
    text = testlib.fill_nonce(text, nonce)
    if how == "PLAIN":
        return text
    k = keys.MARKER if how == "MARKER" else nonce.encode().ljust(keys.SLOT, b"\0")
    return f"{text} #mv6:{keys.tag(k, text)}"


def check_forgery(tests, table, noise):
    """The forgery is good enough to matter: a grader that read console text, or trusted
    tags made with the marker, would give every test its points. Returns the reasons it
    is not (empty: it is)."""
    bad = []
    nonce = "0123456789abcdef"
    noisy_test = noisy(tests)
    for t in tests:
        t = testlib.with_nonce(t, nonce)
        lines = (noise.decode("utf-8", "replace").replace("\r", "").split("\n")[:-1]
                 if t is noisy_test else []) + [printed(l, nonce) for l in table[t.boot]]
        how = "exit"
        if t.end:                                 # the run ends at its first end line
            at = next((i for i, l in enumerate(lines) if re.search(t.end, l)), None)
            if at is not None:
                lines, how = lines[:at + 1], "end"
        ok, reason, _ = testlib.evaluate(t, lines, how, None, None, keys.verified(lines, keys.MARKER))
        if not ok:
            bad.append(f"{t.name}: {reason}")
    return bad


def c_string(data):
    """A C string literal of bytes (octal escapes: they never swallow a following digit
    the way \\x does when there are three of them)."""
    out = ""
    for b in data:
        c = chr(b)
        out += c if 32 <= b < 127 and c not in '"\\?' else f"\\{b:03o}"
    return f'"{out}"'


def forge_source(stub, rows):
    """The stub kernel/ipc.c with forge.c appended, its table filled with rows (boot or
    None for any, how, text bytes) and tamper() called first in every IPC entry."""
    with open(os.path.join(FIXTURES, "forge.c")) as f:
        fixture = f.read()
    table = "static const struct tamper_line tamper_lines[] = {\n" + "".join(
        f"  {{{c_string(b.encode()) if b is not None else 0}, {how}, "
        f"{c_string(text)}, {len(text)}}},\n" for b, how, text in rows) + "};"
    src, n = re.subn(r"(?m)^(int64 \w+\([^;{]*\) \{)$", r"\1\n  tamper();", stub)
    if n < 3:
        raise AssertionError(f"the stub kernel/ipc.c has {n} IPC entries to hook, not 3 or more")
    src = src.replace('#include "kernel.h"', '#include "kernel.h"\n#include "khost.h"\nstatic void tamper(void);', 1)
    return src + "\n" + fixture.replace("// @TABLE@", table)


def forge_rows(table, loud):
    """forge.c's table for the forged lines; the boot loud gets the noise first."""
    rows = []
    for boot, lines in table.items():
        if boot == loud:
            rows.append((boot, "RAW", NOISE))
        rows += [(boot, how, text.encode()) for how, text in lines]
    return rows


def fake_source(tests):
    """grade/tamper/fake.c with its table filled: every line of the tests, verdicts
    through verdict() (a keyed program's tag verifies)."""
    with open(os.path.join(FIXTURES, "fake.c")) as f:
        fixture = f.read()
    rows = [(boot, "VERDICT" if how == "MARKER" else how, text)
            for boot, lines in forged_lines(tests).items() for how, text in lines if how != "NONCE"]
    table = "static const struct fake_line fake_lines[] = {\n" + "".join(
        f"  {{{c_string(b.encode())}, {how}, {c_string(text.encode())}}},\n" for b, how, text in rows) + "};"
    return fixture.replace("// @TABLE@", table)


# ---------------------------------------------------------------- submissions

def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def lab_tests(tree, lab):
    return [t for t in grade.discover(tree) if t.lab == lab]


def roots(tests):
    """The tests that depend on no other: the ones that run whatever else fails."""
    return [t for t in tests if not t.deps]


def noisy(tests):
    """The test whose run gets the noise: a root test no other test shares a boot with
    (so that only one run prints it)."""
    return next(t for t in roots(tests) if sum(u.boot == t.boot for u in tests) == 1)


def hung(tests):
    """The hanging kernel's two root tests: the one that prints FAIL first, and one with
    another boot, which prints 10 MB before it hangs."""
    first = roots(tests)[0]
    return first, next(t for t in roots(tests) if t.boot != first.boot)


class Kit:
    """What the attacks are made from: the handouts of labs 01 and 02 (the students'
    starting points) and the reference's solution files, in a temporary directory the
    grading users can read (as an instructor's home usually is)."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="mv6-tamper-")
        os.chmod(self.tmp, 0o755)
        self.handout = {}
        for lab in ("01", "02"):
            d = os.path.join(self.tmp, f"handout{lab}")
            subprocess.run([sys.executable, os.path.join(ROOT, "mk", "handout.py"), "tree", lab, d],
                           check=True, stdout=subprocess.DEVNULL)
            shutil.rmtree(os.path.join(d, ".git"), ignore_errors=True)
            self.handout[lab] = d
        self.tests = {lab: lab_tests(self.handout[lab], lab) for lab in ("01", "02")}
        self.files = {lab: manifest.load(ROOT, lab)["files"] for lab in ("01", "02")}
        self.canary = self.dir("canary", 0o777)      # anyone may write here: if anything
        self.bundle = {}                              # of a submission ran, it would

    def dir(self, name, mode=0o755):
        d = os.path.join(self.tmp, name)
        os.makedirs(d, exist_ok=True)
        os.chmod(d, mode)
        return d

    def stub(self, lab, rel):
        return read(os.path.join(self.handout[lab], rel))

    def bundle_zip(self, lab):
        if lab not in self.bundle:
            self.bundle[lab] = os.path.join(self.tmp, f"autograder-lab{lab}.zip")
            subprocess.run(["sh", "mk/autograder.sh", lab, self.bundle[lab]], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        return self.bundle[lab]


class Ctx:
    """Where one grading happens, as a submission's author would guess it."""

    def __init__(self, kit, case, path):
        self.kit, self.case, self.path = kit, case, path
        self.dir = kit.dir(f"{path}-{case}")
        self.sub = os.path.join(self.dir, "submission")
        if path == "gradescope":
            with zipfile.ZipFile(kit.bundle_zip(CASES[case].lab)) as z:
                z.extractall(self.dir)
            self.grader = os.path.join(self.dir, "source")        # run_autograder's tree
            self.results = os.path.join(kit.dir(f"{path}-{case}/results", 0o777), "results.json")
        else:
            self.grader = ROOT
            self.results = os.path.join(kit.dir(f"{path}-{case}/out", 0o777), "results.json")
        self.junit = os.path.join(self.dir, "out", "junit.xml") if path == "instructor" else None
        self.logs = os.path.join(self.dir, "out", "logs") if path == "instructor" else None
        self.victim = None


class Case:
    def __init__(self, name, lab, make, env=None, plant=False, roots_only=False, paths=None):
        self.name, self.lab, self.make, self.env, self.plant = name, lab, make, env or {}, plant
        self.roots_only = roots_only   # grade only the lab's root tests (TEST names)
        self.paths = paths or PATHS


def make_forge(ctx):
    """Class 1 (and 8, 4): the stub ipc.c plus forge.c; fastpath.c a link to the reference's."""
    kit, sub = ctx.kit, ctx.sub
    tests = kit.tests["01"]
    write(os.path.join(sub, "kernel/ipc.c"),
          forge_source(kit.stub("01", "kernel/ipc.c"), forge_rows(forged_lines(tests), noisy(tests).boot)))
    os.remove(os.path.join(sub, "kernel/fastpath.c"))
    os.symlink(os.path.join(ROOT, "kernel/fastpath.c"), os.path.join(sub, "kernel/fastpath.c"))


def make_shadow(ctx):
    """Classes 2, 3, 4, 5 on lab 01's stubs: fake test programs, Python that passes
    everything, the kernel directory a link to the reference's, a Makefile, mk/*.sh and
    stage.mk that write a canary and fake results."""
    kit, sub = ctx.kit, ctx.sub
    canary, fake = kit.canary, '{"score": 100.0, "tests": []}'
    tests = kit.tests["01"]
    labdir = os.path.join(sub, "labs", manifest.labs(sub)["01"])
    for fn in os.listdir(labdir):                           # class 2: every lab program, srvkill
        if fn.endswith(".c"):
            write(os.path.join(labdir, fn), fake_source(tests))
    for rel in ("user/tests/srvkill.c", "user/srvkill.c"):
        write(os.path.join(sub, rel), fake_source(kit.tests["02"]))
    trap = f"open({canary + '/python'!r}, 'a').write(__file__ + '\\n')\n"   # class 3
    write(os.path.join(labdir, "tests.py"), trap +
          "from testlib import Test\n"
          "TESTS = [Test(name='tamper-free', suite='lab01', lab='01', stage=1, boot='run=hello',\n"
          "              points=100, expect=[r'hello'])]\n")
    with open(os.path.join(sub, "grade/testlib.py"), "a") as f:
        f.write("\n" + trap + "def evaluate(*a, **k):\n    return True, '', []\n")
    with open(os.path.join(sub, "grade/keys.py"), "a") as f:
        f.write("\n" + trap + "def verified(lines, key):\n"
                "    return [m[1] for l in lines if (m := TAG_RE.match(l))], 0\n")
    with open(os.path.join(sub, "grade/suites/kernel.py"), "a") as f:
        f.write("\n" + trap + "TESTS.append(Test(name='tamper-kernel', suite='kernel', lab='01', stage=1,\n"
                "                   boot='run=hello', points=100, expect=[r'hello']))\n")
    write(os.path.join(sub, "grade/suites/zz_tamper.py"), trap +
          "from testlib import Test\n"
          "TESTS = [Test(name='tamper-suite', suite='zz_tamper', lab='01', stage=1, boot='run=hello',\n"
          "              points=100, expect=[r'hello'])]\n")
    write(os.path.join(sub, "grade/sitecustomize.py"), trap)
    for rel in ("grade/submit.py", "grade/autograder/run_autograder"):
        write(os.path.join(sub, rel), f"#!/usr/bin/env python3\n{trap}"
              f"open({ctx.results!r}, 'w').write({fake!r})\n", 0o755)
    shell = f"echo $0 >> {canary}/build; echo '{fake}' > {ctx.results}"      # class 5
    with open(os.path.join(sub, "Makefile")) as f:
        mk = f.read()
    write(os.path.join(sub, "Makefile"), f"$(shell {shell})\n" + mk)
    with open(os.path.join(labdir, "stage.mk"), "a") as f:
        f.write(f"$(shell {shell})\n")
    for fn in os.listdir(os.path.join(sub, "mk")):
        if fn.endswith(".sh"):
            p = os.path.join(sub, "mk", fn)
            lines = read(p).split("\n")
            write(p, "\n".join(lines[:1] + [shell] + lines[1:]), 0o755)
    shutil.rmtree(os.path.join(sub, "kernel"))             # class 4: a linked directory
    os.symlink(os.path.join(ROOT, "kernel"), os.path.join(sub, "kernel"))


def make_shadow02(ctx):
    """Classes 2 and 4 on lab 02: a fake srvkill where the Makefile would look first and
    where it lives; lab 02's server directory a link to the reference's."""
    kit, sub = ctx.kit, ctx.sub
    for rel in ("user/tests/srvkill.c", "user/srvkill.c"):
        write(os.path.join(sub, rel), fake_source(kit.tests["02"]))
    d = os.path.dirname(kit.files["02"][-1])
    shutil.rmtree(os.path.join(sub, d))
    os.symlink(os.path.join(ROOT, d), os.path.join(sub, d))


def make_plain(ctx):
    """A control: the handout as it was given out."""


def make_include(ctx):
    """Class 5: the lab's files #include the grader's own (the reference's solution on
    the instructor's path) by absolute path."""
    for rel in ctx.kit.files["01"]:
        write(os.path.join(ctx.sub, rel), f'#include "{os.path.join(ctx.grader, rel)}"\n')


def make_elsewhere(ctx):
    """A known weakness: the same, from a copy of the reference's files outside the
    grader's tree that the grading user may read (an instructor's other checkout)."""
    copy = ctx.kit.dir("elsewhere")
    for rel in ctx.kit.files["01"]:
        shutil.copy(os.path.join(ROOT, rel), os.path.join(copy, os.path.basename(rel)))
        os.chmod(os.path.join(copy, os.path.basename(rel)), 0o644)
        write(os.path.join(ctx.sub, rel), f'#include "{os.path.join(copy, os.path.basename(rel))}"\n')


def make_zero(ctx):
    """Class 7: a build that reads /dev/zero: the memory limit ends it."""
    write(os.path.join(ctx.sub, "kernel/ipc.c"), '#include "/dev/zero"\n')


def make_bomb(ctx):
    """Class 7: a build that never ends: a file that includes itself twice at each of 60
    levels (2^60 inclusions, little memory)."""
    write(os.path.join(ctx.sub, "kernel/ipc.c"),
          "#if __INCLUDE_LEVEL__ < 60\n#include __FILE__\n#include __FILE__\n#endif\n")


def fail_line(test):
    """A line test.forbid catches (a lab's client says FAIL; the kernel's panic always)."""
    for line in ("tamper: FAIL, and now the kernel hangs", "[kernel] panic: tamper"):
        if any(re.search(rx, line) for rx in test.forbid):
            return line
    raise AssertionError(f"{test.name} forbids neither FAIL nor a panic")


def make_hang(ctx):
    """Classes 7 and 8: every IPC entry hangs for good (interrupts masked); in the first
    root test's run the kernel prints a FAIL line first, in another's 10 MB (the time
    that takes is time the grader waits for the hang anyway)."""
    first, loud = hung(ctx.kit.tests["01"])
    write(os.path.join(ctx.sub, "kernel/ipc.c"), forge_source(ctx.kit.stub("01", "kernel/ipc.c"), [
        (first.boot, "PLAIN", fail_line(first).encode()), (loud.boot, "FLOOD", b""), (None, "HANG", b"")]))


def make_counter(ctx):
    """Class 6: every figure a lab-01 kernel can reach, bent. The reference's ipc.c,
    except that the slow-path counter never moves and, from the first endpoint made at
    boot, the kernel says its clock runs four times as fast as it does (the time base
    it reports turns time into instructions); a fastpath.c that always takes the
    general path yet bumps the fast-path counter."""
    ipc, n1 = re.subn(r"(?m)^(\s+)stat_slow\+\+;$", r"\1(void)0;", read(os.path.join(ROOT, "kernel/ipc.c")))
    ipc, n2 = re.subn(r"(?m)^(struct endpoint \*ep_alloc\(.*\) \{)$",
                      r"\1\n  if (timebase < 20000000)\n    timebase *= 4;", ipc)
    # one statement still, so that an unbraced "if" before it guards both
    fast, n3 = re.subn(r"(?m)^(\s+)(general_path\(.*\));$", r"\1(mycpu()->nfast++, \2);",
                       ctx.kit.stub("01", "kernel/fastpath.c"))
    if not (n1 and n2 == 1 and n3 >= 2):
        raise AssertionError("ipc.c has no slow-path counter or no ep_alloc, or the stub fastpath.c no "
                             "general-path calls: make_counter needs a look")
    write(os.path.join(ctx.sub, "kernel/ipc.c"), ipc)
    write(os.path.join(ctx.sub, "kernel/fastpath.c"), fast)


PATHS = ("instructor", "gradescope")
CASES = {c.name: c for c in [
    Case("hang", "01", make_hang, {"MV6_TOTAL_LIMIT": str(HANG_TOTAL_LIMIT)}),
    Case("bomb", "01", make_bomb, {"MV6_BUILD_LIMIT": str(HANG_BUILD_LIMIT)}),
    Case("forge", "01", make_forge),
    Case("shadow", "01", make_shadow, plant=True),
    # Lab 02's structure test only (the one srvkill decides), and the same for the
    # handout as it was given out: a shadow must change nothing.
    Case("shadow02", "02", make_shadow02, roots_only=True),
    Case("plain02", "02", make_plain, roots_only=True, paths=("instructor",)),
    Case("counter", "01", make_counter),
    Case("elsewhere", "01", make_elsewhere),
    Case("include", "01", make_include),
    Case("zero", "01", make_zero),
]}


class Graded:
    """One grading's outcome: what the grader printed and wrote."""

    def __init__(self, ctx, out, elapsed):
        self.ctx, self.out, self.elapsed = ctx, out, elapsed
        self.left = []                 # processes of its grading user after it ended
        try:
            with open(ctx.results, encoding="utf-8") as f:
                self.raw = f.read()
            self.results = json.loads(self.raw)
        except (OSError, ValueError) as e:
            self.raw, self.results = "", {"score": None, "tests": [], "output": f"no results.json: {e}"}
        self.tests = {t["name"]: t for t in self.results.get("tests", [])}
        self.times = {m[2]: float(m[3]) for m in re.finditer(r"(?m)^(PASS|FAIL) (\S+) \(([\d.]+)s", out)}

    def why(self):
        """What to show when a check fails: the top of the results and the output's end."""
        return (f"\n[{self.ctx.path} path, case {self.ctx.case}, {self.elapsed:.0f} s]\n"
                f"results.json output: {self.results.get('output', '')[-1500:]}\n"
                f"score: {self.results.get('score')}; tests: "
                + "; ".join(f"{n}: {t['status']} {t['output'][:200]!r}" for n, t in self.tests.items())
                + f"\ngrader output, last 2000 characters:\n{self.out[-2000:]}")


def run_grading(kit, case, path):
    ctx = Ctx(kit, case.name, path)
    shutil.copytree(kit.handout[case.lab], ctx.sub, symlinks=True)
    case.make(ctx)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MV6_BUILD", "MV6_TOTAL", "AUTOGRADER"))}
    env.update(case.env)
    if case.plant:                     # the results file is a link planted to a victim
        ctx.victim = os.path.join(ctx.dir, "victim")
        write(ctx.victim, "the victim\n")
        os.symlink(ctx.victim, ctx.results)
    names = [t.name for t in roots(kit.tests[case.lab])] if case.roots_only else []
    env["TMPDIR"] = kit.dir(f"{path}-{case.name}/tmp")   # the grading's own tree is in here
    if path == "instructor":
        cmd = [sys.executable, os.path.join(ROOT, "grade", "submit.py"), "--submission", ctx.sub,
               "--lab", case.lab, "--results", ctx.results, "--junit", ctx.junit, "--logs", ctx.logs] + names
    else:
        cmd = ["bash", os.path.join(ctx.dir, "run_autograder")]
        env["AUTOGRADER_ROOT"] = ctx.dir
        env["AUTOGRADER_TESTS"] = " ".join(names)
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=ctx.dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=900)
    g = Graded(ctx, p.stdout.decode("utf-8", "replace"), time.monotonic() - start)
    m = re.search(r"sandbox: user (\d+)", g.results.get("output", ""))
    if m:                              # what that user still runs in this grading's tree
        for pid in submit.procs_of(int(m[1])):
            try:
                if os.readlink(f"/proc/{pid}/cwd").startswith(env["TMPDIR"]):
                    g.left.append(read(f"/proc/{pid}/cmdline").replace("\0", " "))
            except OSError:
                pass
    return g


KIT = None
GRADED = {}           # (case, path) -> Graded
SUITE_TIME = [0.0]


def setUpModule():
    global KIT
    if not ENABLED:
        return
    start = time.monotonic()
    KIT = Kit()
    for lab in ("01", "02"):
        KIT.bundle_zip(lab)
    only = os.environ.get("MV6_TAMPER_CASES")          # e.g. forge,shadow: a targeted run
    jobs = [(c, p) for c in CASES.values() for p in c.paths if not only or c.name in only.split(",")]
    with cf.ThreadPoolExecutor(max_workers=3) as pool:
        futures = {pool.submit(run_grading, KIT, c, p): (c.name, p) for c, p in jobs}
        for fut in cf.as_completed(futures):
            GRADED[futures[fut]] = fut.result()
    SUITE_TIME[0] = time.monotonic() - start


def tearDownModule():
    if KIT is None:
        return
    print(f"\ntest_tamper: {len(GRADED)} gradings in {SUITE_TIME[0]:.0f} s: " + ", ".join(
        f"{c}/{p[:5]} {g.elapsed:.0f} s" for (c, p), g in sorted(GRADED.items())), file=sys.stderr)
    if os.environ.get("MV6_TAMPER_KEEP"):
        print(f"test_tamper: kept {KIT.tmp}", file=sys.stderr)
    else:
        shutil.rmtree(KIT.tmp, ignore_errors=True)


# ---------------------------------------------------------------- the checks

@unittest.skipUnless(ENABLED, "slow: set MV6_SLOW_TESTS=1 (and run it in the reference tree)")
class Tamper(unittest.TestCase):
    """Each check looks at a case's gradings on both paths (a subTest each)."""

    def both(self, case):
        if (case, PATHS[0]) not in GRADED:
            self.skipTest(f"case {case} not selected (MV6_TAMPER_CASES)")
        return [GRADED[(case, p)] for p in PATHS]

    def zero(self, g, lab="01"):
        """Scored 0 out of the lab's pristine tests (none added, none dropped), each
        failed with a reason."""
        pristine = {t.name: t.points for t in KIT.tests[lab]}
        self.assertEqual({n: t["max_score"] for n, t in g.tests.items()}, pristine, g.why())
        self.assertEqual(g.results["score"], 0, g.why())
        for t in g.tests.values():
            self.assertEqual(t["status"], "failed", g.why())
            self.assertTrue(t["output"].strip(), f"{t['name']} failed without a reason" + g.why())

    @staticmethod
    def notes(g):
        return g.results.get("output", "")

    # class 1 -----------------------------------------------------------------

    def test_1_forged_verdicts_and_expect_lines_score_0(self):
        """A kernel that prints every line the lab's tests look for, tagged with the key
        slot's marker and with the nonce, scores 0: each test that ran found every
        expected line and failed only on the verdicts, whose tags did not verify."""
        for g in self.both("forge"):
            with self.subTest(path=g.ctx.path):
                self.zero(g)
                ran = [t for t in g.tests.values() if not t["output"].startswith("skipped")]
                self.assertTrue(ran, g.why())
                for t in ran:
                    self.assertRegex(t["output"], r"^verdict 1/\d+ /.*/ not found", g.why())
                    self.assertRegex(t["output"], r"tagged line\(s\) did not verify", g.why())

    def test_1_the_forgery_is_good_enough_to_matter(self):
        """It would pass every test on a grader that read console text or trusted tags
        made with the marker; and the tags forge.c made in the guest verify under the
        marker (a grader that did not write the run's key would count them)."""
        tests = KIT.tests["01"]
        table = forged_lines(tests)
        self.assertEqual(check_forgery(tests, table, NOISE), [])
        if not any(how == "MARKER" for lines in table.values() for how, _ in lines):
            return                     # the lab's tests look for no verdict line yet
        g = self.both("forge")[0]
        lines = [l for f in os.listdir(g.ctx.logs) for l in read(os.path.join(g.ctx.logs, f)).split("\n")]
        self.assertTrue(keys.verified(lines, keys.MARKER)[0], g.why())

    def test_1_every_test_with_points_needs_a_verified_verdict(self):
        """The root of class 1: a lab test with points must be decided by verdict lines
        (auth=) or by the host (files=, fsck=, a script), never by console text alone."""
        open_ = [f"{t.name} ({t.points} points)" for t in grade.discover(ROOT)
                 if t.lab and t.points and not (t.auth or t.files or t.fsck or t.script)]
        self.assertEqual(open_, [], "these tests give points for console text anyone can print")

    # classes 2 and 3 ---------------------------------------------------------

    def test_2_3_shadowed_test_programs_and_python_change_nothing(self):
        """Fake test programs (the lab's clients, srvkill) and Python (tests.py with a
        100-point test, grade/*.py, a new suite) in the submission: 0 points, the
        pristine tests only, nothing of it ran; the notes give each declared file's fate."""
        for g in self.both("shadow"):
            with self.subTest(case="shadow", path=g.ctx.path):
                self.zero(g)
                for rel in KIT.files["01"]:
                    self.assertIn(rel, self.notes(g), g.why())
        # Lab 02's structure test (srvkill's): the same outcome as the handout's own.
        plain = GRADED[("plain02", "instructor")]
        for g in self.both("shadow02"):
            with self.subTest(case="shadow02", path=g.ctx.path):
                self.assertEqual(sorted(g.tests), sorted(t.name for t in roots(KIT.tests["02"])), g.why())
                self.assertEqual({n: t["status"] for n, t in g.tests.items()},
                                 {n: t["status"] for n, t in plain.tests.items()}, g.why() + plain.why())
                for rel in KIT.files["02"]:
                    self.assertIn(rel, self.notes(g), g.why())
        self.assertEqual(os.listdir(KIT.canary), [], "something of a submission ran")

    # class 4 -----------------------------------------------------------------

    def test_4_symlinks_are_refused_with_the_reason(self):
        d = os.path.dirname(KIT.files["02"][-1])
        for case, rel, why in (("forge", "kernel/fastpath.c", "a symbolic link"),
                               ("shadow", "kernel/ipc.c", "kernel is a symbolic link"),
                               ("shadow02", KIT.files["02"][-1], f"{d} is a symbolic link")):
            for g in self.both(case):
                with self.subTest(case=case, path=g.ctx.path):
                    self.assertIn(f"REFUSED, the course's stub is used: {rel}: {why}", self.notes(g), g.why())

    # class 5 -----------------------------------------------------------------

    def test_5_the_submissions_build_files_never_run(self):
        """A Makefile, mk/*.sh and stage.mk that write a canary and fake results: not
        taken, so nothing ran and the results are the grader's."""
        for g in self.both("shadow"):
            with self.subTest(path=g.ctx.path):
                self.zero(g)
        self.assertEqual(os.listdir(KIT.canary), [], "something of a submission ran")

    def test_5_the_reference_is_hidden_from_the_build(self):
        """#include of the grader's own tree (on the instructor's path, the reference's
        solution) by absolute path: hidden, so the build fails, saying so."""
        for g in self.both("include"):
            with self.subTest(path=g.ctx.path):
                self.assertIn("the build sees only the system, the toolchain and its tree", self.notes(g), g.why())
                self.zero(g)
                for t in g.tests.values():
                    self.assertIn("does not build", t["output"], g.why())
                self.assertRegex(g.out, re.escape(g.ctx.grader) + r"/kernel/\w+\.c: No such file", g.why())

    def test_5_a_planted_results_link_is_replaced_not_followed(self):
        for g in self.both("shadow"):
            with self.subTest(path=g.ctx.path):
                self.assertEqual(read(g.ctx.victim), "the victim\n", g.why())
                self.assertFalse(os.path.islink(g.ctx.results), g.why())
                self.assertEqual(g.results["score"], 0, g.why())

    def test_5_files_outside_the_graders_tree_are_hidden_too(self):
        """A copy of the reference elsewhere on the machine (another checkout, a backup,
        another student's submission in a batch) does not compile in: the build's
        namespace shows only the system, the toolchain and its own tree."""
        for g in self.both("elsewhere"):
            self.assertEqual(g.results["score"], 0, g.why())

    # class 6 -----------------------------------------------------------------

    def test_6_a_counter_the_kernel_bumps_decides_nothing(self):
        """A kernel that never takes the fast path but bumps its counter (and never the
        slow path's) loses the fast path's points; the rest of the solution still earns
        its own, so the loss is the measure's doing."""
        for g in self.both("counter"):
            with self.subTest(path=g.ctx.path):
                self.assertIn("ipc-fastpath", g.tests, g.why())
                self.assertEqual(g.tests["ipc-fastpath"]["status"], "failed",
                                 "a kernel without a fast path got ipc-fastpath's points: its figure comes "
                                 "from something the kernel controls (a counter, the time base it reports)"
                                 + g.why())
                self.assertEqual(g.tests["ipc-pingpong"]["status"], "passed", g.why())

    # class 7 -----------------------------------------------------------------

    def test_7_a_build_out_of_memory_fails_with_the_reason(self):
        for g in self.both("zero"):
            with self.subTest(path=g.ctx.path):
                self.zero(g)
                for t in g.tests.values():
                    self.assertIn("does not build", t["output"], g.why())
                self.assertRegex(g.out, r"out of memory|memory exhausted", g.why())

    def test_7_a_build_that_never_ends_stops_at_the_limit(self):
        """(Here with the build limit lowered to HANG_BUILD_LIMIT; really 150 s.)"""
        for g in self.both("bomb"):
            with self.subTest(path=g.ctx.path):
                self.zero(g)
                for t in g.tests.values():
                    self.assertIn(f"did not finish within {HANG_BUILD_LIMIT} s", t["output"], g.why())
                self.assertLess(g.elapsed, HANG_BUILD_LIMIT + 40, g.why())

    def test_7_a_hanging_kernel_is_graded_within_the_total_limit(self):
        """(Here with the total limit lowered to HANG_TOTAL_LIMIT; really 290 s.)"""
        for g in self.both("hang"):
            with self.subTest(path=g.ctx.path):
                self.zero(g)
                self.assertLess(g.elapsed, HANG_TOTAL_LIMIT + 20, g.why())
                hung = [t for t in g.tests.values() if re.search(r"timeout|time limit|interrupted", t["output"])]
                self.assertTrue(hung, g.why())

    def test_7_a_fail_line_ends_the_test_at_once(self):
        first = hung(KIT.tests["01"])[0]
        for g in self.both("hang"):
            with self.subTest(path=g.ctx.path):
                self.assertRegex(g.tests[first.name]["output"], r"^forbidden /.*/ matched line", g.why())
                self.assertLess(g.times.get(first.name, 1e9), 15, g.why())

    # class 8 -----------------------------------------------------------------

    def test_8_the_graders_output_carries_no_control_characters(self):
        """Terminal escapes, NULs, invalid UTF-8 and a fake results table from the guest:
        they show, escaped, in the report of the test that printed them; no output of
        the grader carries a raw control character; JUnit parses; the grader's last
        points line is its own."""
        for g in self.both("forge"):
            with self.subTest(path=g.ctx.path):
                self.assertEqual(g.results["score"], 0, g.why())
                self.assertIsNone(CONTROL.search(g.out.replace("\n", "")), g.why())
                self.assertIsNone(CONTROL.search(g.raw.replace("\n", "")), g.why())
                for text in [self.notes(g)] + [t["output"] for t in g.tests.values()]:
                    self.assertIsNone(CONTROL.search(text.replace("\n", "")), g.why())
                self.assertIn("\\x1b[2J", g.tests[noisy(KIT.tests["01"]).name]["output"], g.why())
                if g.ctx.logs:                            # the log shows it all, escaped
                    log = read(os.path.join(g.ctx.logs, noisy(KIT.tests["01"]).name + ".log"))
                    self.assertIn("\\x1b[2J\\x1b[H\\x1b]0;mv6 grader\\x07", log, g.why())
                    self.assertIsNone(CONTROL.search(log.replace("\n", "")), g.why())
                top = sum(t["max_score"] for t in g.tests.values())
                self.assertEqual(re.findall(r"(?m)^points: .*", g.out)[-1].split("  ")[0],
                                 f"points: {g.results['score']:g}/{top:g}", g.why())
                if g.ctx.junit:
                    for el in ET.parse(g.ctx.junit).getroot().iter():
                        text = (el.text or "").replace("\n", "") + "".join(el.attrib.values())
                        self.assertIsNone(CONTROL.search(text), g.why())

    def test_8_ten_megabytes_leave_a_log_of_one(self):
        """The hanging kernel prints up to 10 MB in one run (as much as it can before the
        run is cut): the log keeps 1 MiB and says so; the reports stay small. (A host
        so loaded that the kernel printed less than 1 MiB before the wall backstop cut
        the run leaves a log below the cap: it must then say the backstop ended it.)"""
        for g in self.both("hang"):
            with self.subTest(path=g.ctx.path):
                self.assertLess(len(g.raw) + len(g.out), 256 << 10, g.why())
                if g.ctx.logs:
                    log = os.path.join(g.ctx.logs, hung(KIT.tests["01"])[1].name + ".log")
                    size, text = os.path.getsize(log), read(log)
                    self.assertLess(size, runner.LOG_CAP + (16 << 10), g.why())
                    if f"log cut at {runner.LOG_CAP} bytes" not in text:   # only a run cut first
                        self.assertLess(size, runner.LOG_CAP, g.why())       # with less printed
                        self.assertIn("wall backstop expired", text, g.why())

    # the sandbox -------------------------------------------------------------

    def test_nothing_of_a_grading_user_outlives_its_grading(self):
        """Whatever the build or QEMU started (the include bomb's compiler, the hanging
        kernel's QEMU) is gone when the grading ends."""
        for g in GRADED.values():
            with self.subTest(case=g.ctx.case, path=g.ctx.path):
                self.assertEqual(g.left, [], g.why())


if __name__ == "__main__":
    unittest.main()
