"""Self-tests of grading a submission (submit.py): the allow-list on small made-up
trees (quick), and make grade SUBMISSION=dir end to end on lab 01 (slow: builds a
kernel; skipped unless MV6_SLOW_TESTS=1, which make check sets). The attacks on the
grading paths are in test_tamper.py."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import manifest  # noqa: E402
import submit    # noqa: E402


def write(root, path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(root, path):
    with open(os.path.join(root, path)) as f:
        return f.read()


MANIFEST = 'files = ["kernel/a.c", "servers/b/b.c"]\nstart = 1\nabsent = ["k_*"]\n'


class AllowList(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mv6-allow-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.tree, self.sub = os.path.join(self.tmp, "tree"), os.path.join(self.tmp, "sub")
        write(self.tree, "labs/01-x/lab.toml", MANIFEST)
        write(self.tree, "labs/01-x/stage.mk", "HOSTED_1 := a\n")
        write(self.tree, "labs/02-y/lab.toml", 'files = ["servers/c.c"]\nstart = 1\n')
        write(self.tree, "labs/02-y/stage.mk", "HOSTED_2 :=\n")
        for p in ("kernel/a.c", "servers/b/b.c", "servers/c.c", "grade/grade.py", "user/tests/t.c",
                  "Makefile", "labs/01-x/tests.py"):
            write(self.tree, p, "course\n")
            write(self.sub, p, "student\n")

    def assemble(self, lab="02"):
        notes = []
        submit.assemble(self.sub, lab, self.tree, notes)
        return notes

    def test_only_the_declared_files_of_this_and_earlier_labs(self):
        self.assemble("01")
        self.assertEqual(read(self.tree, "kernel/a.c"), "student\n")
        self.assertEqual(read(self.tree, "servers/c.c"), "course\n")        # a later lab's
        for p in ("grade/grade.py", "user/tests/t.c", "Makefile", "labs/01-x/tests.py"):
            self.assertEqual(read(self.tree, p), "course\n", p)
        self.assemble("02")
        self.assertEqual(read(self.tree, "servers/c.c"), "student\n")

    def test_missing_file_keeps_the_stub(self):
        os.remove(os.path.join(self.sub, "servers/b/b.c"))
        notes = self.assemble()
        self.assertEqual(read(self.tree, "servers/b/b.c"), "course\n")
        self.assertTrue(any("not submitted" in n and "servers/b/b.c" in n for n in notes), notes)

    def test_symlinks_special_files_and_oversize_are_refused(self):
        secret = os.path.join(self.tmp, "secret.c")
        write(self.tmp, "secret.c", "solution\n")
        os.remove(os.path.join(self.sub, "kernel/a.c"))
        os.symlink(secret, os.path.join(self.sub, "kernel/a.c"))          # a symlink
        shutil.rmtree(os.path.join(self.sub, "servers/b"))
        os.makedirs(os.path.join(self.tmp, "elsewhere"))
        write(self.tmp, "elsewhere/b.c", "solution\n")
        os.symlink(os.path.join(self.tmp, "elsewhere"), os.path.join(self.sub, "servers/b"))  # a symlinked directory
        os.remove(os.path.join(self.sub, "servers/c.c"))
        os.mkfifo(os.path.join(self.sub, "servers/c.c"))                   # a FIFO: would hang a reader
        notes = self.assemble()
        for p in ("kernel/a.c", "servers/b/b.c", "servers/c.c"):
            self.assertEqual(read(self.tree, p), "course\n", p)
            self.assertTrue(any(n.startswith("REFUSED") and p in n for n in notes), (p, notes))
        os.remove(os.path.join(self.sub, "servers/c.c"))
        write(self.sub, "servers/c.c", "x" * (submit.MAX_FILE + 1))
        notes = self.assemble()
        self.assertTrue(any("REFUSED" in n and "more than" in n for n in notes), notes)
        self.assertEqual(read(self.tree, "servers/c.c"), "course\n")

    def test_manifest_paths_must_stay_inside_and_away_from_trusted_code(self):
        for files in ('["../x.c"]', '["/etc/passwd"]', '["user/tests/t.c"]', '["labs/01-x/tests.py"]',
                      '["grade/grade.py"]', '["Makefile"]', '[]'):
            write(self.tree, "labs/01-x/lab.toml", f"files = {files}\nstart = 1\n")
            self.assertRaises(manifest.ManifestError, manifest.load, self.tree, "01")

    def test_results_never_written_through_a_planted_symlink(self):
        target = os.path.join(self.tmp, "victim")
        write(self.tmp, "victim", "keep me\n")
        res = os.path.join(self.tmp, "results.json")
        os.symlink(target, res)
        submit.write([], ["note"], res, None)
        self.assertEqual(read(self.tmp, "victim"), "keep me\n")
        self.assertFalse(os.path.islink(res))
        self.assertEqual(json.loads(read(self.tmp, "results.json"))["score"], 0)


@unittest.skipUnless(os.environ.get("MV6_SLOW_TESTS") == "1" and shutil.which("make"),
                     "slow: set MV6_SLOW_TESTS=1")
class MakeGradeSubmission(unittest.TestCase):
    def test_lab01_solution_full_marks_with_results_junit_and_logs(self):
        p = subprocess.run(["make", "-s", "-C", ROOT, "grade", f"SUBMISSION={ROOT}", "LAB=01"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout[-3000:])
        with open(os.path.join(ROOT, "build/grade/results.json")) as f:
            res = json.load(f)
        self.assertEqual(res["score"], sum(t["max_score"] for t in res["tests"]))
        self.assertIn("taken: kernel/ipc.c", res["output"])
        self.assertTrue(os.path.isfile(os.path.join(ROOT, "build/grade/junit.xml")))
        self.assertTrue(os.listdir(os.path.join(ROOT, "build/grade/logs")))


if __name__ == "__main__":
    unittest.main()
