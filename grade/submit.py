#!/usr/bin/env python3
"""submit.py: grade one submission of one lab, the one way every official path does
(make grade SUBMISSION=dir, the Gradescope bundle, batch.py, the Classroom workflow).

    python3 grade/submit.py --submission DIR --lab NN [--base DIR] [--results FILE]
                            [--junit FILE] [--logs DIR] [-j N] [TEST ...]

1. A fresh tree outside any reference or course tree: the pristine course tree for
   the lab (--base: a handout or bundle source; by default, in the reference, its
   lab-NN handout with every lab's code stubbed, elsewhere `git archive HEAD`), plus
   exactly the files the manifests of this and the earlier labs declare (lab.toml),
   taken from the submission. Nothing else of the submission is read. A symlink, a
   special file, a path through a symlink, a file over MAX_FILE bytes is refused, and
   the report says why; a file not submitted keeps the course's stub.
2. Build it, as an unprivileged user of its own when run as root (the Gradescope
   container, CI, batch runs), in a mount namespace where the grader's own tree is
   hidden, within BUILD_LIMIT seconds; then every process of that user is killed and
   the tree is given back to the grader, so nothing the build started can touch the
   results, the grader or the images.
3. Run the lab's tests (grade.py) on the built images, QEMU as that same user, every
   run with its own key (keys.py), all within TOTAL_LIMIT seconds from the start.
4. Write the results (Gradescope's results.json, JUnit) whatever happened: a build
   that fails, hangs or a grader error scores 0 with the reason.
"""

import argparse
import io
import json
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import grade     # noqa: E402
import manifest  # noqa: E402
import report    # noqa: E402
import runner    # noqa: E402
import testlib   # noqa: E402

ROOT = os.path.dirname(HERE)
MAX_FILE = 1 << 20            # bytes: a submitted file larger than this is refused
BUILD_LIMIT = int(os.environ.get("MV6_BUILD_LIMIT", 150))   # seconds for the build
TOTAL_LIMIT = int(os.environ.get("MV6_TOTAL_LIMIT", 290))   # seconds for everything, build included
UIDS = range(64100, 64200)    # unprivileged users for builds and runs (as root)
OUTPUT_CAP = 20000            # characters of build output kept in the report


class Refused(Exception):
    pass


def say(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- the tree

def copy_tree(src, dst):
    """The base tree without build products and version control."""
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("build", ".git", ".gdbinit"))


def base_tree(lab, dst):
    """The pristine course tree for lab, when no --base was given."""
    if os.path.isfile(os.path.join(ROOT, "mk", "handout.py")):          # the reference
        subprocess.run([sys.executable, os.path.join(ROOT, "mk", "handout.py"), "tree", lab, dst,
                        "--solved", "00"], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(dst, ".git"), ignore_errors=True)
        return "this reference's lab handout, every lab stubbed"
    os.makedirs(dst)
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(["tar", "-x", "-C", dst], input=archive, check=True)
    return "this repository's last commit"


def take(sub, rel, dst):
    """Copy the submission's file rel into dst, refusing anything but a plain file."""
    parts = rel.split("/")
    at = os.path.realpath(sub)
    for i, part in enumerate(parts):
        at = os.path.join(at, part)
        try:
            st = os.lstat(at)
        except FileNotFoundError:
            return False
        except OSError as e:
            raise Refused(f"cannot read it: {e.strerror}")
        if stat.S_ISLNK(st.st_mode):
            raise Refused("a symbolic link" if i == len(parts) - 1 else f"{'/'.join(parts[:i + 1])} is a symbolic link")
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            return False
    if not stat.S_ISREG(st.st_mode):
        raise Refused("not a regular file")
    if st.st_size > MAX_FILE:
        raise Refused(f"{st.st_size} bytes, more than {MAX_FILE}")
    fd = os.open(at, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("not a regular file")
        data = os.read(fd, MAX_FILE + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE:
        raise Refused(f"more than {MAX_FILE} bytes")
    with open(dst, "wb") as f:
        f.write(data)
    return True


def assemble(sub, lab, tree, notes):
    """Lay exactly the declared files of labs up to lab from sub over tree."""
    for rel in manifest.student_files(tree, lab):
        dst = os.path.join(tree, rel)
        if os.path.islink(dst) or not os.path.isfile(dst):
            raise manifest.ManifestError(f"the course tree has no file {rel}")
        try:
            if take(sub, rel, dst):
                notes.append(f"taken: {rel}")
            else:
                notes.append(f"not submitted, the course's stub is used: {rel}")
        except Refused as e:
            notes.append(f"REFUSED, the course's stub is used: {rel}: {e}")


# ---------------------------------------------------------------- isolation

def procs_of(uid):
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/status") as f:
                    if any(l.startswith("Uid:") and int(l.split()[1]) == uid for l in f):
                        pids.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return pids


def kill_user(uid):
    """Every process of the grading user (its own uid: nobody else's)."""
    for _ in range(20):
        pids = procs_of(uid)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)


# What a build may see besides its own tree: the system and the toolchain.
SYSTEM_DIRS = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "dev", "proc", "sys"}

# Run inside a fresh mount namespace: every other top-level directory becomes an empty
# tmpfs (the grader's tree, other submissions, home directories, /tmp), then the work
# directory is put back where it was (through an open descriptor: its path is hidden by
# then), and the command runs in the build tree.
HIDE_SCRIPT = """
exec 3<"$1"
for d in /*; do
  [ -d "$d" ] && [ ! -L "$d" ] || continue
  case " $2 " in *" ${d#/} "*) continue ;; esac
  mount -t tmpfs none "$d" || exit 97
done
mkdir -p "$1" && mount -c --bind /proc/self/fd/3 "$1" || exit 97
exec 3<&-
cd "$3" || exit 97
shift 3
exec "$@"
"""


class Sandbox:
    """Who builds and runs: as root, a uid of its own (locked for this grading); the
    build in a mount namespace that shows only the system, the toolchain and its own
    work directory. Without root, the invoking user, in an unprivileged namespace if
    the system allows one."""

    def __init__(self, work, toolchain):
        self.work = os.path.realpath(work)
        self.keep = set(SYSTEM_DIRS)
        for tool in toolchain:                 # a toolchain installed outside /usr stays visible
            path = shutil.which(tool)
            if path:
                self.keep.add(os.path.realpath(path).split("/")[1])
        self.uid = self.lock = None
        if os.geteuid() == 0:
            taken = {p.pw_uid for p in pwd.getpwall()}
            for uid in UIDS:
                path = f"/tmp/mv6-grade-uid-{uid}.lock"
                if uid in taken or procs_of(uid):
                    continue
                try:
                    if os.path.exists(path) and time.time() - os.path.getmtime(path) > 3600:
                        os.remove(path)      # a grader that died; its uid runs nothing now
                    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                except OSError:
                    continue
                self.uid, self.lock = uid, path
                break
            else:
                raise RuntimeError("no free grading uid")
        self.namespace = self._probe()

    def _unshare(self):
        return ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]

    def _hidden(self, cmd, cwd):
        return self._unshare() + ["sh", "-c", HIDE_SCRIPT, "sandbox", self.work, " ".join(sorted(self.keep)),
                                  cwd] + cmd

    def _probe(self):
        """Can we hide everything but the work directory from what we run?"""
        if not shutil.which("unshare"):
            return False
        try:
            return subprocess.run(self._hidden(["true"], self.work), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=20).returncode == 0
        except (OSError, subprocess.SubprocessError):
            return False

    def wrap(self, cmd, cwd):
        """cmd as the sandbox runs it."""
        if self.uid is not None:
            cmd = ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                   "--inh-caps=-all", "--"] + cmd
        return self._hidden(cmd, cwd) if self.namespace else cmd

    def give(self, path):
        """path (recursively) to the grading user."""
        if self.uid is not None:
            subprocess.run(["chown", "-R", f"{self.uid}:{self.uid}", path], check=True)

    def take_back(self, path):
        """path back to the grader: whatever the user left, it can no longer change."""
        if self.uid is not None:
            kill_user(self.uid)
            subprocess.run(["chown", "-R", "0:0", path], check=True)

    def run_as(self):
        """For QEMU and fsck (runner.run_as): (uid, preexec), or None."""
        if self.uid is None:
            return None
        uid = self.uid

        def f():
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        return uid, f

    def close(self):
        if self.uid is not None:
            kill_user(self.uid)
        if self.lock:
            try:
                os.remove(self.lock)
            except OSError:
                pass


def limits():
    """The build's limits: no core files, no file over 256 MiB, no process over 2 GiB."""
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 20, 256 << 20))
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def build(box, tree, stage, deadline):
    """make the lab's stage in tree, in the sandbox. Returns (ok, output)."""
    targets = [f"build/s{stage}/{t}" for t in ("kernel-test", "fs.img", "fsck")]
    cmd = box.wrap(["make", "-s", "-j2", f"STAGE={stage}"] + targets, tree)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tree, "LANG": "C"}
    try:
        p = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=limits)
    except OSError as e:
        return False, f"cannot start the build: {e}"
    try:
        out, _ = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
        ok = p.returncode == 0
        out = out.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        ok, out = False, f"the build did not finish within {BUILD_LIMIT} s: stopped"
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait()
    return ok, testlib.printable(out[-OUTPUT_CAP:])


# ---------------------------------------------------------------- grading

def grade_tree(box, tree, lab, names, jobs, deadline):
    """Run the lab's tests on the built tree. Returns (results, printed output)."""
    out = io.StringIO()
    runner.run_as = box.run_as()
    # Only the graded tests: the ungraded ones of a lab (lab 04's at earlier stages) need
    # images of stages the grading does not build.
    args = ["--no-build", "--lab", lab, "--graded", "-j", str(jobs), "--nested",
            "--deadline", str(max(1.0, deadline - time.monotonic()))] + names
    try:
        grade.main(args, out=out, root=tree, collect=(collected := []))
    finally:
        runner.run_as = None
    return collected[0] if collected else [], out.getvalue()


def failed_results(tree, lab, reason, details):
    """Every test of the lab, failed for one reason (the build, a refusal, the grader)."""
    try:
        tests = [t for t in grade.discover(tree) if t.lab == lab and t.points]
    except Exception:                                   # noqa: BLE001: the reason says enough
        tests = []
    return [grade.Result(t, "FAIL", reason, details) for t in tests]


def replace_file(path, write_to):
    """Write a new file at path through a temporary file beside it, then rename: a
    symlink planted at path is replaced, never followed."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".mv6-")
    os.close(fd)
    try:
        write_to(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write(results, notes, path_json, path_junit):
    if path_json:
        res = report.gradescope(results)
        res["output"] = testlib.printable("\n".join(notes))

        def dump(p):
            with open(p, "w", encoding="utf-8") as f:
                json.dump(res, f, indent=2)
                f.write("\n")
        replace_file(path_json, dump)
    if path_junit:
        replace_file(path_junit, lambda p: report.write_junit(results, p))


def main(argv=None):
    p = argparse.ArgumentParser(prog="submit.py", description="Grade one submission of one lab.")
    p.add_argument("names", nargs="*", metavar="TEST")
    p.add_argument("--submission", required=True)
    p.add_argument("--lab", required=True)
    p.add_argument("--base", help="the pristine course tree (default: see the module's doc)")
    p.add_argument("--results", help="write Gradescope's results.json here")
    p.add_argument("--junit", help="write JUnit XML here")
    p.add_argument("--logs", help="keep the runs' logs here")
    p.add_argument("-j", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--keep", action="store_true", help="keep the grading tree (prints where)")
    a = p.parse_args(argv)
    start = time.monotonic()
    deadline = start + TOTAL_LIMIT
    lab = a.lab.zfill(2)[:2]
    notes, results, tree = [f"lab {lab}, graded by mv6's grader ({time.strftime('%Y-%m-%d %H:%M:%S')})"], [], None
    work = tempfile.mkdtemp(prefix="mv6-grade-")
    os.chmod(work, 0o711)
    box = None
    try:
        tree = os.path.join(work, "tree")
        if a.base:
            copy_tree(a.base, tree)
            notes.append(f"course tree: {a.base}")
        else:
            notes.append(f"course tree: {base_tree(lab, tree)}")
        if not os.path.isdir(a.submission):
            raise Refused(f"the submission {a.submission} is not a directory")
        m = manifest.load(tree, lab)
        assemble(a.submission, lab, tree, notes)
        box = Sandbox(work, ["riscv64-unknown-elf-gcc", "riscv64-linux-gnu-gcc", "riscv64-elf-gcc", "cc", "make"])
        notes.append("sandbox: " + (f"user {box.uid}" if box.uid is not None else "the invoking user")
                     + (", the build sees only the system, the toolchain and its tree" if box.namespace
                        else ", the build sees everything its user may read"))
        if not box.namespace and os.path.isfile(os.path.join(ROOT, "mk", "handout.py")):
            raise Refused("the build cannot be kept from reading this reference tree's solutions "
                          "(no mount namespace): grade as root, or from a handout or the bundle")
        build_dir = os.path.join(tree, "build")
        os.makedirs(build_dir, exist_ok=True)
        box.give(build_dir)                     # the build writes there only
        t0 = time.monotonic()
        ok, out = build(box, tree, m["stage"], min(deadline, t0 + BUILD_LIMIT))
        box.take_back(build_dir)
        notes.append(f"build of stage {m['stage']}: {'ok' if ok else 'FAILED'} ({time.monotonic() - t0:.0f} s)")
        say("\n".join(notes))
        if not ok:
            say(out)
            results = failed_results(tree, lab, "the submission does not build", out.splitlines()[-40:])
        else:
            os.makedirs(os.path.join(tree, "build", "grade"), exist_ok=True)
            box.give(os.path.join(tree, "build", "grade"))      # QEMU writes the runs' disks there
            results, printed = grade_tree(box, tree, lab, a.names, a.j, deadline - 5)
            say(printed)
    except (Refused, manifest.ManifestError) as e:
        notes.append(f"not graded: {e}")
        say(notes[-1])
        results = failed_results(tree, lab, f"not graded: {e}", []) if tree and os.path.isdir(tree) else []
    except Exception as e:                               # noqa: BLE001: results.json must exist
        notes.append(f"grader error: {type(e).__name__}: {e}")
        say(notes[-1])
        results = failed_results(tree, lab, notes[-1], []) if tree and os.path.isdir(tree) else []
    finally:
        if box:
            box.close()
        write(results, notes, a.results, a.junit)
        if a.logs and tree and os.path.isdir(os.path.join(tree, "build", "grade", "logs")):
            shutil.rmtree(a.logs, ignore_errors=True)
            shutil.copytree(os.path.join(tree, "build", "grade", "logs"), a.logs)
        if a.keep:
            say(f"grading tree kept: {tree}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    got = sum(r.test.points for r in results if r.status == "PASS")
    top = sum(r.test.points for r in results)
    say(f"points: {got}/{top}  ({time.monotonic() - start:.0f} s)")
    return 0 if top and got == top else 1


if __name__ == "__main__":
    sys.exit(main())
