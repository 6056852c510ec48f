"""Self-tests of grading a submission with the pristine grader and tests laid over it:
grade/overlay.sh (shared by make grade SUBMISSION=dir and the Gradescope autograder),
quick, on small made-up trees; and make grade SUBMISSION=dir TEST=bulk-kernel-s1 end to end, which
builds a kernel: skipped unless MV6_SLOW_TESTS=1 (make check sets it)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def write(root, path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(root, path):
    with open(os.path.join(root, path)) as f:
        return f.read()


def copy_tree(dest):
    """This working tree without its build/ and .git (the test must not touch them)."""
    shutil.copytree(ROOT, dest, symlinks=True,
                    ignore=lambda d, names: ["build", ".git"] if d == ROOT else [])


class Overlay(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mv6-overlay-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.src, self.sub, self.dest = (os.path.join(self.tmp, d) for d in ("src", "sub", "dest"))
        for path in ("grade/grade.py", "user/tests/t.c", "mkfs/mkfs.c", "labs/01-ipc/tests.py",
                     "labs/02-proc/tests.py", "kernel/ipc.c"):
            write(self.src, path, "pristine\n")
            write(self.sub, path, "student\n")
        for path in ("grade/extra.py", "user/tests/new.c", "user/hello.c", "build/s4/kernel",
                     ".git/HEAD", "labs/01-ipc/extra"):
            write(self.sub, path, "student\n")
        write(self.dest, "stale", "from the last run\n")

    def overlay(self, *lab):
        subprocess.run(["sh", os.path.join(HERE, "overlay.sh"), self.sub, self.src, self.dest, *lab],
                       check=True)

    def test_pristine_grader_tests_and_lab_over_a_fresh_copy(self):
        self.overlay("01")
        for path in ("grade/grade.py", "user/tests/t.c", "mkfs/mkfs.c", "labs/01-ipc/tests.py"):
            self.assertEqual(read(self.dest, path), "pristine\n", path)
        for path in ("kernel/ipc.c", "user/hello.c", "labs/02-proc/tests.py"):
            self.assertEqual(read(self.dest, path), "student\n", path)
        for path in ("grade/extra.py", "user/tests/new.c", "labs/01-ipc/extra", "build", ".git",
                     "stale"):
            self.assertFalse(os.path.exists(os.path.join(self.dest, path)), path)

    def test_lab_given_by_directory_name_or_not_at_all(self):
        self.overlay("02-proc")
        self.assertEqual(read(self.dest, "labs/02-proc/tests.py"), "pristine\n")
        self.assertEqual(read(self.dest, "labs/01-ipc/tests.py"), "student\n")
        self.overlay()
        self.assertEqual(read(self.dest, "labs/02-proc/tests.py"), "student\n")
        self.assertEqual(read(self.dest, "grade/grade.py"), "pristine\n")


@unittest.skipUnless(os.environ.get("MV6_SLOW_TESTS") == "1" and shutil.which("make"),
                     "slow: set MV6_SLOW_TESTS=1")
class MakeGradeSubmission(unittest.TestCase):
    def test_edited_grader_and_test_programs_are_replaced_by_the_pristine_ones(self):
        tmp = tempfile.mkdtemp(prefix="mv6-submission-")
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        course, sub = os.path.join(tmp, "course"), os.path.join(tmp, "sub")
        copy_tree(course)
        copy_tree(sub)
        # Either edit alone fails the test (a stage-1 one, so that every handout has it): a grader that expects what never comes, a test
        # program that does not compile (it is linked into the kernel image boot runs).
        with open(os.path.join(sub, "grade/suites/kernel.py"), "a") as f:
            f.write("\nfor t in TESTS:\n    t.expect = ['never printed']\n")
        write(sub, "user/tests/pingpong.c", "this is not C\n")
        write(sub, "build/marker", "not copied\n")
        with open(os.path.join(sub, "README.md"), "a") as f:
            f.write("\nsubmission marker\n")
        p = subprocess.run(["make", "-s", "-C", course, "grade", f"SUBMISSION={sub}", "TEST=bulk-kernel-s1"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900,
                           env=dict(os.environ, MV6_GRADE_NESTED="1"))
        self.assertEqual(p.returncode, 0, p.stdout[-3000:])
        with open(os.path.join(course, "build/grade/results.json")) as f:
            tests = json.load(f)["tests"]
        self.assertEqual([(t["name"], t["status"]) for t in tests], [("bulk-kernel-s1", "passed")])
        work = os.path.join(course, "build/submission")
        self.assertIn("submission marker", read(work, "README.md"))
        self.assertEqual(read(work, "user/tests/pingpong.c"), read(ROOT, "user/tests/pingpong.c"))
        self.assertFalse(os.path.exists(os.path.join(work, "build/marker")))


if __name__ == "__main__":
    unittest.main()
