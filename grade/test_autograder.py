"""Self-test of the Gradescope bundle: build it (make autograder LAB=01), lay it out as
Gradescope does in a temporary /autograder, and run run_autograder on submissions: the
lab's solution (full marks), one that does not build (results.json still written, a
score of 0 and the reason); and batch.py grading two into a CSV. Slow (builds):
skipped unless MV6_SLOW_TESTS=1 (make check sets it)."""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

LAB = "01"
FILES = ["kernel/ipc.c", "kernel/fastpath.c"]


def submission(root, broken=False):
    """A submission: the lab's files from this tree (broken: ipc.c does not compile)."""
    for f in FILES:
        os.makedirs(os.path.join(root, os.path.dirname(f)), exist_ok=True)
        shutil.copy(os.path.join(ROOT, f), os.path.join(root, f))
    if broken:
        with open(os.path.join(root, "kernel/ipc.c"), "a") as f:
            f.write("\nthis is not C\n")
    return root


@unittest.skipUnless(os.environ.get("MV6_SLOW_TESTS") == "1" and shutil.which("git"),
                     "slow: set MV6_SLOW_TESTS=1")
class Autograder(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mv6-autograder-")
        os.chmod(cls.tmp, 0o755)
        cls.bundle = os.path.join(cls.tmp, "bundle.zip")
        subprocess.run(["sh", "mk/autograder.sh", LAB, cls.bundle], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def grade(self, name, broken=False):
        """Lay out /autograder with a submission and run run_autograder."""
        root = os.path.join(self.tmp, name)
        with zipfile.ZipFile(self.bundle) as z:
            z.extractall(root)
        submission(os.path.join(root, "submission"), broken)
        os.makedirs(os.path.join(root, "results"))
        p = subprocess.run(["bash", os.path.join(root, "run_autograder")], env=dict(os.environ, AUTOGRADER_ROOT=root),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
        with open(os.path.join(root, "results", "results.json")) as f:
            return json.load(f), p.stdout

    def test_the_solution_gets_full_marks(self):
        res, out = self.grade("solved")
        self.assertEqual(res["score"], sum(t["max_score"] for t in res["tests"]), out[-3000:])
        self.assertGreater(res["score"], 0)

    def test_a_submission_that_does_not_build_still_gets_results(self):
        res, out = self.grade("broken", broken=True)
        self.assertEqual(res["score"], 0)
        self.assertTrue(res["tests"])
        for t in res["tests"]:
            self.assertIn("does not build", t["output"])

    def test_batch_grades_several_submissions_into_a_csv(self):
        import batch
        subs = [submission(os.path.join(self.tmp, "subs", "alice")),
                submission(os.path.join(self.tmp, "subs", "bob"), broken=True)]
        out = os.path.join(self.tmp, "batch", "grades.csv")
        self.assertEqual(batch.main(["--lab", LAB, "-j", "2", "--csv", out] + subs), 0)
        with open(out) as f:
            rows = {r["submission"]: r for r in csv.DictReader(f)}
        self.assertEqual(rows["alice"]["score"], rows["alice"]["max_score"])
        self.assertEqual((rows["bob"]["score"], rows["bob"]["passed"]), ("0", "0"))


if __name__ == "__main__":
    unittest.main()
