"""Tests of mk/profile.py (make profile): a fixed kernel profile dump is symbolised
into the right functions and tasks, with shares over executed instructions only
(idle samples left out), and the SVG's bars add up to the table; the kernel's exact
count from a fixed QEMU log (-d in_asm,exec,nochain) counts each executed block's
instructions between the two marks, by the block's newest translation.

Run: python3 -m unittest discover -s grade -p 'test_profile.py'

The dump below has the form kernel/prof.c prints; the symbol tables are fixed `nm -n`
outputs. One test reads a real program's symbols with riscv64-unknown-elf-nm when
build/s4/bin/fs has been built (skipped, with the reason, otherwise)."""

import importlib.util
import os
import re
import shutil
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Loaded by path: "profile" is also a standard library module.
_spec = importlib.util.spec_from_file_location("mv6_profile", os.path.join(ROOT, "mk/profile.py"))
pf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pf)

LOG = """\
[kernel] prof: start hot, 10000 Hz
hot: working
[kernel] prof: samples 100 idle 40 kernel 6 lost 0
[kernel] prof: task 0 hot
[kernel] prof: task 1 fs
[kernel] prof: 0 0x0000000001000010 30
[kernel] prof: 0 0x000000000100001e 9
[kernel] prof: 0 0x0000000001000020 5
[kernel] prof: 1 0x0000000002000104 10
[kernel] prof: end
init: hot exited with status 0
"""

NM = {
    "hot": "0000000001000000 T main\n0000000001000010 t spin.constprop.0\n0000000001000020 T cold\n"
           "0000000001000030 D counter\n",
    "fs": "0000000002000000 T readi\n0000000002000100 T balloc\n",
}


# QEMU 7.2's log of a kernel run, cut down: blocks as translated ("IN:"), executions
# ("Trace"). prof_window is at 0x80001000; usertrap is translated twice.
QLOG = """\
IN: prof_window
Priv: 1; Virt: 0
0x0000000080001000:  8082              ret

IN: usertrap
Priv: 1; Virt: 0
0x0000000080002000:  1141              addi                    sp,sp,-16
0x0000000080002002:  e406              sd                      ra,8(sp)
0x0000000080002004:  e022              sd                      s0,0(sp)

Trace 0: 0x7f00 [0000000000000000/0000000080002000/0020f001/ff000200] usertrap
Trace 0: 0x7f10 [0000000000000000/0000000080001000/0020f001/ff000200] prof_window
Trace 0: 0x7f20 [0000000000000000/0000000080002000/0020f001/ff000200] usertrap
IN: usertrap
Priv: 1; Virt: 0
0x0000000080002000:  1141              addi                    sp,sp,-16
0x0000000080002002:  e406              sd                      ra,8(sp)

Trace 0: 0x7f30 [0000000000000000/0000000080002000/0020f001/ff000200] usertrap
Trace 1: 0x7f30 [0000000000000000/0000000080002000/0020f001/ff000200] usertrap
IN: trapvec
Priv: 1; Virt: 0
0x0000000080003000:  8082              ret

Trace 1: 0x7f40 [0000000000000000/0000000080003000/0020f001/ff000200] trapvec
Trace 0: 0x7f10 [0000000000000000/0000000080001000/0020f001/ff000200] prof_window
Trace 0: 0x7f50 [0000000000000000/0000000080003000/0020f001/ff000200] trapvec
"""
KNM = "0000000080001000 T prof_window\n0000000080002000 T usertrap\n0000000080003000 T trapvec\n"


def table_of(task):
    return pf.parse_nm(NM.get(task, ""))


class ProfileTest(unittest.TestCase):
    def setUp(self):
        self.p = pf.parse(LOG.split("\n"))
        self.rows = pf.rows(self.p, table_of)

    def test_parse(self):
        self.assertEqual((self.p.samples, self.p.idle, self.p.kernel, self.p.lost), (100, 40, 6, 0))
        self.assertEqual(self.p.tasks, {0: "hot", 1: "fs"})
        self.assertEqual(len(self.p.counts), 4)

    def test_no_dump(self):
        self.assertIsNone(pf.parse(["init: hot exited with status 0"]))

    def test_symbolised(self):
        # a function's last byte (0x100001e) is still that function; its start and the
        # next function's start are not confused; data symbols are not functions
        # (one sample is 100,000 instructions under -icount shift=0 at 10 kHz)
        self.assertEqual(self.rows, [(3900000, "hot", "spin"), (1000000, "fs", "balloc"),
                                     (600000, "kernel", "(kernel)"), (500000, "hot", "cold")])

    def test_unknown_pc(self):
        p = pf.parse(["prof: samples 1 idle 0 kernel 0 lost 0", "prof: task 0 ghost",
                      "prof: 0 0x0000000000000100 1"])
        self.assertEqual(pf.rows(p, table_of), [(100000, "ghost", "0x100")])

    def test_table_shares_exclude_idle(self):
        text = pf.table(self.p, self.rows)
        self.assertIn("6000000 instructions executed: user code 5400000 (from 54 samples", text)
        top = text.splitlines()[2].split()
        self.assertEqual(top, ["65.0%", "3900000", "hot", "spin"])    # 39 of 60 samples, not of 100

    def test_svg_bars_match_rows(self):
        svg = pf.svg(self.p, self.rows, "t")
        bars = re.findall(r'data-task="([^"]+)" data-insns="(\d+)" x="[\d.]+" y="\d+" width="([\d.]+)"', svg)
        self.assertEqual(sorted((t, int(n)) for t, n, _ in bars),
                         sorted((t, n) for n, t, _ in self.rows))
        widths = {t: 0.0 for t, _, _ in bars}
        for t, _, w in bars:
            widths[t] += float(w)
        self.assertAlmostEqual(sum(widths.values()), 760, delta=1)   # all executed instructions
        self.assertGreater(widths["hot"], widths["fs"])

    def test_kernel_exact(self):
        counts = pf.count_kernel(QLOG.split("\n"), 0x80001000)
        # before the first mark nothing counts; usertrap's first translation (3
        # instructions) ran once, its second (2) twice; trapvec once; after the
        # second mark nothing counts
        self.assertEqual(counts, {0x80002000: 3, 0x80002002: 3, 0x80002004: 1, 0x80003000: 1})
        kernel = pf.kernel_functions(counts, pf.parse_nm(KNM))
        self.assertEqual(kernel, {"usertrap": 7, "trapvec": 1})
        rs = pf.rows(self.p, table_of, kernel)
        self.assertIn((7, "kernel", "usertrap"), rs)
        self.assertNotIn("(kernel)", [f for _, _, f in rs])      # exact rows replace the estimate
        self.assertIn("counted exactly", pf.table(self.p, rs, kernel_exact=True))

    def test_kernel_exact_needs_both_marks(self):
        one_mark = QLOG[:QLOG.rindex("Trace 0: 0x7f10")]      # the run ended inside the window
        self.assertEqual(one_mark.count("/0000000080001000/"), 1)   # one mark executed
        self.assertIsNone(pf.count_kernel(one_mark.split("\n"), 0x80001000))

    @unittest.skipUnless(os.path.exists(os.path.join(ROOT, "build/s4/bin/fs"))
                         and shutil.which("riscv64-unknown-elf-nm"), "build/s4/bin/fs or nm missing")
    def test_real_elf(self):
        table = pf.symbols(os.path.join(ROOT, "build/s4/bin/fs"))
        starts, names = table
        self.assertIn("balloc", names)
        at = starts[names.index("balloc")]
        self.assertEqual(pf.lookup(table, at + 2), "balloc")


if __name__ == "__main__":
    unittest.main()
