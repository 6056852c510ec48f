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

// getpid: the process server's smallest request, the loop subtracted.
static uint64 getpid_cost(int n) {
  int pid = getpid(), bad = 0;
  uint64 t0 = busy_insns();
  for (int i = 0; i < n; i++)
    bad += getpid() != pid;
  uint64 calls = busy_insns() - t0;
  t0 = busy_insns();
  for (int i = 0; i < n; i++) {
    asm volatile("" : : : "memory");
    bad += pid < 0;
  }
  CHECK(bad == 0, "getpid changed");
  return (calls - (busy_insns() - t0)) / n;
}

// One byte to a child over one pipe and back over another, as xv6's figure is measured.
static uint64 pipe_roundtrip(int n) {
  int p[2], q[2];
  char c = 0;
  CHECK(pipe(p) == 0 && pipe(q) == 0, "pipes");
  int pid = fork();
  if (pid == 0) {
    close(p[1]);                               // so that our read sees the end
    while (read(p[0], &c, 1) == 1 && write(q[1], &c, 1) == 1)
      ;
    exit(0);
  }
  close(p[0]);
  close(q[1]);
  uint64 t0 = busy_insns();
  for (int i = 0; i < n; i++) {
    c = i;
    CHECK(write(p[1], &c, 1) == 1 && read(q[0], &c, 1) == 1 && c == (char)i, "round trip %d", i);
  }
  uint64 t = (busy_insns() - t0) / n;
  close(p[1]);
  wait(0);
  close(q[0]);
  return t;
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
    pipe_roundtrip(10);
    printf("bench: pipe_roundtrip %d instructions\n", (int)pipe_roundtrip(2000));
    test_done("procbench", 0);
    exit(0);
  }
  printf("bench: getpid %d instructions\n", (int)getpid_cost(20000));
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
