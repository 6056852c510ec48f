"""Machine-readable results: Gradescope's results.json and JUnit XML.

Both are written from the same list of grade.Result, whatever happened (a build
failure gives failed tests with the compiler's output as their output)."""

import json
import xml.etree.ElementTree as ET

from testlib import printable


def _output(r):
    """What a report says about a result: reason and details, whatever the guest
    printed into them made harmless (control characters escaped)."""
    lines = [r.reason] if r.reason else []
    lines += list(r.details)
    return printable("\n".join(lines))


def gradescope(results):
    """The results.json structure Gradescope reads (score, tests with name, score,
    max_score, output, status, visibility)."""
    tests = []
    for r in results:
        t = r.test
        tests.append({
            "name": t.name,
            "score": t.points if r.status == "PASS" else 0,
            "max_score": t.points,
            "status": "passed" if r.status == "PASS" else "failed",
            "output": ("skipped: " if r.status == "SKIP" else "") + _output(r),
            "visibility": "visible",
        })
    return {"score": sum(x["score"] for x in tests), "tests": tests}


def write_json(results, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(gradescope(results), f, indent=2)
        f.write("\n")


def junit(results):
    """A <testsuites> element: one <testsuite> per suite, one <testcase> per test."""
    root = ET.Element("testsuites")
    for suite in dict.fromkeys(r.test.suite for r in results):
        rs = [r for r in results if r.test.suite == suite]
        el = ET.SubElement(root, "testsuite", name=suite, tests=str(len(rs)),
                           failures=str(sum(r.status == "FAIL" for r in rs)),
                           skipped=str(sum(r.status == "SKIP" for r in rs)),
                           time=f"{sum(r.elapsed for r in rs):.3f}")
        for r in rs:
            case = ET.SubElement(el, "testcase", classname=suite, name=r.test.name, time=f"{r.elapsed:.3f}")
            if r.status == "FAIL":
                ET.SubElement(case, "failure", message=printable(r.reason or "failed")).text = _output(r)
            elif r.status == "SKIP":
                ET.SubElement(case, "skipped", message=printable(r.reason))
    return root


def write_junit(results, path):
    tree = ET.ElementTree(junit(results))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
