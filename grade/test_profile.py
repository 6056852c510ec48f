"""Tests of mk/profile.py (make profile): a fixed kernel profile dump is symbolised
into the right functions and tasks, with shares over executed instructions only
(idle samples left out), and the SVG's bars add up to the table.

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
        self.assertEqual(self.rows, [(39, "hot", "spin"), (10, "fs", "balloc"),
                                     (6, "kernel", "(kernel)"), (5, "hot", "cold")])

    def test_unknown_pc(self):
        p = pf.parse(["prof: samples 1 idle 0 kernel 0 lost 0", "prof: task 0 ghost",
                      "prof: 0 0x0000000000000100 1"])
        self.assertEqual(pf.rows(p, table_of), [(1, "ghost", "0x100")])

    def test_table_shares_exclude_idle(self):
        text = pf.table(self.p, self.rows)
        self.assertIn("60 executing", text)
        top = text.splitlines()[2].split()
        self.assertEqual(top, ["65.0%", "39", "hot", "spin"])    # 39 of 60, not of 100

    def test_svg_bars_match_rows(self):
        svg = pf.svg(self.p, self.rows, "t")
        bars = re.findall(r'data-task="([^"]+)" data-samples="(\d+)" x="[\d.]+" y="\d+" width="([\d.]+)"', svg)
        self.assertEqual(sorted((t, int(n)) for t, n, _ in bars),
                         sorted((t, n) for n, t, _ in self.rows))
        widths = {t: 0.0 for t, _, _ in bars}
        for t, _, w in bars:
            widths[t] += float(w)
        self.assertAlmostEqual(sum(widths.values()), 760, delta=1)   # all executing samples
        self.assertGreater(widths["hot"], widths["fs"])

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
