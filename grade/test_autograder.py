"""Self-test of the Gradescope bundle: build it (make autograder), lay it out as
Gradescope does in a temporary /autograder, and run run_autograder on submissions:
one whose test program was edited to fail (the pristine copy must replace it, so the
test passes), and one that does not build (results.json must still be written, with
a score of 0). Slow (two builds): skipped unless MV6_SLOW_TESTS=1 (make check sets it)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST = "bulk-kernel-s1"      # at stage 1, which every tree has; it passes in every handout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@unittest.skipUnless(os.environ.get("MV6_SLOW_TESTS") == "1" and shutil.which("git"),
                     "slow: set MV6_SLOW_TESTS=1")
class Autograder(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mv6-autograder-")
        bundle = os.path.join(cls.tmp, "bundle.zip")
        subprocess.run(["sh", "mk/autograder.sh", "", bundle], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        cls.bundle = bundle

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def grade(self, name, edit):
        """Lay out /autograder with a submission (this commit, then edit(dir)); run."""
        root = os.path.join(self.tmp, name)
        with zipfile.ZipFile(self.bundle) as z:
            z.extractall(root)
        sub = os.path.join(root, "submission")
        shutil.copytree(os.path.join(root, "source"), sub)
        edit(sub)
        env = dict(os.environ, AUTOGRADER_ROOT=root, AUTOGRADER_TESTS=TEST, MV6_GRADE_NESTED="1")
        p = subprocess.run(["bash", os.path.join(root, "run_autograder")], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout[-2000:])
        with open(os.path.join(root, "results", "results.json")) as f:
            return json.load(f), p.stdout

    def test_edited_test_program_is_replaced_by_the_pristine_one(self):
        def edit(sub):
            with open(os.path.join(sub, "user/tests/bulk.c"), "w") as f:
                f.write('#include "user/user.h"\nint main(int c, char **v) { printf("kbulk: FAIL\\n"); '
                        'exit(1); }\n')
        res, out = self.grade("edited", edit)
        tests = {t["name"]: t for t in res["tests"]}
        self.assertEqual(tests[TEST]["status"], "passed", out[-2000:])

    def test_a_submission_that_does_not_build_still_gets_results(self):
        def edit(sub):
            with open(os.path.join(sub, "kernel/ipc.c"), "a") as f:
                f.write("\nthis is not C\n")
        res, out = self.grade("broken", edit)
        self.assertEqual(res["score"], 0)
        tests = {t["name"]: t for t in res["tests"]}
        self.assertEqual(tests[TEST]["status"], "failed")
        self.assertIn("build failed", tests[TEST]["output"])


    def test_batch_grades_several_submissions_into_a_csv(self):
        import csv
        import batch
        subs = []
        for name in ("alice", "bob"):
            d = os.path.join(self.tmp, "subs", name)
            shutil.copytree(os.path.join(ROOT), d, ignore=shutil.ignore_patterns("build", ".git"))
            subs.append(d)
        with open(os.path.join(subs[1], "kernel/ipc.c"), "a") as f:
            f.write("\nthis is not C\n")               # bob's does not build
        out = os.path.join(self.tmp, "batch", "grades.csv")
        self.assertEqual(batch.main(["--tests", TEST, "-j", "2", "--csv", out] + subs), 0)
        with open(out) as f:
            rows = {r["submission"]: r for r in csv.DictReader(f)}
        self.assertEqual((rows["alice"]["passed"], rows["alice"]["failed"]), ("1", "0"))
        self.assertEqual((rows["bob"]["passed"], rows["bob"]["failed"]), ("0", "1"))


if __name__ == "__main__":
    unittest.main()
