"""Self-tests of the verdict keys (keys.py) and the image reader (fsimg.py).
Run: python3 -m unittest discover -s grade -p 'test_*.py'; MV6_SLOW_TESTS=1 adds the
ones that need a built stage 4 and QEMU."""

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fsimg  # noqa: E402
import keys   # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
S4 = os.path.join(ROOT, "build", "s4")


class Tags(unittest.TestCase):
    def test_verify(self):
        k = keys.new_key()
        good = f"usertests: fork ok #mv6:{keys.tag(k, 'usertests: fork ok')}"
        texts, bad = keys.verified(["noise", good, "usertests: fork ok", "x #mv6:" + "0" * 32], k)
        self.assertEqual(texts, ["usertests: fork ok"])
        self.assertEqual(bad, 1)

    def test_other_key_or_text_fails(self):
        k, other = keys.new_key(), keys.new_key()
        line = f"a: ok #mv6:{keys.tag(other, 'a: ok')}"
        self.assertEqual(keys.verified([line], k), ([], 1))
        moved = f"b: ok #mv6:{keys.tag(k, 'a: ok')}"
        self.assertEqual(keys.verified([moved], k), ([], 1))
        self.assertEqual(keys.verified([line], None), ([], 1))

    def test_slot(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"x" * 100 + keys.MARKER + b"y")
            f.flush()
            self.assertEqual(keys.slot_in(f.name), 100)
            f.write(keys.MARKER)
            f.flush()
            self.assertRaises(keys.KeyError_, keys.slot_in, f.name)


@unittest.skipUnless(os.environ.get("MV6_SLOW_TESTS") and os.path.exists(os.path.join(S4, "kernel-test")),
                     "needs MV6_SLOW_TESTS=1 and a built stage 4")
class Images(unittest.TestCase):
    def ring(self):
        keyed = subprocess.run(["make", "-s", "STAGE=4", "print-keyed"], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True, check=True).stdout.split()
        return keys.Keyring(S4, keyed)

    def boot_hello(self, image):
        p = subprocess.run(["timeout", "60", "qemu-system-riscv64", "-machine", "virt", "-bios", "default",
                            "-m", "128M", "-smp", "1", "-nographic", "-monitor", "none", "-serial", "stdio",
                            "-no-reboot", "-kernel", image, "-append", "run=hello watchdog=5"],
                           stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=90)
        return p.stdout.decode("utf-8", "replace").replace("\r", "").splitlines()

    def test_run_key_reaches_the_programs(self):
        ring = self.ring()
        self.assertIn("hello", ring.slots)
        k = keys.new_key()
        with tempfile.TemporaryDirectory() as d:
            kernel, disk = ring.prepare(os.path.join(S4, "kernel-test"), True, d, k)
            fs = fsimg.Image(open(disk, "rb").read())
            h = fs.file("/hello")
            self.assertEqual(h[ring.slots["hello"]:ring.slots["hello"] + keys.SLOT], k)
            with open(os.path.join(S4, "fs.img"), "rb") as f:
                self.assertIn(keys.MARKER, f.read())          # the build's own copy is untouched
            # hello, from the boot image, tags its verdict with this run's key
            self.assertEqual(keys.verified(self.boot_hello(kernel), k), (["hello: ok"], 0))
        # the image as built (its slot still the marker) makes tags that count for nothing
        self.assertEqual(keys.verified(self.boot_hello(os.path.join(S4, "kernel-test")), k), ([], 1))


if __name__ == "__main__":
    unittest.main()
