#!/usr/bin/env python3
"""xv6-usertests.py: run xv6's own usertests on mv6 (make xv6-usertests XV6=dir).

Each test of xv6's user/usertests.c (the names come from its quicktests and
slowtests tables) runs in a boot of its own, on a fresh copy of the image, as
"xusertests NAME" started by init; it passes if xv6's runner started "test NAME: ",
printed "ALL TESTS PASSED" (the test's process exited with 0 and the free-page count
was back) and exited with status 0. (Kernel lines may come between "test NAME: " and
its "OK": a test that expects a process to be killed makes the kernel report it.)
Prints a line per test and "xv6 usertests: N/M passed"; exits 1 unless all passed.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuboot  # noqa: E402


def names(src):
    """The test names of usertests.c, in its order (quick tests, then slow ones)."""
    with open(src, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return re.findall(r"\{\s*\w+\s*,\s*\"(\w+)\"\s*\}", text)


def run(args, name):
    """One test in its own QEMU: (name, passed, the last lines of its output)."""
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, "fs.img")
        shutil.copy(args.img, img)
        out = qemuboot.console(args.kernel, f"prog=xusertests arg={name}", img, snapshot=False, cpus=args.cpus,
                               until=["init: xusertests exited"], wall=args.timeout)
    text = "\n".join(out)
    ok = (f"test {name}: " in text and "ALL TESTS PASSED" in text
          and "init: xusertests exited with status 0" in text)
    return name, ok, out[-8:]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kernel", required=True)
    p.add_argument("--img", required=True, help="an image with xusertests and echo on it")
    p.add_argument("--src", required=True, help="xv6's user/usertests.c (for the test names)")
    p.add_argument("--cpus", type=int, default=3)
    p.add_argument("-j", type=int, default=2, help="QEMUs at once")
    p.add_argument("--timeout", type=int, default=300, help="seconds per test")
    p.add_argument("-v", action="store_true", help="show the end of each failed test's output")
    p.add_argument("test", nargs="*")
    args = p.parse_args()
    tests = [t for t in names(args.src) if not args.test or t in args.test]
    passed = 0
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        for name, ok, tail in pool.map(lambda t: run(args, t), tests):
            passed += ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}", flush=True)
            if not ok and args.v:
                print("\n".join("    " + l for l in tail), flush=True)
    print(f"xv6 usertests: {passed}/{len(tests)} passed")
    return 0 if passed == len(tests) else 1


if __name__ == "__main__":
    raise SystemExit(main())
