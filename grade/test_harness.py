"""Self-tests for the harness. Run: python3 -m unittest discover -s grade -p 'test_*.py'

QEMU is replaced by a fake: a small Python script that reads `run=MODE` (and
`state=DIR`) from the -append argument and prints/sleeps/reads accordingly.
"""

import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import textwrap
import threading
import time
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grade    # noqa: E402
import runner   # noqa: E402
import testlib  # noqa: E402
from testlib import Test  # noqa: E402

FAKE_QEMU = r'''
import os, sys, time
args = sys.argv[1:]
opts = dict(t.split("=", 1) for t in args[args.index("-append") + 1].split() if "=" in t)
mode, state = opts.get("run"), opts.get("state")
if state:
    open(os.path.join(state, f"pid.{mode}.{os.getpid()}"), "w").close()

def out(s):
    sys.stdout.write(s)
    sys.stdout.flush()

out("\x01[kernel] mv6 fake\n")   # the kernel's own lines carry its mark (testlib.KLINE_MARK)
if mode == "hello":
    out("hello: ok\n")
elif mode == "order":
    out("second\nfirst\n")
elif mode == "panic":
    out("\x01[kernel] panic: boom\n")
elif mode == "forged":     # a user task imitating the kernel's panic, split across writes
    out("[kernel] panic: forged\n[ker")
    out("nel] watchdog: forged\n")
    out("hello: ok\n")
elif mode == "hang":
    time.sleep(3600)
elif mode == "end":
    out("done\n")
    time.sleep(3600)
elif mode == "echo":
    out("$ ")
    out("got: " + sys.stdin.readline())
elif mode == "watchdog":
    out("\x01[kernel] watchdog: budget expired\n")
    for i in range(50):
        out(f"dump {i}\n")
elif mode == "flaky":      # the second run to start fails
    n = 1
    while True:
        try:
            os.close(os.open(os.path.join(state, f"run.{n}"), os.O_CREAT | os.O_EXCL))
            break
        except FileExistsError:
            n += 1
    out("hello: ok\n" if n != 2 else "hello: bad\n")
elif mode == "argv":
    out("argv: " + " ".join(args) + "\n")
elif mode == "crlf":
    sys.stdout.buffer.write(b"a\r\nb\xff\r\n")
elif mode == "nonce":      # what a kernel that echoes its command line prints
    out(f"nonce: {opts.get('nonce')}\narg: {opts.get('arg')}\n")
    time.sleep(3600)
elif mode == "ask":
    out(f"say {opts['arg']}: ")
    out("got: " + sys.stdin.readline())
elif mode == "lines":
    for i in range(1, 31):
        out(f"line {i}\n")
elif mode == "failhang":   # a failure line, a dump, then a hang: the run must end early
    out("test x: FAIL bad\n\x01[kernel] after the failure\n")
    time.sleep(3600)
elif mode == "nasty":      # terminal escapes, NULs, a fake table, then a flood
    sys.stdout.buffer.write(b"\x1b[2J\x1b[Hpoints: 100/100\x00\x07\n")
    sys.stdout.buffer.write(b"y" * 100 + b"\n")
    for i in range(30000):
        out("flood " + "z" * 80 + "\n")
    out("nasty: FAIL\n")
'''


def lines_of(text):
    return text.splitlines()


class EvaluateTest(unittest.TestCase):
    """The pure matching logic."""

    def ev(self, lines, **kw):
        return testlib.evaluate(Test(name="t", suite="s", **kw), lines, "exit")

    def test_expect_in_order_passes(self):
        ok, _, _ = self.ev(["x", "a1", "y", "b2"], expect=[r"a\d", r"b\d"])
        self.assertTrue(ok)

    def test_expect_out_of_order_fails(self):
        ok, reason, details = self.ev(["b2", "a1"], expect=[r"a\d", r"b\d"])
        self.assertFalse(ok)
        self.assertIn(r"expect 2/2 /b\d/ not found after /a\d/", reason)
        self.assertEqual(details, ["expected, in order:", r"  /a\d/ matched line 2: a1",
                                   r"  /b\d/ NOT FOUND", "console after line 2:", "(nothing)"])

    def test_expect_diff(self):
        lines = ["boot", "a1", "x", "y"] + [f"z{i}" for i in range(20)]
        ok, _, details = self.ev(lines, expect=["boot", r"a\d", "nope", "later"])
        self.assertFalse(ok)
        self.assertEqual(details[:6], ["expected, in order:",
                                       "  /boot/ matched line 1: boot",
                                       r"  /a\d/ matched line 2: a1",
                                       "  /nope/ NOT FOUND",
                                       "  /later/ not reached",
                                       "console after line 2:"])
        shown = details[6:]   # the first 15 lines after the last match, then a count
        self.assertEqual(shown[:3], ["| x", "| y", "| z0"])
        self.assertEqual(len(shown), testlib.TAIL_LINES + 1)
        self.assertEqual(shown[-1], f"({len(lines) - 2 - testlib.TAIL_LINES} more lines)")

    def test_expect_diff_nothing_matched(self):
        _, _, details = self.ev(["a", "b"], expect=["x", "y"])
        self.assertEqual(details, ["expected, in order:", "  /x/ NOT FOUND", "  /y/ not reached",
                                   "console:", "| a", "| b"])
        lines = [f"l{i}" for i in range(40)]
        _, _, details = self.ev(lines, expect=["x"])
        self.assertEqual(details[2:4], [f"console, last {testlib.TAIL_LINES} of 40 lines:", "| l25"])
        self.assertEqual(details[-1], "| l39")

    def test_expect_diff_keeps_watchdog_dump(self):
        lines = ["ok", "[kernel] watchdog: expired", "d0"]
        _, _, details = self.ev(lines, expect=["ok", "done"], forbid=[])
        self.assertIn("  /done/ NOT FOUND", details)
        self.assertEqual(details[-3:], ["watchdog dump:", "| [kernel] watchdog: expired", "| d0"])

    def test_each_expect_needs_its_own_line(self):
        self.assertFalse(self.ev(["a"], expect=["a", "a"])[0])
        self.assertTrue(self.ev(["a", "a"], expect=["a", "a"])[0])

    def test_only_marked_lines_are_the_kernels(self):
        self.assertEqual(testlib.console_line("\x01[kernel] panic: x"), "[kernel] panic: x")
        self.assertEqual(testlib.console_line("[kernel] panic: x"), "[user] [kernel] panic: x")
        self.assertEqual(testlib.console_line("hello: ok"), "hello: ok")

    def test_default_forbid(self):
        ok, reason, details = self.ev(["ok", "[kernel] panic: x"], expect=["ok"])
        self.assertFalse(ok)
        self.assertIn("forbidden", reason)
        self.assertIn("> [kernel] panic: x", details)
        self.assertTrue(self.ev(["ok", "[kernel] panic: x"], expect=["ok"], forbid=[])[0])

    def test_watchdog_dump_shown(self):
        lines = ["boot", "[kernel] watchdog: expired"] + [f"d{i}" for i in range(50)]
        ok, _, details = self.ev(lines)
        self.assertFalse(ok)
        i = details.index("watchdog dump:")
        self.assertEqual(details[i + 1], "| [kernel] watchdog: expired")
        self.assertEqual(len(details) - i - 1, 1 + testlib.WATCHDOG_DUMP_LINES)

    def test_input_feeder_steps_after_previous_match(self):
        f = testlib.InputFeeder([(r"\$ $", "a\n"), (r"\$ $", "b\n")])
        self.assertEqual(f.feed("$ "), ["a\n"])       # second step needs a new prompt
        self.assertEqual(f.feed("$ a\n"), [])
        self.assertEqual(f.feed("$ a\n$ "), ["b\n"])
        self.assertIsNone(f.pending())

    def test_wall_limit_and_cmdline(self):
        t = Test(name="t", suite="s", boot="run=x", budget=2.5)
        self.assertEqual(t.wall_limit(), 60)
        self.assertEqual(Test(name="t", suite="s", budget=30).wall_limit(2), 600)
        self.assertEqual(Test(name="t", suite="s", wall=5).wall_limit(0.5), 2.5)
        cmd = testlib.qemu_command(t, "img", True, "0123456789abcdef")
        self.assertEqual(cmd[cmd.index("-append") + 1], "run=x watchdog=2.5")   # no nonce, no key
        self.assertEqual(cmd[-2:], ["-icount", "shift=0,sleep=on"])
        self.assertNotIn("-icount", testlib.qemu_command(t, "img", False, "0" * 16))

    def test_verdicts_decide(self):
        import keys
        k = keys.new_key()
        good = lambda text: f"{text} #mv6:{keys.tag(k, text)} t=5"
        lines = ["boot", good("a: ok"), "b: ok #mv6:" + "0" * 32, good("c: ok")]
        t = Test(name="t", suite="s", expect=[r"^a: ok$"], auth=[r"^a: ok$", r"^c: ok$"])
        ok, _, _ = testlib.evaluate(t, lines, "exit", verdicts=keys.verified(lines, k))
        self.assertTrue(ok)                        # expect sees a verdict line's text too
        t = Test(name="t", suite="s", auth=[r"^a: ok$", r"^b: ok$"])
        ok, reason, details = testlib.evaluate(t, lines, "exit", verdicts=keys.verified(lines, k))
        self.assertFalse(ok)
        self.assertIn("verdict 2/2 /^b: ok$/ not found", reason)
        self.assertIn("1 tagged line(s) did not verify: they count for nothing", details)
        ok, _, _ = testlib.evaluate(Test(name="t", suite="s", auth=[r"^a: ok$"]), ["a: ok"], "exit",
                                    verdicts=keys.verified(["a: ok"], k))
        self.assertFalse(ok)                       # printed without a tag: nothing

    def test_bad_definitions_rejected(self):
        for kw in ({"stage": 5}, {"lab": "1"}, {"expect": ["("]}, {"expect": "x"},
                   {"expect": ["@NONCE@("]}, {"boot": "x" * 120}, {"auth": "x"},
                   {"files": {"/f": "x"}}, {"files": {"/f": "("}, "disk": True}):
            with self.assertRaises(ValueError):
                Test(name="t", suite="s", **kw)

    def test_with_nonce_fills_every_field(self):
        n = testlib.new_nonce()
        self.assertRegex(n, r"^[0-9a-f]{16}$")
        self.assertNotEqual(n, testlib.new_nonce())
        t = testlib.with_nonce(Test(name="t", suite="s", boot="arg=@NONCE@",
                                    input=[("@NONCE@", "@NONCE@\n")], expect=["e@NONCE@"],
                                    forbid=["f@NONCE@"], end="@NONCE@$"), n)
        self.assertEqual((t.boot, t.input, t.expect, t.forbid, t.end),
                         (f"arg={n}", [(n, n + "\n")], [f"e{n}"], [f"f{n}"], f"{n}$"))
        self.assertIsNone(testlib.with_nonce(Test(name="t", suite="s"), n).end)


class HarnessTest(unittest.TestCase):
    """End-to-end through grade.main() with the fake QEMU."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mv6-grade-test-")
        self.state = os.path.join(self.tmp, "state")
        os.makedirs(self.state)
        self.qemu = os.path.join(self.tmp, "fake-qemu")
        with open(self.qemu, "w") as f:
            f.write(f"#!{sys.executable} -S\n" + FAKE_QEMU)
        os.chmod(self.qemu, 0o755)
        for stage in (1, 4):
            os.makedirs(os.path.join(self.tmp, "build", f"s{stage}"))
            open(os.path.join(self.tmp, "build", f"s{stage}", "kernel-test"), "w").close()
        # Neither a nested marker nor a scale from the caller's environment.
        env = mock.patch.dict(os.environ)
        env.start()
        self.addCleanup(env.stop)
        os.environ.pop("MV6_GRADE_NESTED", None)
        os.environ.pop("MV6_WALL_SCALE", None)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def T(self, name, mode, **kw):
        return Test(name=name, suite="fake", boot=f"run={mode} state={self.state}", **kw)

    def run_grade(self, tests, *args, qemu=None, limit=10):
        """grade.main() in a daemon thread, so a harness that fails to stop a
        QEMU makes the test fail instead of hanging the self-test run."""
        out, res = io.StringIO(), []
        th = threading.Thread(daemon=True, target=lambda: res.append(grade.main(
            ["--no-build", "-j", "4", *args], out=out, tests=tests,
            root=self.tmp, qemu=qemu or self.qemu)))
        th.start()
        th.join(timeout=limit)
        if th.is_alive():
            for f in os.listdir(self.state):
                if f.startswith("pid."):  # our own fake qemus only
                    try:
                        os.kill(int(f.split(".")[-1]), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            self.fail(f"harness hung; output so far:\n{out.getvalue()}")
        return res[0], out.getvalue()

    def log(self, name):
        with open(os.path.join(self.tmp, "build", "grade", "logs", name + ".log")) as f:
            return f.read()

    def test_pass_and_log(self):
        rc, out = self.run_grade([self.T("argv", "argv", budget=2.5,
                                         expect=[r"mv6 fake", r"^argv: "])])
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"(?m)^PASS argv \(\d+\.\d\ds\)$")
        log = self.log("argv")
        self.assertIn("# command: " + self.qemu, log)
        self.assertRegex(log, r"watchdog=2\.5'")
        self.assertIn("-icount shift=0,sleep=on", log)
        self.assertIn("argv: ", log)

    def test_no_icount_option(self):
        rc, _ = self.run_grade([self.T("argv", "argv", expect=["argv"])], "--no-icount")
        self.assertEqual(rc, 0)
        self.assertNotIn("-icount", self.log("argv"))

    def test_out_of_order_fails(self):
        rc, out = self.run_grade([self.T("order", "order", expect=["first", "second"])])
        self.assertEqual(rc, 1)
        self.assertIn("FAIL order", out)
        self.assertIn("/second/ not found after /first/", out)
        self.assertIn("    full log: build/grade/logs/order.log\n", out)

    def test_diff_in_output_json_and_junit(self):
        j, x = os.path.join(self.tmp, "r.json"), os.path.join(self.tmp, "j.xml")
        rc, out = self.run_grade([self.T("many", "lines", expect=["line 3", "line 99", "x"])],
                                 "--json", j, "--junit", x)
        self.assertEqual(rc, 1)
        diff = ["expected, in order:", "  /line 3/ matched line 4: line 3",
                "  /line 99/ NOT FOUND", "  /x/ not reached", "console after line 4:"] \
            + [f"| line {i}" for i in range(4, 19)] + ["(12 more lines)",
                                                       "full log: build/grade/logs/many.log"]
        self.assertIn("\n".join(f"    {l}" for l in diff) + "\n", out)
        with open(j) as f:
            self.assertTrue(json.load(f)["tests"][0]["output"].endswith("\n".join(diff)))
        with open(x) as f:
            self.assertIn("NOT FOUND", f.read())

    def test_forbidden_panic(self):
        rc, out = self.run_grade([self.T("p", "panic", expect=["mv6"])])
        self.assertEqual(rc, 1)
        self.assertIn("forbidden /^\\[kernel\\] panic/ matched line 2", out)
        self.assertIn("> [kernel] panic: boom", out)

    def test_forged_kernel_lines_are_not_the_kernels(self):
        rc, out = self.run_grade([self.T("f", "forged", expect=["mv6", "^hello: ok$"])])
        self.assertEqual(rc, 0, out)
        self.assertIn("1 passed, 0 failed", out)
        rc, out = self.run_grade([self.T("g", "forged", expect=[r"^\[kernel\] panic: forged"])])
        self.assertNotEqual(rc, 0, out)

    def test_timeout_kills_qemu(self):
        rc, out = self.run_grade([self.T("hang", "hang", wall=0.5, expect=["never"])])
        pids = [int(f.split(".")[-1]) for f in os.listdir(self.state) if f.startswith("pid.")]
        self.assertEqual(rc, 1)
        self.assertIn("FAIL hang", out)
        self.assertIn("timeout (wall backstop after 0.5s)", out)
        (pid,) = pids
        with self.assertRaises(ProcessLookupError):
            os.kill(pid, 0)

    def test_wall_scale_env(self):
        os.environ["MV6_WALL_SCALE"] = "0.5"
        rc, out = self.run_grade([self.T("hang", "hang", wall=1, expect=["never"])])
        self.assertIn("timeout (wall backstop after 0.5s)", out)

    def test_end_pattern_stops_qemu(self):
        start = time.monotonic()
        rc, out = self.run_grade([self.T("end", "end", end=r"^done$", expect=["done"])])
        self.assertEqual(rc, 0, out)
        self.assertLess(time.monotonic() - start, 5)
        self.assertIn("end pattern matched", self.log("end"))

    def test_input(self):
        rc, out = self.run_grade([self.T("echo", "echo", input=[(r"^\$ ", "hi there\n")],
                                         expect=[r"^\$ got: hi there$"], wall=5)])
        self.assertEqual(rc, 0, out)

    def test_input_never_triggered(self):
        rc, out = self.run_grade([self.T("noinput", "hello", input=[(r"^\$ ", "x\n")],
                                         expect=["hello"])])
        self.assertEqual(rc, 1)
        self.assertIn("input step /^\\$ / never triggered", out)

    def test_nonce_in_log_and_patterns_never_on_the_command_line_by_itself(self):
        rc, out = self.run_grade([self.T("n", "nonce arg=@NONCE@", repeat=2, end=r"^arg: @NONCE@$",
                                         expect=[r"^nonce: None$", r"^arg: @NONCE@$"])])
        self.assertEqual(rc, 0, out)
        nonces = []
        for i in (1, 2):
            log = self.log(f"n.{i}")
            (n,) = re.findall(r"(?m)^# nonce: ([0-9a-f]{16})$", log)
            self.assertNotIn("nonce=", log)                    # only where a test puts it
            self.assertIn(f"arg: {n}\n", log)
            self.assertIn("end pattern matched", log)
            nonces.append(n)
        self.assertNotEqual(*nonces)                           # fresh for every run

    def test_precomputed_output_fails(self):
        rc, out = self.run_grade([self.T("n", "nonce arg=x", end="^arg:", expect=["^arg: @NONCE@$"])])
        self.assertEqual(rc, 1)
        rc, out = self.run_grade([self.T("n", "nonce arg=@NONCE@", end="^arg:",
                                         forbid=["^arg: @NONCE@$"])])
        self.assertIn("forbidden /^arg: ", out)

    def test_nonce_in_input(self):
        rc, out = self.run_grade([self.T("ask", "ask arg=@NONCE@", input=[(r"say @NONCE@: $", "@NONCE@\n")],
                                         expect=[r"^say @NONCE@: got: @NONCE@$"], wall=5)])
        self.assertEqual(rc, 0, out)

    def test_a_failure_line_ends_the_run(self):
        t0 = time.monotonic()
        rc, out = self.run_grade([self.T("f", "failhang", forbid=["FAIL"], wall=30)], limit=20)
        self.assertEqual(rc, 1)
        self.assertLess(time.monotonic() - t0, 8)            # not the 30 s backstop
        self.assertIn("forbidden /FAIL/ matched line 2", out)
        self.assertIn("a forbidden line came, qemu killed", self.log("f"))
        self.assertIn("[kernel] after the failure", self.log("f"))   # what came right after is kept

    def test_guest_output_is_made_harmless(self):
        rc, out = self.run_grade([self.T("n", "nasty", wall=30, expect=["^never$"])], "--junit",
                                 os.path.join(self.tmp, "j.xml"), limit=30)
        self.assertEqual(rc, 1)
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\x00", out)
        log = self.log("n")
        self.assertNotIn("\x1b", log)
        self.assertIn("\\x1b[2J", log)
        self.assertLess(len(log), runner.LOG_CAP + 4096)
        self.assertIn("log cut at", log)
        import xml.etree.ElementTree as ET
        ET.parse(os.path.join(self.tmp, "j.xml"))

    def test_script_gets_nonce(self):
        with open(os.path.join(self.tmp, "script.py"), "w") as f:
            f.write("import os, sys\nopen(sys.argv[2], 'w').write(os.environ['MV6_NONCE'])\n"
                    "print('no good'); sys.exit(1)\n")
        rc, out = self.run_grade([Test(name="s", suite="fake", script="script.py")])
        self.assertEqual(rc, 1)
        self.assertRegex(self.log("s"), r"^[0-9a-f]{16}$")
        self.assertIn("FAIL s (", out)
        self.assertIn("): no good\n    full log: build/grade/logs/s.log\n", out)

    def test_lab_suite_runs_and_is_timed(self):
        write(self.tmp, "grade/suites/fake.py", f"""\
            from testlib import Test
            TESTS = [Test(name="k", suite="fake", boot="run=hello state={self.state}")]
            """)
        write(self.tmp, "labs/01-ipc/tests.py", f"""\
            from testlib import Test
            TESTS = [Test(name="l", suite="lab01", lab="01", boot="run=hello state={self.state}",
                          expect=["hello: ok"])]
            """)
        rc, out = self.run_grade(None)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"(?m)^suite fake: \d+\.\ds\nsuite lab01: \d+\.\ds$")
        rc, out = self.run_grade(None, "--lab", "01")
        self.assertRegex(out, r"(?m)^PASS l ")
        self.assertNotIn("PASS k", out)

    def test_absent_stages_are_left_out(self):
        write(self.tmp, "labs/01-ipc/stage.mk", "HOSTED_1 := mem proc fs console disk\n")
        j = os.path.join(self.tmp, "r.json")
        tests = [self.T("one", "hello", stage=1), self.T("four", "hello", stage=4),
                 self.T("four-b", "hello", stage=4)]
        rc, out = self.run_grade(tests, "--json", j)
        self.assertEqual(rc, 0, out)
        self.assertIn("note: 2 tests skipped: stage(s) 4 not in this tree "
                      "(they arrive with later labs)\n", out)
        self.assertEqual(out.splitlines()[-1], "1 passed, 0 failed")
        self.assertEqual(len(os.listdir(self.state)), 1)          # one QEMU ran
        with open(j) as f:
            self.assertEqual([t["name"] for t in json.load(f)["tests"]], ["one"])
        rc, out = self.run_grade(tests, "four*")    # a glob: a note, nothing run
        self.assertEqual((rc, out.splitlines()[-1]), (0, "0 passed, 0 failed"))
        with mock.patch("sys.stderr", new_callable=io.StringIO) as err:
            rc, out = self.run_grade(tests, "one", "four")
        self.assertEqual(rc, 2)
        self.assertEqual(err.getvalue(), "grade.py: error: test four needs stage 4, which is "
                         "not in this tree (it arrives with a later lab)\n")

    def test_crlf_and_bad_bytes(self):
        rc, out = self.run_grade([self.T("crlf", "crlf", expect=[r"^a$", "^b\ufffd$"])])
        self.assertEqual(rc, 0, out)

    def test_dependency_skipping(self):
        tests = [self.T("a", "panic"),
                 self.T("b", "hello", deps=["a"]),
                 self.T("c", "hello", deps=["b"]),
                 self.T("x", "panic"),
                 self.T("d", "hello", deps=["x"], expect=["hello"])]
        rc, out = self.run_grade(tests, "a", "b", "c", "d")   # x is not selected
        self.assertEqual(rc, 1)
        self.assertIn("SKIP b: skipped (dependency a failed)", out)
        self.assertIn("SKIP c: skipped (dependency b skipped)", out)
        self.assertRegex(out, r"(?m)^PASS d ")
        ran = {f.split(".")[1] for f in os.listdir(self.state)}
        self.assertEqual(ran, {"panic", "hello"})  # one each: a and d
        self.assertEqual(len(os.listdir(self.state)), 2)
        self.assertEqual(out.splitlines()[-1], "1 passed, 1 failed, 2 skipped")

    def test_repeat_all_pass(self):
        rc, out = self.run_grade([self.T("r", "hello", repeat=3, expect=["hello: ok"])])
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"PASS r \(.*3/3 runs\)")
        for i in (1, 2, 3):
            self.assertIn("hello: ok", self.log(f"r.{i}"))

    def test_repeat_one_failure_fails(self):
        rc, out = self.run_grade([self.T("r", "flaky", repeat=3, expect=["hello: ok"])])
        self.assertEqual(rc, 1)
        self.assertRegex(out, r"FAIL r \(.*2/3 runs\): run \d: expect 1/1")
        self.assertEqual(sorted(os.listdir(self.state))[-3:], ["run.1", "run.2", "run.3"])

    def test_summary_line(self):
        tests = [self.T("ok", "hello", expect=["hello: ok"], points=2),
                 self.T("bad", "hello", expect=["nope"], points=3)]
        rc, out = self.run_grade(tests)
        self.assertEqual(rc, 1)
        self.assertEqual(out.splitlines()[-1], "1 passed, 1 failed")
        self.assertIn("points: 2/5", out)
        self.assertRegex(out, r"(?m)^suite fake: \d+\.\ds$")
        self.assertRegex(out, r"(?m)^total: \d+\.\ds$")
        rc, out = self.run_grade(tests[:1])
        self.assertEqual((rc, out.splitlines()[-1]), (0, "1 passed, 0 failed"))

    def test_no_summary_line_when_nested(self):
        tests = [self.T("ok", "hello", expect=["hello: ok"])]
        summary_re = re.compile(r"(?m)^\d+ passed, \d+ failed")
        rc, out = self.run_grade(tests, "--nested")
        self.assertEqual(rc, 0)
        self.assertNotRegex(out, summary_re)
        os.environ["MV6_GRADE_NESTED"] = "1"
        rc, out = self.run_grade(tests)
        self.assertNotRegex(out, summary_re)
        self.assertIn("PASS ok", out)

    def test_mv6_qemu_env(self):
        os.environ["MV6_QEMU"] = self.qemu
        out = io.StringIO()
        rc = grade.main(["--no-build"], out=out, root=self.tmp,
                        tests=[self.T("h", "hello", expect=["hello: ok"])])
        self.assertEqual(rc, 0, out.getvalue())

    def test_missing_image_and_qemu(self):
        rc, out = self.run_grade([self.T("s2", "hello", stage=2)])
        self.assertIn("image not found", out)
        rc, out = self.run_grade([self.T("h", "hello")], qemu="/nonexistent/qemu")
        self.assertEqual(rc, 1)
        self.assertIn("cannot start qemu", out)

    @unittest.skipUnless(shutil.which("make"), "needs make")
    def test_build_failure(self):
        with open(os.path.join(self.tmp, "Makefile"), "w") as f:
            f.write(textwrap.dedent("""\
                .PHONY: build/s1/kernel-test build/s4/kernel-test
                build/s1/kernel-test:
                \t@echo "kernel/main.c:1: error: boom"; exit 1
                build/s4/kernel-test:
                \t@true
                """))
        tests = [self.T("one", "hello", stage=1), self.T("four", "hello", expect=["ok"])]
        out = io.StringIO()
        rc = grade.main([], out=out, tests=tests, root=self.tmp, qemu=self.qemu)
        out = out.getvalue()
        self.assertEqual(rc, 1)
        self.assertIn("kernel/main.c:1: error: boom", out)
        self.assertIn("FAIL one (0.00s): build failed", out)
        self.assertIn("PASS four", out)
        self.assertEqual(out.splitlines()[-1], "1 passed, 1 failed")


class SelectionTest(unittest.TestCase):
    tests = [Test(name=n, suite=s, stage=st) for n, s, st in
             [("boot", "kernel", 1), ("ipc-a", "kernel", 2), ("ipc-b", "ipc", 2), ("fs", "fs", 4)]]

    def names(self, *args, **kw):
        return [t.name for t in grade.select(self.tests, *args, **kw)]

    def test_select(self):
        self.assertEqual(self.names(["boot"]), ["boot"])
        self.assertEqual(self.names(["ipc-*"]), ["ipc-a", "ipc-b"])
        self.assertEqual(self.names(["kernel"]), ["boot", "ipc-a"])
        self.assertEqual(self.names(suites=["ipc", "fs"]), ["ipc-b", "fs"])
        self.assertEqual(self.names(stage=2), ["ipc-a", "ipc-b"])
        with self.assertRaises(grade.LoadError):
            grade.select(self.tests, ["nosuch"])

    def test_check(self):
        with self.assertRaises(grade.LoadError):
            grade.check([Test(name="a", suite="s", deps=["b"]),
                         Test(name="b", suite="s", deps=["a"])])
        with self.assertRaises(grade.LoadError):
            grade.check([Test(name="a", suite="s", deps=["zz"])])
        with self.assertRaises(grade.LoadError):
            grade.check([Test(name="a", suite="s"), Test(name="a", suite="t")])

    def test_real_suites_load(self):
        names = [t.name for t in grade.discover()]
        self.assertIn("boot", names)
        self.assertIn("boot-smp4", names)


def write(root, path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))


class LabsTest(unittest.TestCase):
    """labs/NN-topic/tests.py modules and labs/*/stage.mk stages, in a temporary tree."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="mv6-grade-labs-")
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        write(self.root, "grade/suites/k.py", """\
            from testlib import Test
            TESTS = [Test(name="a", suite="k")]
            """)

    def lab(self, test):
        write(self.root, "labs/01-ipc/tests.py", f"from testlib import Test\nTESTS = [{test}]\n")

    def test_lab_modules_load_after_suites(self):
        self.lab('Test(name="l1", suite="lab01", lab="01")')
        write(self.root, "labs/02-proc/tests.py", """\
            from testlib import Test
            TESTS = [Test(name="l2", suite="lab02", lab="02", deps=["l1"])]
            """)
        tests = grade.discover(self.root)
        self.assertEqual([(t.name, t.suite, t.lab) for t in tests],
                         [("a", "k", None), ("l1", "lab01", "01"), ("l2", "lab02", "02")])

    def test_lab_module_errors(self):
        for bad, msg in [('Test(name="l1", suite="lab02", lab="01")', "suite='lab02'"),
                         ('Test(name="l1", suite="lab01")', "lab=None"),
                         ('Test(name="l1", suite="lab01", lab="02")', "lab='02'"),
                         ('Test(name="a", suite="lab01", lab="01")', "duplicate"),
                         ('Test(name="l1", suite="lab01", lab="01", stage=9)', "labs/01-ipc/tests.py")]:
            self.lab(bad)
            with self.assertRaisesRegex(grade.LoadError, re.escape(msg)):
                grade.discover(self.root)
        shutil.rmtree(os.path.join(self.root, "labs"))
        write(self.root, "labs/ipc/tests.py", "TESTS = []\n")
        with self.assertRaisesRegex(grade.LoadError, "NN-topic"):
            grade.discover(self.root)

    def test_available_stages(self):
        self.assertEqual(grade.available_stages(self.root), {1, 2, 3, 4})   # no stage.mk
        write(self.root, "labs/01-ipc/stage.mk", "HOSTED_1 := mem proc fs console disk\n")
        write(self.root, "labs/02-proc/stage.mk", "# HOSTED_3 := mem\nHOSTED_2:=\n")
        write(self.root, "labs/03-fs/tests.py", "TESTS = []\n")
        self.assertEqual(grade.available_stages(self.root), {1, 2})
        write(self.root, "labs/04-mem/stage.mk", "HOSTED_4 :=\n")
        self.assertEqual(grade.available_stages(self.root), {1, 2, 4})


if __name__ == "__main__":
    unittest.main()
