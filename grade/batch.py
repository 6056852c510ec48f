#!/usr/bin/env python3
"""batch.py --lab NN [-j N] --csv OUT SUBMISSION_DIR...: grade many submissions of one
lab on one machine, each exactly as the Gradescope bundle does (grade/submit.py with
the bundle's pristine course tree as the base), N at a time, into one CSV: submission,
score, max score, passed, failed. Each submission's results.json and grading output are
kept beside the CSV. Run as root, each submission builds and runs as a user of its own."""

import argparse
import concurrent.futures as cf
import csv
import json
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def grade_one(source, lab, sub, outdir, tests):
    name = os.path.basename(os.path.normpath(sub))
    res_path = os.path.join(outdir, f"{name}.json")
    with open(os.path.join(outdir, f"{name}.log"), "w") as log:
        subprocess.run([sys.executable, os.path.join(source, "grade", "submit.py"), "--base", source,
                        "--submission", sub, "--lab", lab, "--results", res_path, "-j", "1"] + tests.split(),
                       stdout=log, stderr=subprocess.STDOUT)
    try:
        with open(res_path) as f:
            res = json.load(f)
    except (OSError, ValueError):
        res = {"score": 0, "tests": []}
    tests = res.get("tests", [])
    return [name, res.get("score", 0), sum(t.get("max_score", 0) for t in tests),
            sum(t.get("status") == "passed" for t in tests), sum(t.get("status") != "passed" for t in tests)]


def main(argv=None):
    p = argparse.ArgumentParser(prog="batch.py", description=__doc__.split("\n\n")[0])
    p.add_argument("submissions", nargs="+")
    p.add_argument("--lab", required=True)
    p.add_argument("--tests", default="", help="only these tests (names, space-separated)")
    p.add_argument("-j", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    p.add_argument("--csv", required=True)
    a = p.parse_args(argv)
    outdir = os.path.dirname(os.path.abspath(a.csv))
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mv6-batch-") as tmp:
        bundle = os.path.join(tmp, "bundle.zip")
        subprocess.run(["sh", "mk/autograder.sh", a.lab, bundle], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        with zipfile.ZipFile(bundle) as z:
            z.extractall(tmp)
        source = os.path.join(tmp, "source")
        with cf.ThreadPoolExecutor(a.j) as ex:
            rows = list(ex.map(lambda s: grade_one(source, a.lab, s, outdir, a.tests), a.submissions))
    with open(a.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission", "score", "max_score", "passed", "failed"])
        w.writerows(rows)
    print(f"{len(rows)} submissions graded: {a.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
