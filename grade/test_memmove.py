"""Tests of kernel/memmove.h (the kernel's and the user library's memmove) on the host.

Run: python3 -m unittest discover -s grade -p 'test_memmove.py'

Compiles a small driver with the host cc (x86 and most hosts do misaligned loads and
stores, so both of memmove_words's ways run: aligned accesses with shifts, and
misaligned words) and copies, for every destination and source offset 0..15 and
lengths around every boundary of the word loop (its 128-word steps, the head and tail
bytes), within one buffer: apart, and overlapping either way. Each result is checked
against a byte-at-a-time reference, bytes around the destination included.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DRIVER = r'''
#include <stdio.h>
#include <string.h>
#include "kernel/memmove.h"

static unsigned char buf[8192], want[8192];
static unsigned seed = 1;
static unsigned char rnd(void) { seed = seed * 1103515245 + 12345; return seed >> 16; }

// One copy of n bytes from buf+s to buf+d; 0 if it matches the reference.
static int one(int misaligned, int d, int s, int n) {
  for (int i = 0; i < (int)sizeof buf; i++)
    buf[i] = want[i] = rnd();
  unsigned char tmp[8192];
  for (int i = 0; i < n; i++)
    tmp[i] = want[s + i];
  for (int i = 0; i < n; i++)
    want[d + i] = tmp[i];
  if (memmove_words(buf + d, buf + s, n, misaligned) != buf + d || memcmp(buf, want, sizeof buf) != 0) {
    printf("misaligned=%d dst=%d src=%d n=%d: wrong\n", misaligned, d, s, n);
    return 1;
  }
  return 0;
}

int main(void) {
  static const int lens[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1015, 1016, 1023, 1024,
                             1025, 1031, 1032, 2047, 2048, 2049, 3000};
  int bad = 0, runs = 0;
  for (int m = 0; m < 2; m++)
    for (int d = 0; d < 16; d++)
      for (int s = 0; s < 16; s++)
        for (unsigned k = 0; k < sizeof lens / sizeof lens[0]; k++) {
          int n = lens[k];
          bad += one(m, 64 + d, 4096 + s, n);               // apart, dst below
          bad += one(m, 4096 + d, 64 + s, n);               // apart, dst above
          bad += one(m, 64 + d, 64 + s + 5, n);             // overlapping, src just above
          bad += one(m, 64 + d + 5, 64 + s, n);             // overlapping, dst just above
          bad += one(m, 64 + d, 64 + s + 24, n);            // overlapping, src a few words above
          runs += 5;
        }
  printf("%d copies, %d wrong\n", runs, bad);
  return bad != 0;
}
'''


@unittest.skipUnless(shutil.which('cc'), 'no host cc')
class MemmoveTest(unittest.TestCase):
    def test_every_alignment_length_and_overlap(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, exe = os.path.join(tmp, 'driver.c'), os.path.join(tmp, 'driver')
            with open(src, 'w') as f:
                f.write(DRIVER)
            subprocess.run(['cc', '-O2', '-Wall', '-Werror', '-I', ROOT, '-o', exe, src],
                           check=True)
            r = subprocess.run([exe], capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout[-2000:])
            self.assertIn(', 0 wrong', r.stdout)


if __name__ == '__main__':
    unittest.main()
