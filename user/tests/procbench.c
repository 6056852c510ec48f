// Process and memory benchmarks (run by init; CPUS=1 under -icount, where instret
// counts every instruction of the hart: kernel, servers and children included;
// idle time subtracted, see busy.h).
#include "user/tests/testlib.h"
#include "user/tests/busy.h"

#define N 200
#define PAGES 256

static uint64 fork_exit_wait(int n, int do_exec) {
  char *argv[] = {"nop", 0};
  uint64 t0 = busy_insns();
  for (int i = 0; i < n; i++) {
    int pid = fork();
    if (pid == 0) {
      if (do_exec)
        exec("nop", argv);
      exit(0);
    }
    int status = -1;
    if (wait(&status) != pid || status != 0)
      CHECK(0, "round %d: status %d", i, status);
  }
  return (busy_insns() - t0) / n;
}

// Touch one byte in each page: the first time each is a zero-fill fault.
static uint64 __attribute__((noinline)) touch(volatile char *p, int pages) {
  uint64 t0 = busy_insns();
  for (int i = 0; i < pages; i++)
    p[i * 4096] = i;
  return busy_insns() - t0;
}

// With an argument (run from the file system, `arg=fs`): fork+exec+wait of nop read
// from the disk (its file has symbols and debug information that exec skips), alone.
int main(int argc, char *argv[]) {
  if (argc > 1) {
    fork_exit_wait(2, 1);                      // nop's blocks in the file server's cache
    printf("bench: fork_exec_wait_fs %d instructions\n", (int)fork_exit_wait(N / 4, 1));
    test_done("procbench", 0);
    exit(0);
  }
  uint64 few = fork_exit_wait(N, 0);
  printf("bench: fork_exit_wait %d instructions\n", (int)few);
  uint64 fewx = fork_exit_wait(N / 4, 1);
  printf("bench: exec %d instructions\n", (int)(fewx - few));
  printf("bench: fork_exec_wait %d instructions\n", (int)fewx);
  // zero-fill faults, with the page tables already there (the first page made them)
  char *p = sbrk((PAGES + 1) * 4096);
  p = (char *)(((uint64)p + 4095) & ~4095UL);
  touch(p, 1);
  uint64 faults = touch(p + 4096, PAGES - 1), loop = touch(p + 4096, PAGES - 1);
  printf("bench: zero_fill_fault %d instructions\n", (int)((faults - loop) / (PAGES - 1)));
  // copy-on-write faults: a child writes to each page it shares with us
  int pid = fork();
  if (pid == 0) {
    uint64 cow = touch(p + 4096, PAGES - 1), loop2 = touch(p + 4096, PAGES - 1);
    printf("bench: cow_fault %d instructions\n", (int)((cow - loop2) / (PAGES - 1)));
    exit(0);
  }
  wait(0);
  test_done("procbench", 0);
  exit(0);
}
