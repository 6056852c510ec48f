#!/usr/bin/env python3
"""mv6 test harness: python3 grade/grade.py [options] [TEST|SUITE|GLOB ...]

See grade/README.md. Discovers suites in grade/suites/ and labs/*/tests.py,
builds the images the selected tests need, runs each test in its own QEMU (in
parallel) and prints a summary ending with the line "N passed, N failed".
"""

import argparse
import concurrent.futures as cf
import fnmatch
import glob
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # suite modules do `from testlib import Test`

import fsimg    # noqa: E402
import keys     # noqa: E402
import manifest  # noqa: E402
import report   # noqa: E402
import runner   # noqa: E402
import testlib  # noqa: E402

ROOT = os.path.dirname(HERE)


class LoadError(Exception):
    pass


# ---------------------------------------------------------------- discovery

def discover(root=ROOT):
    """All tests: grade/suites/*.py (suites sorted by name), then labs/NN-*/tests.py
    (suite "labNN", lab "NN"), each in file order."""
    tests = []
    suites_dir = os.path.join(root, "grade", "suites")
    for fn in sorted(os.listdir(suites_dir)):
        if fn.endswith(".py") and not fn.startswith("_"):
            tests += _load(os.path.join(suites_dir, fn), f"suites/{fn}", fn[:-3], None)
    for path in sorted(glob.glob(os.path.join(root, "labs", "*", "tests.py"))):
        shown = os.path.relpath(path, root)
        m = re.fullmatch(r"(\d\d)-.+", os.path.basename(os.path.dirname(path)))
        if not m:
            raise LoadError(f"{shown}: a lab directory is named NN-topic")
        tests += _load(path, shown, f"lab{m[1]}", m[1])
    check(tests)
    return tests


def _load(path, shown, suite, lab):
    """TESTS of the module at path; each must have this suite (and lab, if given)."""
    spec = importlib.util.spec_from_file_location(f"mv6_suite_{suite}", path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception as e:
        raise LoadError(f"{shown}: {type(e).__name__}: {e}") from e
    tests = getattr(mod, "TESTS", [])
    for t in tests:
        if not isinstance(t, testlib.Test):
            raise LoadError(f"{shown}: TESTS holds a non-Test: {t!r}")
        if t.suite != suite:
            raise LoadError(f"test {t.name}: suite={t.suite!r} but it lives in {shown} "
                            f"(suite {suite!r})")
        if lab is not None and t.lab != lab:
            raise LoadError(f"test {t.name}: lab={t.lab!r} but it lives in {shown} (lab {lab!r})")
    return list(tests)


def available_stages(root=ROOT):
    """Stages this tree has: n for each HOSTED_n a labs/*/stage.mk defines (a handout
    carries only its labs' stages); all of 1..4 if no lab has a stage.mk."""
    files = glob.glob(os.path.join(root, "labs", "*", "stage.mk"))
    if not files:
        return {1, 2, 3, 4}
    stages = set()
    for fn in files:
        with open(fn, encoding="utf-8") as f:
            stages |= {int(n) for n in re.findall(r"(?m)^HOSTED_(\d)\s*:=", f.read())}
    return stages


def check(tests):
    """Names unique, deps exist, no dependency cycles."""
    by_name = {}
    for t in tests:
        if t.name in by_name:
            raise LoadError(f"duplicate test name {t.name!r}")
        by_name[t.name] = t
    for t in tests:
        for d in t.deps:
            if d not in by_name:
                raise LoadError(f"test {t.name}: unknown dependency {d!r}")
        if t.lab and t.points and not (t.auth or t.files or t.fsck or t.script):
            raise LoadError(f"test {t.name}: its points must come from verdicts (auth) or from the "
                            f"host (files, fsck, a script), never from console text alone")
    state = {}  # name -> "visiting" | "done"

    def visit(name, path):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise LoadError("dependency cycle: " + " -> ".join(path + [name]))
        state[name] = "visiting"
        for d in by_name[name].deps:
            visit(d, path + [name])
        state[name] = "done"

    for t in tests:
        visit(t.name, [])


def select(tests, names=(), suites=(), stage=None):
    """Filter by --suite, --stage, then positional names (test, suite, glob)."""
    if suites:
        unknown = set(suites) - {t.suite for t in tests}
        if unknown:
            raise LoadError(f"unknown suite(s): {', '.join(sorted(unknown))}")
        tests = [t for t in tests if t.suite in suites]
    if stage is not None:
        tests = [t for t in tests if t.stage == stage]
    if not names:
        return tests
    chosen = set()
    for pat in names:
        hits = [t.name for t in tests if t.name == pat]
        hits = hits or [t.name for t in tests if t.suite == pat]
        hits = hits or [t.name for t in tests if fnmatch.fnmatchcase(t.name, pat)]
        if not hits:
            raise LoadError(f"no selected test matches {pat!r}")
        chosen.update(hits)
    return [t for t in tests if t.name in chosen]


# ---------------------------------------------------------------- building

def build(tests, root, out):
    """Build each stage's images once (serially). Returns the failed stages."""
    failed = set()
    for stage in sorted({t.stage for t in tests}):
        targets = sorted({f"build/s{stage}/{t.image}" for t in tests if t.stage == stage} |
                         {f"build/s{stage}/{f}" for t in tests if t.stage == stage and t.disk
                          for f in ("fs.img", "fsck")})
        cmd = ["make", "-s", f"STAGE={stage}"] + targets
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
            output, ok = p.stdout, p.returncode == 0
        except OSError as e:
            output, ok = str(e), False
        took = time.monotonic() - start
        if ok:
            print(f"BUILD stage {stage} ok ({took:.1f}s)", file=out, flush=True)
        else:
            print(f"BUILD stage {stage} FAILED ({took:.1f}s): {' '.join(cmd)}", file=out)
            print(output.rstrip(), file=out, flush=True)
            failed.add(stage)
    return failed


def keyrings(root, stages):
    """{stage: keys.Keyring}: where each stage's trusted programs take the run's key."""
    rings = {}
    for stage in stages:
        try:
            keyed = subprocess.run(["make", "-s", f"STAGE={stage}", "print-keyed"], cwd=root,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                   timeout=60).stdout.split()
            rings[stage] = keys.Keyring(os.path.join(root, "build", f"s{stage}"), keyed)
        except (OSError, subprocess.SubprocessError, keys.KeyError_) as e:
            rings[stage] = e
    return rings


def moved_out(root, tests):
    """{lab: reason} for each lab whose final stage's kernel still defines a symbol its
    manifest says must be gone (the moved subsystem's kernel code), read with nm from
    the kernel the tests boot."""
    out = {}
    for lab in sorted({t.lab for t in tests if t.lab}):
        try:
            m = manifest.load(root, lab)
        except manifest.ManifestError:
            continue
        if not m["absent"]:
            continue
        for image in sorted({t.image for t in tests if t.lab == lab and t.stage == m["stage"]}):
            path = os.path.join(root, "build", f"s{m['stage']}", image)
            try:
                found = manifest.present(keys.symbols(path), m["absent"])
            except (OSError, subprocess.SubprocessError, keys.KeyError_):
                continue                # no image: the build failure says why
            if found:
                out[lab] = (f"the stage-{m['stage']} kernel ({image}) defines {', '.join(found[:5])}: "
                            f"lab {lab} moves that code out of the kernel")
    return out


# ---------------------------------------------------------------- running

@dataclass
class Config:
    root: str = ROOT
    jobs: int = os.cpu_count() or 1
    verbose: bool = False
    no_icount: bool = False
    qemu: str | None = None           # default: $MV6_QEMU or qemu-system-riscv64
    bios: str | None = None           # default: $MV6_BIOS or QEMU's own ("default")
    wall_scale: float | None = None   # default: $MV6_WALL_SCALE or 1
    deadline: float | None = None     # monotonic time: every run ends by then


@dataclass
class Result:
    test: testlib.Test
    status: str                       # "PASS" | "FAIL" | "SKIP"
    reason: str = ""
    details: list = field(default_factory=list)
    elapsed: float = 0.0
    runs_passed: int = 0
    start: float | None = None        # monotonic, for suite wall times
    finish: float | None = None
    guest_ms: int | None = None       # the longest run's guest time (its last verdict line)
    wall_s: float = 0.0               # the longest run's wall time


class Scheduler:
    """Runs tests with at most cfg.jobs "slots" in use.

    Each run of a test (repeat > 1 gives several runs) is a unit of work that
    costs one slot, except a run without icount: its harts really run in
    parallel, so it costs one slot per cpu (so timings stay meaningful).
    A test starts only when its selected dependencies have finished.
    """

    def __init__(self, tests, cfg, out, failed_stages=(), rings=None, refused=None):
        self.tests = tests
        self.cfg = cfg
        self.out = out
        self.failed_stages = set(failed_stages)
        self.rings = rings or {}                   # stage -> keys.Keyring (or why not)
        self.refused = refused or {}               # lab -> why its tests fail unrun
        self.selected = {t.name for t in tests}
        self.results = {}                          # name -> Result
        self.runs = {t.name: [] for t in tests}    # name -> [RunResult]
        self.first_start = {}
        self.stop = threading.Event()
        self.print_lock = threading.Lock()
        env_scale = os.environ.get("MV6_WALL_SCALE")
        self.scale = cfg.wall_scale or (float(env_scale) if env_scale else 1.0)
        self.qemu = cfg.qemu or os.environ.get("MV6_QEMU") or "qemu-system-riscv64"
        self.bios = cfg.bios or os.environ.get("MV6_BIOS") or "default"

    def icount(self, t):
        return t.icount and not self.cfg.no_icount

    def cost(self, t):
        return 1 if self.icount(t) else min(t.cpus, self.cfg.jobs)

    def run(self):
        pending = list(self.tests)
        queue = []          # (test, run index) ready to start
        running = {}        # future -> (test, index)
        used = 0
        pool = cf.ThreadPoolExecutor(max_workers=max(1, self.cfg.jobs))
        try:
            while pending or queue or running:
                # Move tests whose deps are settled to the queue (or skip them).
                progress = True
                while progress:
                    progress = False
                    for t in list(pending):
                        ready = self._ready(t)
                        if ready is None:
                            continue
                        pending.remove(t)
                        progress = True
                        if ready is not True:
                            self._finish(Result(t, "SKIP", ready))
                        elif t.stage in self.failed_stages:
                            self._finish(Result(t, "FAIL", "build failed"))
                        elif t.lab in self.refused:
                            self._finish(Result(t, "FAIL", self.refused[t.lab]))
                        elif self._late():
                            self._finish(Result(t, "FAIL", "not run: the grading time limit was reached"))
                        else:
                            queue += [(t, i) for i in range(t.repeat)]
                # Start what fits; an oversized run still starts on an idle pool.
                while queue and (used + self.cost(queue[0][0]) <= self.cfg.jobs
                                 or used == 0):
                    t, i = queue.pop(0)
                    used += self.cost(t)
                    self.first_start.setdefault(t.name, time.monotonic())
                    running[pool.submit(self._run_one, t, i)] = (t, i)
                if not running:
                    # Nothing runs, so every pending test waits on another
                    # pending test: impossible, check() rejects cycles.
                    assert not pending, "dependency deadlock"
                    continue
                if self._late():
                    self.stop.set()      # running QEMUs stop within 0.2 s
                    for t, i in queue:
                        self.runs[t.name].append((i, runner.RunResult(
                            False, "not run: the grading time limit was reached")))
                        if len(self.runs[t.name]) == t.repeat:
                            self._finish(self._combine(t))
                    queue = []
                done, _ = cf.wait(running, timeout=0.5,
                                  return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    t, i = running.pop(fut)
                    used -= self.cost(t)
                    self.runs[t.name].append((i, fut.result()))
                    if len(self.runs[t.name]) == t.repeat:
                        self._finish(self._combine(t))
        finally:
            # On Ctrl-C/SIGTERM, running QEMUs see `stop` within 0.2s and are
            # killed by their worker; queued runs are cancelled.
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
        return [self.results[t.name] for t in self.tests]

    def _late(self):
        return self.cfg.deadline is not None and time.monotonic() >= self.cfg.deadline

    def _ready(self, t):
        """True to run, None to wait, or a skip reason."""
        for d in t.deps:
            if d not in self.selected:
                continue  # not selected: treated as not failed
            r = self.results.get(d)
            if r is None:
                return None
            if r.status != "PASS":
                what = "failed" if r.status == "FAIL" else "skipped"
                return f"skipped (dependency {d} {what})"
        return True

    def _run_one(self, t, i):
        try:
            return self._run_one_unguarded(t, i)
        except Exception as e:  # a harness bug must not hang the scheduler
            return runner.RunResult(False, f"harness error: {e!r}")

    def _run_one_unguarded(self, t, i):
        image = os.path.join(self.cfg.root, "build", f"s{t.stage}", t.image)
        suffix = f".{i + 1}" if t.repeat > 1 else ""
        log = os.path.join(self.cfg.root, "build", "grade", "logs", f"{t.name}{suffix}.log")
        if not os.path.isfile(image):
            return runner.RunResult(False, f"image not found: {image}", [], log)
        nonce = testlib.new_nonce()
        t = testlib.with_nonce(t, nonce)
        wall = t.wall_limit(self.scale)
        if self.cfg.deadline is not None:
            wall = max(0.0, min(wall, self.cfg.deadline - time.monotonic()))
        if t.script:
            r = self._run_script(t, i, log, nonce, wall)
        else:
            r = self._run_qemu(t, image, f"{t.name}{suffix}", log, nonce, wall)
        if not r.ok and os.path.exists(log):
            rel = os.path.relpath(log, self.cfg.root)
            r.details.append(f"full log: {log if rel.startswith('..') else rel}")
        return r

    def _run_qemu(self, t, image, tag, log, nonce, wall):
        """One QEMU run on the run's own copies of the images, the run's key in every
        trusted program; graded on its verified verdicts and the host-side checks."""
        ring = self.rings.get(t.stage)
        if isinstance(ring, Exception):
            return runner.RunResult(False, f"cannot place the run's key: {ring}", [], log)
        key = keys.new_key() if ring else None
        rundir = os.path.join(self.cfg.root, "build", "grade", "run", tag)
        disk = None
        try:
            if ring:
                image, disk = ring.prepare(image, t.disk, rundir, key)
            if runner.run_as and disk:
                os.chown(rundir, runner.run_as[0], runner.run_as[0])   # QEMU writes the disk
                os.chown(disk, runner.run_as[0], runner.run_as[0])
            cmd = testlib.qemu_command(t, image, self.icount(t), nonce, self.qemu, disk, self.bios)
            on_line = None
            if self.cfg.verbose:
                def on_line(line):
                    with self.print_lock:
                        print(f"{tag}| {testlib.printable(line)}", file=self.out, flush=True)

            def check(lines, how, pending, wall_):
                ok, reason, details = testlib.evaluate(t, lines, how, pending, wall_,
                                                       keys.verified(lines, key))
                if ok and disk:
                    ok, reason, details = self._host_checks(t, disk)
                return ok, reason, details
            return runner.run_once(t, cmd, log, wall, nonce, self.stop, on_line, check)
        except (OSError, subprocess.SubprocessError, keys.KeyError_, fsimg.FsError) as e:
            return runner.RunResult(False, f"cannot prepare the run: {e}", [], log)
        finally:
            shutil.rmtree(rundir, ignore_errors=True)

    def _host_checks(self, t, disk):
        """What the host reads on the run's disk image: files, then fsck."""
        try:
            fs = fsimg.Image(open(disk, "rb").read())
            for path, rx in t.files.items():
                data = fs.file(path)
                text = None if data is None else data.decode("utf-8", "replace")
                if rx is None and text is not None:
                    return False, f"on the disk afterwards, {path} exists", []
                if rx is not None and (text is None or not re.fullmatch(rx, text)):
                    shown = "no such file" if text is None else repr(text[:200])
                    return False, f"on the disk afterwards, {path} does not match /{rx}/", \
                        [f"{path}: {testlib.printable(shown)}"]
        except fsimg.FsError as e:
            return False, f"on the disk afterwards: {e}", []
        if t.fsck:
            fsck = os.path.join(self.cfg.root, "build", f"s{t.stage}", "fsck")
            try:
                p = subprocess.run([fsck, disk], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace", timeout=60,
                                   preexec_fn=runner.run_as[1] if runner.run_as else None)
            except (OSError, subprocess.TimeoutExpired) as e:
                return False, f"fsck could not run: {e}", []
            if p.returncode != 0:
                return False, "fsck finds the disk image inconsistent afterwards", \
                    [f"| {testlib.printable(l)}" for l in p.stdout.splitlines()[-10:]]
        return True, "", []

    def _run_script(self, t, i, log, nonce, wall):
        """A test written as a script: it drives QEMU itself and says why it failed. It
        gets the run's images (the key in the trusted programs) and the key itself, to
        check verdict lines: MV6_KERNEL, MV6_DISK, MV6_KEY (hex), MV6_RUN_UID."""
        os.makedirs(os.path.dirname(log), exist_ok=True)
        script, *args = t.script.split()
        stage_dir = os.path.join(self.cfg.root, "build", f"s{t.stage}")
        cmd = [sys.executable, os.path.join(self.cfg.root, script), stage_dir, log, str(i)] + args
        ring = self.rings.get(t.stage)
        if isinstance(ring, Exception):
            return runner.RunResult(False, f"cannot place the run's key: {ring}", [], log)
        key = keys.new_key()
        rundir = os.path.join(self.cfg.root, "build", "grade", "run", f"{t.name}.{i + 1}")
        start = time.monotonic()
        p = None
        try:
            kernel, disk = os.path.join(stage_dir, t.image), None
            if ring:
                kernel, disk = ring.prepare(kernel, t.disk, rundir, key)
            if t.disk and not disk:      # no trusted program in this build: a plain copy
                os.makedirs(rundir, exist_ok=True)
                disk = shutil.copy(os.path.join(stage_dir, "fs.img"), os.path.join(rundir, "fs.img"))
            if runner.run_as and disk:
                os.chown(rundir, runner.run_as[0], runner.run_as[0])
                os.chown(disk, runner.run_as[0], runner.run_as[0])
            env = dict(os.environ, MV6_NONCE=nonce, MV6_KERNEL=kernel, MV6_DISK=disk or "",
                       MV6_KEY=key.hex() if ring else "",
                       MV6_RUN_UID=str(runner.run_as[0]) if runner.run_as else "")
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 errors="replace", env=env, start_new_session=True)
            out, _ = p.communicate(timeout=wall)
            ok, out = p.returncode == 0, out.strip()
        except subprocess.TimeoutExpired:
            ok, out = False, "timeout (wall backstop)"
        except (OSError, subprocess.SubprocessError, keys.KeyError_, fsimg.FsError) as e:
            ok, out = False, f"cannot prepare the run: {e}"
        finally:
            if p is not None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)      # the script and its QEMUs
                except OSError:
                    pass
                p.wait()
            shutil.rmtree(rundir, ignore_errors=True)
        last = testlib.printable(out.splitlines()[-1]) if out else ""
        return runner.RunResult(ok, "" if ok else last, [], log, time.monotonic() - start)

    def _combine(self, t):
        runs = [r for _, r in sorted(self.runs[t.name], key=lambda x: x[0])]
        passed = sum(r.ok for r in runs)
        res = Result(t, "PASS" if passed == len(runs) else "FAIL",
                     runs_passed=passed, start=self.first_start[t.name],
                     finish=time.monotonic())
        res.elapsed = res.finish - res.start
        res.guest_ms = max((r.guest_ms for r in runs if r.guest_ms is not None), default=None)
        res.wall_s = max(r.elapsed for r in runs)
        for i, r in enumerate(runs):
            if not r.ok:  # report the first failing run
                res.reason = (f"run {i + 1}: " if t.repeat > 1 else "") + r.reason
                res.details = r.details
                break
        return res

    def _finish(self, res):
        self.results[res.test.name] = res
        t = res.test
        runs = f", {res.runs_passed}/{t.repeat} runs" if t.repeat > 1 else ""
        with self.print_lock:
            if res.status == "SKIP":
                print(f"SKIP {t.name}: {res.reason}", file=self.out)
            elif res.status == "PASS":
                print(f"PASS {t.name} ({res.elapsed:.2f}s{runs})", file=self.out)
            else:
                print(f"FAIL {t.name} ({res.elapsed:.2f}s{runs}): {testlib.printable(res.reason)}",
                      file=self.out)
                for line in res.details:
                    print(f"    {testlib.printable(line)}", file=self.out)
            self.out.flush()


# ---------------------------------------------------------------- report

def summary(results, total_time, out, nested):
    if results:
        w = max([len(r.test.name) for r in results] + [4])
        sw = max([len(r.test.suite) for r in results] + [5])
        print(f"\n{'test':<{w}}  {'suite':<{sw}}  {'result':<14}  {'time':>8}  points",
              file=out)
        for r in results:
            t = r.test
            res = r.status + (f" {r.runs_passed}/{t.repeat}" if t.repeat > 1
                              and r.status != "SKIP" else "")
            time_s = f"{r.elapsed:.2f}s" if r.status != "SKIP" else "-"
            pts = f"{t.points if r.status == 'PASS' else 0}/{t.points}" if t.points else ""
            print(f"{t.name:<{w}}  {t.suite:<{sw}}  {res:<14}  {time_s:>8}  {pts}".rstrip(),
                  file=out)
        print(file=out)
    if any(r.test.points for r in results):
        got = sum(r.test.points for r in results if r.status == "PASS")
        print(f"points: {got}/{sum(r.test.points for r in results)}", file=out)
    for suite in dict.fromkeys(r.test.suite for r in results):
        rs = [r for r in results if r.test.suite == suite and r.start is not None]
        span = max((r.finish for r in rs), default=0) - min((r.start for r in rs), default=0)
        print(f"suite {suite}: {span:.1f}s", file=out)
    print(f"total: {total_time:.1f}s", file=out)
    n = {s: sum(r.status == s for r in results) for s in ("PASS", "FAIL", "SKIP")}
    if not nested:
        line = f"{n['PASS']} passed, {n['FAIL']} failed"
        if n["SKIP"]:
            line += f", {n['SKIP']} skipped"
        print(line, file=out)
    out.flush()


def calibrate(results, path, out):
    """Record each passing test's longest guest and wall time (the reference's)."""
    table = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
    for r in results:
        if r.status == "PASS":
            table[r.test.name] = {"guest_ms": r.guest_ms, "wall_s": round(r.wall_s, 2)}
        else:
            print(f"calibrate: {r.test.name} did not pass: not recorded", file=out)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(dict(sorted(table.items())), f, indent=1)
        f.write("\n")
    print(f"calibrate: {len(table)} tests in {path}", file=out)


def list_tests(tests, out):
    w = max([len(t.name) for t in tests] + [4])
    print(f"{'test':<{w}}  {'suite':<10} {'lab':<4} stage cpus points budget   wall  deps", file=out)
    for t in tests:
        print(f"{t.name:<{w}}  {t.suite:<10} {t.lab or '-':<4} {t.stage:>5} {t.cpus:>4} "
              f"{t.points:>6} {t.budget:>6g} {t.wall_limit():>6g}  {','.join(t.deps) or '-'}", file=out)


# ---------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(prog="grade.py", description="Run mv6 system tests.")
    p.add_argument("names", nargs="*", metavar="TEST",
                   help="test name, suite name or glob (e.g. 'ipc-*')")
    p.add_argument("-j", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="parallel QEMU runs (default: cpu count)")
    p.add_argument("-v", action="store_true", help="stream each console, prefixed")
    p.add_argument("--list", action="store_true", help="list tests and exit")
    p.add_argument("--suite", action="append", default=[], help="only this suite")
    p.add_argument("--stage", type=int, help="only tests of this stage")
    p.add_argument("--no-icount", action="store_true", help="run all tests without icount")
    p.add_argument("--no-build", action="store_true", help="do not run make")
    p.add_argument("--nested", action="store_true",
                   help="omit the final 'N passed, N failed' line")
    p.add_argument("--graded", action="store_true",
                   help="only tests that carry points (what grading a submission runs)")
    p.add_argument("--lab", help="only tests of this lab (01..04)")
    p.add_argument("--calibrate", type=int, metavar="RUNS",
                   help="run each test RUNS times and record its times in grade/budgets.json")
    p.add_argument("--deadline", type=float, metavar="SECONDS",
                   help="every run ends within SECONDS of the start; what has not run fails")
    p.add_argument("--json", metavar="FILE", help="also write Gradescope's results.json here")
    p.add_argument("--junit", metavar="FILE", help="also write JUnit XML here")
    return p.parse_args(argv)


def main(argv=None, out=sys.stdout, tests=None, root=ROOT, qemu=None, collect=None):
    """Returns the exit status. tests/root/qemu are for the self-tests; collect, a
    list, gets the results appended (submit.py)."""
    start = time.monotonic()
    args = parse_args(argv)
    nested = args.nested or os.environ.get("MV6_GRADE_NESTED") == "1"
    try:
        if tests is None:
            tests = discover(root)
        else:
            check(tests)
        tests = select(tests, args.names, args.suite, args.stage)
        if args.lab:
            tests = [t for t in tests if t.lab == args.lab]
        if args.graded:
            tests = [t for t in tests if t.points]
        stages = available_stages(root)
        absent = [t for t in tests if t.stage not in stages]
        for t in absent:
            if t.name in args.names:
                raise LoadError(f"test {t.name} needs stage {t.stage}, which is not in this "
                                f"tree (it arrives with a later lab)")
    except LoadError as e:
        print(f"grade.py: error: {e}", file=sys.stderr)
        return 2
    if absent:
        missing = ", ".join(str(n) for n in sorted({t.stage for t in absent}))
        print(f"note: {len(absent)} tests skipped: stage(s) {missing} not in this tree "
              f"(they arrive with later labs)", file=out)
        tests = [t for t in tests if t.stage in stages]
    budgets = os.path.join(root, "grade", "budgets.json")
    if args.calibrate:
        tests = [replace(t, repeat=t.repeat * args.calibrate) for t in tests]
    elif os.path.exists(budgets):
        with open(budgets, encoding="utf-8") as f:
            table = json.load(f)
        tests = [testlib.calibrated(t, table) for t in tests]
    if args.list:
        list_tests(tests, out)
        return 0

    failed_stages = set() if args.no_build else build(tests, root, out)
    cfg = Config(root=root, jobs=max(1, args.j), verbose=args.v,
                 no_icount=args.no_icount, qemu=qemu,
                 deadline=start + args.deadline if args.deadline else None)
    built = {t.stage for t in tests} - failed_stages
    rings = keyrings(root, built) if qemu is None else {}
    results = Scheduler(tests, cfg, out, failed_stages, rings, moved_out(root, tests)).run()
    if collect is not None:
        collect.append(results)
    if args.calibrate:
        calibrate(results, budgets, out)
    summary(results, time.monotonic() - start, out, nested)
    if args.json:
        report.write_json(results, args.json)
    if args.junit:
        report.write_junit(results, args.junit)
    return 0 if all(r.status != "FAIL" for r in results) else 1


def cli():
    def on_signal(signum, frame):
        runner.kill_all()
        raise SystemExit(128 + signum)

    # Ctrl-C raises KeyboardInterrupt even if our parent ignored SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        return main(sys.argv[1:])
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        runner.kill_all()


if __name__ == "__main__":
    sys.exit(cli())
