// The workload of the crash tests (grade/crash.py): files c<k> (k at least 3 digits)
// of 1 to 8 KiB with known contents, and every 16th of 270 KiB (past the indirect
// block, into the doubly-indirect one), each written in 1 KiB writes; older ones are
// unlinked; argv[1] files in all (1000), or with "rs", until the rskiller task (the
// supervisor's test) is gone and 20 more, or with "pair", 1000 written by two
// processes at once (the even and the odd ones: their writes may share commits). A
// verdict line is printed only after the calls it reports have returned, so every line
// seen is a durable fact, which code under test cannot invent. After a failed file it waits 10 ms (a server may be restarting).
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"

static char buf[1024];

static void fname(char *n, int k) {
  int d = k >= 10000 ? 5 : k >= 1000 ? 4 : 3;
  n[0] = 'c';
  for (int i = d; i > 0; i--, k /= 10)
    n[i] = '0' + k % 10;
  n[d + 1] = 0;
}

static void sleep_ms(int ms) {
  uint64 ep = ep_create();
  struct msg m;
  alarm_ns(ep, 1, ms * 1000000ULL);
  ipc_recv(ep, &m);
  ep_destroy(ep);
}

int main(int argc, char *argv[]) {
  char n[8];
  int rs = argc > 1 && strcmp(argv[1], "rs") == 0, pair = argc > 1 && strcmp(argv[1], "pair") == 0;
  int files = rs ? 100000 : argc > 1 && !pair ? atoi(argv[1]) : 1000, first = 0, step = 1;
  if (pair) {
    step = 2;
    first = fork() == 0;          // the child writes the odd files
  }
  for (int k = first; k < files && k < 100000; k += step) {
    if (rs && task_find("rskiller") < 0) {
      rs = 0;
      files = k + 20;
    }
    fname(n, k);
    int fd = open(n, O_CREATE | O_WRONLY), size = k % 16 == 15 ? 270 : 1 + k % 8, ok = fd >= 0;
    for (int c = 0; c < size && ok; c++) {
      for (int i = 0; i < 1024; i++)
        buf[i] = (k * 31 + c * 7 + i) & 0xff;
      ok = write(fd, buf, 1024) == 1024;
    }
    ok = close(fd) == 0 && ok;
    if (!ok) {
      verdict("crashload: write failed");
      sleep_ms(10);
      continue;
    }
    verdict("done %d %d", k, size * 1024);
    if (k >= 10) {
      fname(n, k - 10);
      if (unlink(n) == 0)
        verdict("gone %d", k - 10);
      else                            // the file server died in it: done or not
        verdict("unlink failed %d", k - 10);
    }
  }
  if (pair && first)
    exit(0);
  if (pair)
    wait(0);
  verdict("crashload: finished");
  exit(0);
}
