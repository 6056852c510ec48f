// The workload of the crash tests (grade/crash.py): files c<k> of 1 to 8 KiB with
// known contents, each written in 1 KiB writes; older ones are unlinked. A verdict line
// is printed only after the calls it reports have returned, so every line seen is a
// durable fact, which code under test cannot invent.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/lib/verdict.h"

static char buf[1024];

static void fname(char *n, int k) {
  n[0] = 'c';
  n[1] = '0' + k / 100 % 10;
  n[2] = '0' + k / 10 % 10;
  n[3] = '0' + k % 10;
  n[4] = 0;
}

int main(int argc, char *argv[]) {
  char n[8];
  for (int k = 0; k < 1000; k++) {
    fname(n, k);
    int fd = open(n, O_CREATE | O_WRONLY), size = 1 + k % 8, ok = fd >= 0;
    for (int c = 0; c < size && ok; c++) {
      for (int i = 0; i < 1024; i++)
        buf[i] = (k * 31 + c * 7 + i) & 0xff;
      ok = write(fd, buf, 1024) == 1024;
    }
    ok = close(fd) == 0 && ok;
    if (!ok) {
      verdict("crashload: write failed");
      continue;
    }
    verdict("done %d %d", k, size * 1024);
    if (k >= 10) {
      fname(n, k - 10);
      if (unlink(n) == 0)
        verdict("gone %d", k - 10);
    }
  }
  verdict("crashload: finished");
  exit(0);
}
