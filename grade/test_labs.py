"""Self-tests of the handout tool (mk/handout.py): markers, cutting, leak detection,
the course repository. Reference tree only (labs/reference-only)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "mk"))
import handout  # noqa: E402

SRC = """int shared(void) { return 1; }
// @lab 01 solution: the thing
int secret_function_of_lab_one(int x) { return x * 42 + 7; }
// @lab 01 stub
//: int secret_function_of_lab_one(int x) {
//:   // TODO (lab 01): compute it
//:   return -1;
//: }
// @lab 01 end
// @lab 02 solution
int second_labs_solution_line(void) { return 2; }
// @lab 02 end
// @ref begin
int instructor_only_helper_code(void);
// @ref end
int tail(void);
"""


class Cut(unittest.TestCase):
    def test_unsolved_gets_stubs(self):
        out = handout.cut(SRC, "00")
        self.assertIn("int secret_function_of_lab_one(int x) {\n  // TODO (lab 01): compute it\n", out)
        self.assertNotIn("x * 42", out)
        self.assertNotIn("second_labs_solution_line", out)    # no stub: the code is just absent
        self.assertNotIn("instructor_only", out)
        self.assertNotIn("@lab", out)
        self.assertTrue(out.startswith("int shared(void)") and out.endswith("int tail(void);\n"))

    def test_solved_keeps_solution(self):
        out = handout.cut(SRC, "01")
        self.assertIn("return x * 42 + 7;", out)
        self.assertNotIn("TODO (lab 01)", out)
        self.assertNotIn("second_labs_solution_line", out)
        out = handout.cut(SRC, "02")
        self.assertIn("second_labs_solution_line", out)
        self.assertNotIn("instructor_only", out)              # @ref never ships

    def test_bad_markers(self):
        bad = {
            "unterminated": "// @lab 01 solution\nx\n",
            "stub line without prefix": "// @lab 01 solution\nx\n// @lab 01 stub\ny\n// @lab 01 end\n",
            "nested": "// @lab 01 solution\n// @lab 02 solution\n// @lab 02 end\n// @lab 01 end\n",
            "stray end": "// @lab 01 end\n",
            "ref unterminated": "// @ref begin\n",
        }
        for what, text in bad.items():
            with self.subTest(what), self.assertRaises(handout.MarkerError):
                handout.cut(text, "00")

    def test_shell_comments(self):
        text = "# @lab 02 solution\nHOSTED_2 := mem\n# @lab 02 stub\n#: HOSTED_2 := mem proc\n# @lab 02 end\n"
        self.assertEqual(handout.cut(text, "01"), "HOSTED_2 := mem proc\n")
        self.assertEqual(handout.cut(text, "02"), "HOSTED_2 := mem\n")


class Trees(unittest.TestCase):
    """A tiny reference repository with two labs."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "ref")
        files = {
            "a.c": SRC,
            "labs/01-one/tests.py": "TESTS = []\n",
            "labs/02-two/tests.py": "TESTS = []\n",
            "labs/reference-only": "tools/cut.py\n",
            "tools/cut.py": "print('instructor tool')\n",
        }
        for path, text in files.items():
            p = os.path.join(self.root, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        subprocess.run(["git", "init", "-q"], cwd=self.root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=self.root, check=True)

    def tearDown(self):
        self.tmp.cleanup()

    def tree(self, lab, solved=None):
        dest = os.path.join(self.tmp.name, f"h{lab}-{solved}")
        handout.write_tree(lab, dest, solved, root=self.root)
        return dest

    def test_handout_contents(self):
        h = self.tree("01")
        self.assertTrue(os.path.isdir(os.path.join(h, "labs", "01-one")))
        self.assertFalse(os.path.exists(os.path.join(h, "labs", "02-two")))     # later labs absent
        self.assertFalse(os.path.exists(os.path.join(h, "tools", "cut.py")))    # reference-only
        self.assertEqual(handout.leaks("01", h, root=self.root), [])
        h2 = self.tree("02")
        with open(os.path.join(h2, "a.c")) as f:
            self.assertIn("x * 42", f.read())                                   # lab 01 solved
        self.assertEqual(handout.leaks("02", h2, root=self.root), [])

    def test_leaks_are_found(self):
        h = self.tree("01")
        with open(os.path.join(h, "a.c"), "a") as f:
            f.write("int secret_function_of_lab_one(int x) { return x * 42 + 7; }\n// @lab 01 end\n")
        with open(os.path.join(h, "tools_cut.py"), "w") as f:
            f.write("")
        os.makedirs(os.path.join(h, "tools"))
        with open(os.path.join(h, "tools", "cut.py"), "w") as f:
            f.write("")
        problems = handout.leaks("01", h, root=self.root)
        self.assertTrue(any("solution code" in p for p in problems), problems)
        self.assertTrue(any("marker left" in p for p in problems), problems)
        self.assertTrue(any("reference-only" in p for p in problems), problems)
        # lab 01's solution is no leak in lab 02's handout, where it is solved
        self.assertEqual(handout.leaks("02", self.tree("02"), root=self.root), [])

    def test_course_commits(self):
        dest = os.path.join(self.tmp.name, "course")
        handout.write_course(dest, root=self.root)
        log = subprocess.run(["git", "log", "--format=%s", "--name-status"], cwd=dest, check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("Lab 02: two\n\nA\tlabs/02-two/tests.py", log)
        with open(os.path.join(dest, "a.c")) as f:
            self.assertIn("TODO (lab 01)", f.read())                 # every lab stubbed


def handout_files(lab):
    """The files lab's manifest says a student writes."""
    import manifest
    return manifest.load(ROOT, lab)["files"]


@unittest.skipUnless(os.environ.get("MV6_SLOW_TESTS") == "1", "slow: set MV6_SLOW_TESTS=1")
class LabBundle(unittest.TestCase):
    """Gradescope, end to end, for lab 02: the bundle carries no solution; a student's
    finished lab 02 gets full marks, and one whose process server is still the stub
    gets 0, whatever its stage.mk says (the course's is used)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mv6-labbundle-")
        cls.bundle = os.path.join(cls.tmp, "bundle.zip")
        subprocess.run(["sh", "mk/autograder.sh", "02", cls.bundle], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def grade(self, name, edit=None):
        import zipfile
        root = os.path.join(self.tmp, name)
        with zipfile.ZipFile(self.bundle) as z:
            z.extractall(root)
        with open(os.path.join(root, "source", "servers", "lib", "server.c")) as f:
            self.assertIn("TODO (lab 02)", f.read())              # no solution in the bundle
        sub = os.path.join(root, "submission")
        handout.write_tree("02", sub, solved="02")               # a student's finished work
        if edit:
            edit(sub)
        env = dict(os.environ, AUTOGRADER_ROOT=root, MV6_GRADE_NESTED="1")
        p = subprocess.run(["bash", os.path.join(root, "run_autograder")], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
        with open(os.path.join(root, "results", "results.json")) as f:
            return json.load(f), p.stdout

    def test_finished_lab_gets_full_marks(self):
        res, out = self.grade("done")
        self.assertEqual(res["score"], 100, out[-3000:])

    def test_unfinished_lab_gets_nothing(self):
        def unfinished(sub):
            stub = os.path.join(self.tmp, "stub")
            if not os.path.isdir(stub):
                handout.write_tree("02", stub)
            for f in handout_files("02"):
                shutil.copy(os.path.join(stub, f), os.path.join(sub, f))
            with open(os.path.join(sub, "labs", "02-proc", "stage.mk"), "w") as f:
                f.write("HOSTED_2 := mem proc fs console disk\n")   # ignored: the course's counts
        res, out = self.grade("unfinished", unfinished)
        self.assertEqual(res["score"], 0, out[-3000:])
        self.assertEqual(sum(t["max_score"] for t in res["tests"]), 100)


if __name__ == "__main__":
    unittest.main()
