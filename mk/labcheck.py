#!/usr/bin/env python3
"""labcheck.py [LAB ...]: prove the labs (make check runs it; reference tree only).

For each lab N, in build/labcheck/:
  2. the lab-N handout's grader passes its self-tests; the handout builds, boots and gets
     full marks from every earlier lab's grader;
  3. it scores 0 on lab N, while what should work at its start (the subsystem still in
     the kernel, at the starting stage) works; a copy whose kernel prints every line
     lab N's tests expect also scores 0;
  4. the handout with lab N's reference solution put back scores full marks on lab N;
  5. no solution code of lab N or later, no marker and no reference-only file is in it.
And the course repository: one commit per lab that only adds labs/NN-*, so a student's
work merges with the next lab without conflicts. (1, the reference passing every stage
and every lab's grader, is the main `make check` run.)
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "grade"))
import handout  # noqa: E402
import keys     # noqa: E402

WORK = os.path.join(ROOT, "build", "labcheck")
START = {"01": 1, "02": 1, "03": 2, "04": 3}        # the stage each lab starts from
SMOKE = {1: ["shell-basics-s1", "shell-pipeline-s1", "fstests-s1", "usertests-s1", "bulk-kernel-s1"],
         2: ["shell-basics-s2", "shell-pipeline-s2", "fstests-s2", "usertests-s2", "bulk-kernel-s2"],
         3: ["shell-basics-s3", "usertests-s3", "bulk-kernel-s3"]}
GUESS = "0123456789abcdef"                           # the printer's guess at the nonce
failures = []


def say(msg):
    print(msg, flush=True)


def check(ok, what):
    say(f"labcheck: {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def grade(tree, *args):
    """Run tree's grader; returns (score, max_score, exit status)."""
    out = os.path.join(tree, "build", "labcheck-results.json")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, MV6_GRADE_NESTED="1", MAKEFLAGS="-j2")
    p = subprocess.run([sys.executable, "grade/grade.py", "--json", out, *args], cwd=tree, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    log = os.path.join(tree, "build", "labcheck-" + "-".join(a.strip("-") for a in args)[:60] + ".log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as f:
        f.write(p.stdout)
    try:
        with open(out) as f:
            res = json.load(f)
        top = sum(t.get("max_score", 0) for t in res["tests"])
        return res["score"], top, p.returncode
    except (OSError, ValueError, KeyError):
        say(p.stdout[-3000:])
        return 0, 0, p.returncode


def literal(rx):
    """A line that a naive cheat would print for an expect regex."""
    s = rx.replace("@NONCE@", GUESS).strip("^$")
    s = re.sub(r"\((?:[^()|]*\|)*([^()|]*)\)", r"\1", s)        # (a|b) -> b
    for pat, rep in ((r"\d+", "1"), (r"\d", "1"), (r"\s+", " "), (r"\s*", " "), (r"\s", " "),
                     (r"\S+", "x"), (r".*", "")):
        s = s.replace(pat, rep)
    return re.sub(r"\\(.)", r"\1", s)


def add_printer(tree, lab):
    """Make tree's kernel print, at boot, every line lab's tests expect, and every
    verdict line they need, tagged with the key its own build's programs hold (the key
    slot's marker: the grader writes the run's key only into the run's copies)."""
    name = handout.labs(tree)[lab]
    spec = importlib.util.spec_from_file_location("labtests", os.path.join(tree, "labs", name, "tests.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    lines = [literal(rx) for t in mod.TESTS for rx in t.expect]
    lines += [f"{literal(rx)} #mv6:{keys.tag(keys.MARKER, literal(rx))}" for t in mod.TESTS for rx in t.auth]
    c = "".join(f'    "{l.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}\\n"\n'
                for l in lines)
    path = os.path.join(tree, "kernel", "main.c")
    with open(path) as f:
        src = f.read()
    anchor = 'kprintf("mv6 microkernel, boot hart %d\\n", (int)hartid);'
    assert anchor in src, "kernel/main.c has no banner line to hook"
    src = src.replace(anchor, anchor + "\n  for (const char *p =\n" + c + "    \"\"; *p; p++)\n"
                      "    sbi_putchar(*p);   // the cheat: what the grader wants to see")
    with open(path, "w") as f:
        f.write(src)


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def prove(lab):
    t0 = time.monotonic()
    h = fresh(os.path.join(WORK, f"handout-{lab}"))
    handout.write_tree(lab, h)
    problems = handout.leaks(lab, h)
    for p in problems[:10]:
        say(f"    {p}")
    check(not problems, f"lab {lab}: 5. the handout holds no solution code of lab {lab} or later")
    p = subprocess.run([sys.executable, "-m", "unittest", "discover", "-s", "grade", "-p", "test_*.py"],
                       cwd=h, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"lab {lab}: 2. handout: the grader's self-tests pass")
    for k in [k for k in handout.labs() if k < lab]:
        score, top, _ = grade(h, "--lab", k)
        check(top > 0 and score == top, f"lab {lab}: 2. handout: lab {k}'s grader gives {score}/{top}")
    score, top, _ = grade(h, "--lab", lab)
    check(top > 0 and score == 0, f"lab {lab}: 3. handout: lab {lab}'s grader gives {score}/{top} (holes)")
    smoke = SMOKE[START[lab]]
    score, top, rc = grade(h, *smoke)
    check(rc == 0, f"lab {lab}: 3. handout at stage {START[lab]}: {' '.join(smoke)}: "
                   f"{'pass' if rc == 0 else 'FAIL'}")
    cheat = fresh(os.path.join(WORK, f"printer-{lab}"))
    handout.write_tree(lab, cheat)
    add_printer(cheat, lab)
    score, top, _ = grade(cheat, "--lab", lab)
    check(top > 0 and score == 0, f"lab {lab}: 3. handout whose kernel prints every expected line: "
                                  f"{score}/{top}")
    s = fresh(os.path.join(WORK, f"solved-{lab}"))
    handout.write_tree(lab, s, solved=lab)
    score, top, _ = grade(s, "--lab", lab)
    check(top > 0 and score == top, f"lab {lab}: 4. handout + lab {lab}'s solution: {score}/{top}")
    say(f"labcheck: lab {lab}: {time.monotonic() - t0:.0f}s")


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def prove_course():
    c = fresh(os.path.join(WORK, "course"))
    handout.write_course(c)
    commits = git(c, "rev-list", "--reverse", "HEAD").stdout.split()
    labs = list(handout.labs().items())
    check(len(commits) == len(labs), f"course: {len(commits)} commits for {len(labs)} labs")
    for (lab, name), prev, cur in zip(labs[1:], commits, commits[1:]):
        changed = git(c, "diff", "--name-status", prev, cur).stdout.split("\n")
        changed = [l for l in changed if l]
        check(all(l.startswith("A\t") and l[2:].startswith(f"labs/{name}/") for l in changed),
              f"course: lab {lab}'s commit only adds labs/{name}/ ({len(changed)} files)")
    # A student solves lab 01 in their clone, then merges lab 02 in.
    st = fresh(os.path.join(WORK, "student"))
    subprocess.run(["git", "clone", "-q", c, st], check=True)
    git(st, "reset", "-q", "--hard", commits[0])
    solved = os.path.join(WORK, "solved-ref")
    fresh(solved)
    handout.write_tree(labs[0][0], solved, solved=labs[0][0])
    for path in ("kernel/ipc.c", "kernel/fastpath.c"):
        shutil.copy(os.path.join(solved, path), os.path.join(st, path))
    git(st, "-c", "user.name=s", "-c", "user.email=s@x", "commit", "-qam", "my lab 01")
    r = git(st, "-c", "user.name=s", "-c", "user.email=s@x", "merge", "-q", "--no-edit", commits[1])
    check(r.returncode == 0, "course: a student's lab 01 work merges with lab 02 without conflicts")


def main(argv):
    labs = [a.zfill(2) for a in argv] or list(handout.labs())
    t0 = time.monotonic()
    os.makedirs(WORK, exist_ok=True)
    prove_course()
    for lab in labs:
        prove(lab)
    say(f"labcheck: {len(failures)} failed, {time.monotonic() - t0:.0f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
