"""Tests of mk/trace.py (make trace): the arrows of the sequence diagram match the
kernel's IPC trace they come from, and the SVG renders in headless Chromium.

Run: python3 -m unittest discover -s grade -p 'test_trace.py'

The log below is a real console log of `make trace` (traceme read), shortened, with
lines around the two marks that must stay out of the picture. The render test is
skipped, with the reason printed, when no Chromium is installed (Debian: chromium).
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "mk"))
import trace as tr   # noqa: E402  (mk/trace.py)

LOG = """\
[kernel] ipc: call traceme -> ep 6 label 1 len 10
[kernel] ipc: copy_from traceme -> fs len 10
[kernel] ipc: reply fs -> traceme label 0
[kernel] ipc: call proc -> ep 7 label 7 len 0
[kernel] ipc: reply mem -> proc label 0
[kernel] ipc: notify traceme -> traceme bits 1
[kernel] ipc: call traceme -> ep 6 label 2 len 512
[kernel] ipc: call fs -> ep 9 label 1 len 1024
[kernel] ipc: notify irq1 -> disk bits 1
[kernel] ipc: copy_to disk -> fs len 1024
[kernel] ipc: reply disk -> fs label 0
[kernel] ipc: call traceme -> ep 7 label 65534 len 0
[kernel] ipc: reply mem -> traceme label 65531
some console text [kernel] ipc: copy_to fs -> traceme len 512
[kernel] ipc: reply fs -> traceme label 0
[kernel] ipc: notify traceme -> traceme bits 2
[kernel] ipc: call traceme -> ep 6 label 4 len 0
[kernel] ipc: reply fs -> traceme label 0
""".split("\n")

# What the diagram must show: (kind, from, to, label), in order.
ARROWS = [
    ("call", "traceme", "fs", "FS_READ (512 B buffer)"),
    ("call", "fs", "disk", "DISK_READ (1024 B buffer)"),
    ("notify", "irq1", "disk", "bit 0"),
    ("copy", "disk", "fs", "copy_to 1024 B"),
    ("reply", "disk", "fs", "ok"),
    ("call", "traceme", "mem", "page fault"),     # ep 7 learned from proc's call before
    ("reply", "mem", "traceme", "E_NOTPRESENT"),
    ("copy", "fs", "traceme", "copy_to 512 B"),
    ("reply", "fs", "traceme", "ok"),
]


# A stage that hosts proc and mem in the kernel, and a forked child (also traceme)
# whose exit is never answered: guessing the receiver from the first reply to a
# task's name would call ep 5 "kernel:mem" here.
HOSTED_LOG = """\
[kernel] ipc: call traceme -> ep 5 label 2 len 0
[kernel] ipc: call traceme -> ep 7 label 65534 len 0
[kernel] ipc: reply kernel:mem -> traceme label 0
[kernel] ipc: notify traceme -> traceme bits 1
[kernel] ipc: call traceme -> ep 5 label 1 len 0
[kernel] ipc: reply kernel:proc -> traceme label 0
[kernel] ipc: call traceme -> ep 6 label 2 len 512
[kernel] ipc: copy_to kernel:fs -> traceme len 512
[kernel] ipc: reply kernel:fs -> traceme label 0
[kernel] ipc: notify traceme -> traceme bits 2
""".split("\n")


def events():
    return tr.window(LOG, tr.parse(LOG), "traceme")


class TraceTest(unittest.TestCase):
    def test_events_match_trace(self):
        got = [(e.kind, e.src, e.dst, e.text) for e in events()]
        self.assertEqual(got, ARROWS)

    def test_svg_arrows_match_trace(self):
        svg = tr.svg(events(), "t")
        lines = re.findall(r'<line class="arrow (\w+)" data-src="([^"]*)" data-dst="([^"]*)"', svg)
        self.assertEqual(lines, [(k, s, d) for k, s, d, _ in ARROWS])
        for _, _, _, label in ARROWS:
            self.assertIn(label, svg)
        tasks = re.findall(r'<text x="\d+" y="48" text-anchor="middle">([^<]*)</text>', svg)
        self.assertEqual(tasks, ["traceme", "fs", "disk", "irq1", "mem"])

    def test_kernel_hosted_receivers(self):
        got = [(e.kind, e.src, e.dst, e.text) for e in tr.window(HOSTED_LOG, tr.parse(HOSTED_LOG), "traceme")]
        self.assertEqual(got, [
            ("call", "traceme", "kernel:proc", "PROC_FORK"),
            ("reply", "kernel:proc", "traceme", "ok"),
            ("call", "traceme", "kernel:fs", "FS_READ (512 B buffer)"),
            ("copy", "kernel:fs", "traceme", "copy_to 512 B"),
            ("reply", "kernel:fs", "traceme", "ok")])

    def test_text_lists_each_arrow(self):
        out = tr.text(events()).splitlines()
        self.assertEqual(len(out), len(ARROWS))
        self.assertRegex(out[0], r"^\s*1\s+traceme -> fs\s+call FS_READ")
        self.assertRegex(out[4], r"^\s*5\s+fs <- disk\s+reply ok")

    def test_without_marks_the_programs_run(self):
        log = ["init: pid 1, starting cat"] + [x for x in LOG if "traceme -> traceme" not in x] + \
              ["init: cat exited with status 0", "[kernel] ipc: call init -> ep 6 label 3 len 8"]
        got = tr.window(log, tr.parse(log), "cat")
        self.assertEqual(len(got), 16)     # every event but the marks and after the exit


def png_pixels(path):
    """The distinct colours of an 8-bit RGB(A) PNG's filtered rows (enough to tell a
    blank image from a drawing)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, colours = 8, b"", set()
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw = zlib.decompress(idat)
    for i in range(0, len(raw) - 3, 997):
        colours.add(raw[i:i + 3])
    return colours


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class RenderTest(unittest.TestCase):
    @unittest.skipUnless(CHROMIUM, "no chromium installed (apt-get install chromium): "
                                   "SVG render check skipped")
    def test_svg_renders_in_headless_chromium(self):
        with tempfile.TemporaryDirectory() as d:
            tr.write(LOG, os.path.join(d, "t"), "traceme", "render test")
            base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={d}/p"]
            url = "file://" + os.path.join(d, "t.svg")
            dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True,
                                 timeout=120).stdout
            self.assertNotIn("parsererror", dom)       # an XML error shows as this element
            self.assertEqual(dom.count('class="arrow'), len(ARROWS))
            png = os.path.join(d, "t.png")
            subprocess.run(base + [f"--screenshot={png}", "--window-size=800,400", url],
                           capture_output=True, timeout=120)
            self.assertTrue(os.path.exists(png), "chromium wrote no screenshot")
            self.assertGreater(len(png_pixels(png)), 3, "the screenshot is blank")


if __name__ == "__main__":
    unittest.main()
