#!/usr/bin/env python3
"""batch.py [--lab NN] [-j N] --csv OUT SUBMISSION_DIR...: grade many submissions on
one machine, each exactly as the Gradescope bundle does (grade/autograder/
run_autograder: the pristine grader and test programs of this commit laid over the
submission), N at a time, into one CSV: submission, score, max score, passed, failed.
The per-submission results.json files are kept beside the CSV."""

import argparse
import concurrent.futures as cf
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def grade_one(bundle, sub, outdir, tests):
    name = os.path.basename(os.path.normpath(sub))
    root = tempfile.mkdtemp(prefix=f"mv6-batch-{name}-")
    try:
        with zipfile.ZipFile(bundle) as z:
            z.extractall(root)
        shutil.copytree(sub, os.path.join(root, "submission"), symlinks=True,
                        ignore=shutil.ignore_patterns("build", ".git"))
        env = dict(os.environ, AUTOGRADER_ROOT=root, MV6_GRADE_NESTED="1")
        if tests:
            env["AUTOGRADER_TESTS"] = tests
        with open(os.path.join(outdir, f"{name}.log"), "w") as log:
            subprocess.run(["bash", os.path.join(root, "run_autograder")], env=env, stdout=log,
                           stderr=subprocess.STDOUT)
        res_path = os.path.join(root, "results", "results.json")
        with open(res_path) as f:
            res = json.load(f)
        shutil.copy(res_path, os.path.join(outdir, f"{name}.json"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    tests = res.get("tests", [])
    return [name, res.get("score", 0), sum(t.get("max_score", 0) for t in tests),
            sum(t.get("status") == "passed" for t in tests), sum(t.get("status") != "passed" for t in tests)]


def main(argv=None):
    p = argparse.ArgumentParser(prog="batch.py", description=__doc__.split("\n\n")[0])
    p.add_argument("submissions", nargs="+")
    p.add_argument("--lab", default="")
    p.add_argument("--tests", default="", help="only these tests (names, space-separated)")
    p.add_argument("-j", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    p.add_argument("--csv", required=True)
    a = p.parse_args(argv)
    outdir = os.path.dirname(os.path.abspath(a.csv))
    os.makedirs(outdir, exist_ok=True)
    bundle = os.path.join(outdir, "batch-bundle.zip")
    subprocess.run(["sh", "mk/autograder.sh", a.lab, bundle], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    with cf.ThreadPoolExecutor(a.j) as ex:
        rows = list(ex.map(lambda s: grade_one(bundle, s, outdir, a.tests), a.submissions))
    with open(a.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission", "score", "max_score", "passed", "failed"])
        w.writerows(rows)
    print(f"{len(rows)} submissions graded: {a.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
