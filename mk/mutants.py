#!/usr/bin/env python3
"""mutants.py [LAB ...] [--only NAME ...] [--official]: prove that each lab's tests catch
plausible wrong solutions (make check runs it; reference tree only).

A mutant is labs/NN-*/mutants/NAME.patch: header lines

    # rule: the rule of the lab's README the patch breaks
    # essential: yes|no      (yes: a rule the README calls essential: it must cost >= 15 points)

then a unified diff against the reference that touches only the lab's declared files
(lab.toml). For each mutant, in a scratch copy of the reference (build/mutants/NN, built
incrementally), the patch is applied and the lab's tests run as the grader runs them
(keys, verdicts, host checks); the mutant must lose points (at least 15 if essential).
Prints each mutant, the tests that caught it, the points it lost and how long grading
it took. --official grades each through grade/submit.py instead (the allow-list, a
clean build in a sandbox: slower, the grading time a student sees).
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "grade"))
import manifest  # noqa: E402

WORK = os.path.join(ROOT, "build", "mutants")
ESSENTIAL = 15


def say(msg):
    print(msg, flush=True)


def header(path):
    rule, essential = "", None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"#\s*(rule|essential):\s*(.*)", line)
            if m and m[1] == "rule":
                rule = m[2].strip()
            elif m:
                essential = m[2].strip().lower() == "yes"
    return rule, essential


def touched(path):
    with open(path, encoding="utf-8") as f:
        return sorted(set(re.findall(r"(?m)^\+\+\+ b/(\S+)", f.read())))


def scratch(lab):
    """A copy of the reference's tracked files (build products kept between runs). A
    file the reference no longer has goes too: a deleted source the Makefile's wildcards
    still found would break the build."""
    d = os.path.join(WORK, lab)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout
    tracked = [p for p in files.decode().split("\0") if p]
    keep = set(tracked)
    for top, dirs, names in os.walk(d):
        rel_top = os.path.relpath(top, d)
        if rel_top == "build":
            dirs[:] = []
            continue
        for n in names:
            rel = os.path.normpath(os.path.join(rel_top, n))
            if rel not in keep and not rel.startswith("build" + os.sep):
                os.remove(os.path.join(top, n))
    for rel in tracked:
        src, dst = os.path.join(ROOT, rel), os.path.join(d, rel)
        if not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(src, "rb") as f:
            data = f.read()
        if not os.path.exists(dst) or open(dst, "rb").read() != data:
            with open(dst, "wb") as f:
                f.write(data)
    return d


def grade(tree, lab, official):
    """{test: (points got, points max, reason)} and seconds taken."""
    out = os.path.join(WORK, f"results-{lab}.json")
    if os.path.exists(out):
        os.remove(out)
    t0 = time.monotonic()
    if official:
        cmd = [sys.executable, os.path.join(ROOT, "grade", "submit.py"), "--submission", tree, "--lab", lab,
               "--results", out]
        cwd = ROOT
    else:
        cmd = [sys.executable, "grade/grade.py", "--lab", lab, "-j", "2", "--json", out]
        cwd = tree
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace", env=dict(os.environ, MV6_GRADE_NESTED="1"))
    took = time.monotonic() - t0
    try:
        with open(out) as f:
            res = json.load(f)
    except (OSError, ValueError):
        say(p.stdout[-3000:])
        return {}, took
    return {t["name"]: (t["score"], t["max_score"], t["output"].split("\n")[0]) for t in res["tests"]}, took


def prove(lab, only, official):
    m = manifest.load(ROOT, lab)
    patches = sorted(glob.glob(os.path.join(ROOT, "labs", m["name"], "mutants", "*.patch")))
    if only:
        patches = [p for p in patches if os.path.basename(p)[:-6] in only]
    failures = []
    tree = scratch(lab)
    base, took = grade(tree, lab, official)
    top = sum(v[1] for v in base.values())
    full = top > 0 and all(v[0] == v[1] for v in base.values())
    say(f"mutants: lab {lab}: the reference scores {sum(v[0] for v in base.values())}/{top} ({took:.0f} s)")
    if not full:
        return [f"lab {lab}: the reference does not get full marks"]
    for patch in patches:
        name = os.path.basename(patch)[:-6]
        rule, essential = header(patch)
        stray = [f for f in touched(patch) if f not in m["files"]]
        if not rule or essential is None or stray:
            failures.append(f"lab {lab} mutant {name}: " + (f"touches {', '.join(stray)}, not the lab's files"
                                                           if stray else "needs '# rule:' and '# essential:' lines"))
            say(f"FAIL {failures[-1]}")
            continue
        scratch(lab)                                     # undo the last mutant
        # The scratch tree lies inside this repository (build/): without the ceiling, git
        # apply would find the repository and skip every path outside the scratch tree.
        p = subprocess.run(["git", "apply", patch], cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, env=dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(tree)))
        if p.returncode != 0:
            failures.append(f"lab {lab} mutant {name}: does not apply: {p.stdout.strip()[:200]}")
            say(f"FAIL {failures[-1]}")
            continue
        res, took = grade(tree, lab, official)
        got = sum(v[0] for v in res.values())
        lost = top - got
        caught = [f"{t} (-{base[t][0] - res[t][0]})" for t in base if t in res and res[t][0] < base[t][0]]
        need = ESSENTIAL if essential else 1
        ok = lost >= need
        say(f"{'ok  ' if ok else 'FAIL'} lab {lab} mutant {name}: {got}/{top}, lost {lost}"
            f"{' (essential: >= 15)' if essential else ''} in {took:.0f} s; caught by "
            f"{', '.join(caught) or 'nothing'}\n      rule: {rule}")
        if not ok:
            failures.append(f"lab {lab} mutant {name} lost {lost} points, needs {need}")
    scratch(lab)
    return failures


def main(argv):
    p = argparse.ArgumentParser(prog="mutants.py")
    p.add_argument("labs", nargs="*")
    p.add_argument("--only", nargs="*", default=[])
    p.add_argument("--official", action="store_true")
    a = p.parse_args(argv)
    labs = [x.zfill(2) for x in a.labs] or list(manifest.labs(ROOT))
    t0 = time.monotonic()
    failures = []
    for lab in labs:
        failures += prove(lab, set(a.only), a.official)
    say(f"mutants: {len(failures)} failed, {time.monotonic() - t0:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
