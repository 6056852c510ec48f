"""Self-tests of the machine-readable outputs (report.py): Gradescope's results.json
and JUnit XML, from hand-made results."""

import json
import os
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grade    # noqa: E402
import report   # noqa: E402
from testlib import Test   # noqa: E402


def result(name, status, points=0, reason="", details=(), suite="s"):
    return grade.Result(Test(name=name, suite=suite, points=points), status, reason=reason,
                        details=list(details), elapsed=1.5)


RESULTS = [
    result("a", "PASS", 10),
    result("b", "FAIL", 5, "expect 1/2 /x/ not found", ["| last line"]),
    result("c", "SKIP", 3, "skipped (dependency b failed)"),
    result("d", "PASS", 0, suite="t"),
]


class GradescopeJson(unittest.TestCase):
    def setUp(self):
        self.r = report.gradescope(RESULTS)

    def test_score_counts_only_passed_points(self):
        self.assertEqual(self.r["score"], 10)

    def test_each_test_has_the_fields_gradescope_reads(self):
        for t in self.r["tests"]:
            self.assertEqual(set(t), {"name", "score", "max_score", "output", "status", "visibility"})
        b = [t for t in self.r["tests"] if t["name"] == "b"][0]
        self.assertEqual((b["score"], b["max_score"], b["status"]), (0, 5, "failed"))
        self.assertIn("expect 1/2", b["output"])
        self.assertIn("| last line", b["output"])
        c = [t for t in self.r["tests"] if t["name"] == "c"][0]
        self.assertEqual(c["status"], "failed")
        self.assertTrue(c["output"].startswith("skipped: "))

    def test_written_file_is_json(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "results.json")
            report.write_json(RESULTS, p)
            with open(p) as f:
                self.assertEqual(json.load(f)["score"], 10)


class JUnit(unittest.TestCase):
    def test_suites_cases_failures_skips(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "junit.xml")
            report.write_junit(RESULTS, p)
            root = ET.parse(p).getroot()
        self.assertEqual(root.tag, "testsuites")
        suites = {s.get("name"): s for s in root.findall("testsuite")}
        self.assertEqual(set(suites), {"s", "t"})
        s = suites["s"]
        self.assertEqual((s.get("tests"), s.get("failures"), s.get("skipped")), ("3", "1", "1"))
        cases = {c.get("name"): c for c in s.findall("testcase")}
        self.assertIsNotNone(cases["b"].find("failure"))
        self.assertIn("| last line", cases["b"].find("failure").text)
        self.assertIsNotNone(cases["c"].find("skipped"))
        self.assertIsNone(cases["a"].find("failure"))


class Hygiene(unittest.TestCase):
    """Whatever the guest printed, the reports stay well-formed and inert."""
    NASTY = "\x00\x1b[2J\x1b]0;pwned\x07\x08\x0c\x7f\x9b\ufffe\ud800 end"

    def test_junit_stays_valid_xml(self):
        r = [result("n", "FAIL", 5, "forbidden " + self.NASTY, ["| " + self.NASTY])]
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "junit.xml")
            report.write_junit(r, p)
            text = ET.parse(p).getroot().find("testsuite/testcase/failure").text
        self.assertIn("\\x1b[2J", text)
        self.assertNotIn("\x1b", text)
        self.assertNotIn("\x00", text)

    def test_json_output_escaped(self):
        out = report.gradescope([result("n", "FAIL", 5, self.NASTY)])["tests"][0]["output"]
        self.assertFalse(any(ord(c) < 32 and c not in "\t\n" for c in out), repr(out))
        json.loads(json.dumps(out))


if __name__ == "__main__":
    unittest.main()
