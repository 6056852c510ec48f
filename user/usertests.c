// usertests: the process and memory API end to end (fork, exec, exit, wait, kill,
// getpid, sleep, uptime, sbrk, copy-on-write), one line per case. Every case checks
// effects (values read back, statuses, the memory server's frame counts).
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/tests/testlib.h"
#include "servers/mem/mem.h"


// The memory server's counters: free frames, pages copied on write.
static void memstat(uint64 *free, uint64 *copied) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  ipc_call(EP_MEM, &m, 0);
  *free = m.w[0];
  *copied = m.w[1];
}

// Run f in a child; return its exit status (-1 if it was killed).
static int in_child(void (*f)(void)) {
  int pid = fork();
  if (pid == 0) {
    f();
    exit(0);
  }
  int status = 12345;
  int w = wait(&status);
  CHECK(w == pid, "wait returned %d, child was %d", w, pid);
  return status;
}

static void forktree(void) {
  int made = 0;
  for (int round = 0; round < 6; round++) {
    int pids[20];
    for (int i = 0; i < 20; i++) {
      pids[i] = fork();
      if (pids[i] == 0)
        exit(round * 20 + i);
      CHECK(pids[i] > 0, "fork %d failed", i);
      made++;
    }
    int seen = 0;
    for (int i = 0; i < 20; i++) {
      int status, w = wait(&status);
      for (int k = 0; k < 20; k++)
        if (pids[k] == w && status == round * 20 + k)
          seen++;
    }
    CHECK(seen == 20, "round %d: %d of 20 statuses went to the right pid", round, seen);
  }
  CHECK(wait(0) == -1, "wait with no children did not fail");
  printf("forktree: %d processes created and reaped\n", made);
}

static void grandchild(void) {
  int pid = fork();
  if (pid == 0) {
    sleep(3);
    exit(7);                       // an orphan by now: init reaps it
  }
  exit(0);
}

static void orphans(void) {
  uint64 f0, c0, f1, c1;
  memstat(&f0, &c0);
  CHECK(in_child(grandchild) == 0, "child failed");
  sleep(10);
  memstat(&f1, &c1);
  CHECK(f1 == f0, "after the orphan exited: %d frames free, %d before", (int)f1, (int)f0);
}

static void exec_args(void) {
  static char bufs[30][100];
  char *argv[32];
  argv[0] = "argtest";
  for (int i = 1; i < 30; i++) {
    for (int k = 0; k < i * 3 + 1; k++)
      bufs[i][k] = 'a' + i % 26;
    bufs[i][i * 3 + 1] = 0;
    argv[i] = bufs[i];
  }
  argv[30] = 0;
  int pid = fork();
  if (pid == 0) {
    exec("argtest", argv);
    exit(99);
  }
  int status;
  CHECK(wait(&status) == pid && status == 0, "argtest exited with %d", status);
  // bad path, too many arguments: -1, and we go on
  CHECK(exec("no-such-program", argv) == -1, "exec of a missing program");
  char *one[] = {"notelf", 0};
  CHECK(exec("notelf", one) == -1, "exec of a file that is not an ELF program");
  char *many[40];
  for (int i = 0; i < 39; i++)
    many[i] = "x";
  many[39] = 0;
  CHECK(exec("argtest", many) == -1, "exec with 39 arguments");
}

static void spin(void) {
  for (;;)
    ;
}

static void kills(void) {
  int pid = fork();
  if (pid == 0)
    spin();
  sleep(2);
  CHECK(kill(pid) == 0, "kill of a spinning child failed");
  int status;
  CHECK(wait(&status) == pid && status == -1, "spinner: status %d", status);
  pid = fork();
  if (pid == 0) {
    sleep(1000);                     // blocked in IPC with the process server
    exit(0);
  }
  sleep(2);
  CHECK(kill(pid) == 0, "kill of a sleeping child failed");
  CHECK(wait(&status) == pid && status == -1, "sleeper: status %d", status);
  CHECK(kill(pid) == -1, "a second kill did not fail");
}

static void heap(void) {
  char *a = sbrk(0);
  char *p = sbrk(10 * 4096);
  CHECK(p == a, "sbrk returned %p, break was %p", p, a);
  for (int i = 0; i < 10 * 4096; i++)
    p[i] = i * 7;
  int bad = 0;
  for (int i = 0; i < 10 * 4096; i++)
    bad += p[i] != (char)(i * 7);
  CHECK(bad == 0, "%d heap bytes wrong", bad);
  CHECK(sbrk(-8 * 4096) == a + 10 * 4096, "shrink");
  CHECK(sbrk(8 * 4096) == a + 2 * 4096, "grow again");
  CHECK(p[2 * 4096 + 5] == 0 && p[9 * 4096] == 0, "regrown pages are not zero");
  CHECK(p[4096 + 3] == (char)((4096 + 3) * 7), "kept page lost its data");
  sbrk(-10 * 4096);
  CHECK(sbrk(0) == a, "break not back");
}

static void beyond_heap(void) { printf("%d\n", *(volatile int *)(sbrk(0) + 10 * 4096)); }
static void write_text(void) { *(volatile int *)beyond_heap = 0; }
static int deep(int n) { volatile char pad[512]; pad[0] = n; return n == 0 ? 0 : deep(n - 1) + pad[0]; }
static void stack_guard(void) { printf("%d\n", deep(1000)); }

static void bad_memory(void) {
  CHECK(in_child(beyond_heap) == -1, "touching beyond the heap did not kill");
  CHECK(in_child(write_text) == -1, "writing to text did not kill");
  CHECK(in_child(stack_guard) == -1, "running off the stack guard did not kill");
}

static void hog(void) {
  int n = 0;
  while (sbrk(1 << 20) != (char *)-1) {
    char *top = sbrk(0);
    for (char *q = top - (1 << 20); q < top; q += 4096)
      *q = 1;
    n++;
  }
  printf("outofmemory: %d MiB allocated before sbrk failed\n", n);
  // sbrk counts only the growth against the free frames (as xv6's sbrkmuch expects),
  // so the hog got nearly all of them, and with a heap much larger than what is free
  // it can still grow by what is.
  uint64 free, copied;
  memstat(&free, &copied);
  char *top = sbrk(-(1 << 20));
  exit(n > 4 && free < 1024 && top != (char *)-1 && sbrk(4096) == top - (1 << 20) ? 0 : 1);
}

static void outofmemory(void) {
  uint64 f0, c0, f1, c1;
  memstat(&f0, &c0);
  CHECK(in_child(hog) == 0, "the hog did not get memory, or crashed");
  memstat(&f1, &c1);
  CHECK(f1 == f0, "after the hog: %d frames free, %d before", (int)f1, (int)f0);
}

static char *big;

static void cow_child(void) {
  uint64 f, c0, c1;
  memstat(&f, &c0);
  big[0] = 'c';                      // one page copied
  memstat(&f, &c1);
  exit(c1 - c0 == 1 && big[0] == 'c' ? 0 : 1);
}

static void cow(void) {
  big = sbrk(256 * 4096);
  for (int i = 0; i < 256; i++)
    big[i * 4096] = 'p';
  uint64 f0, c0, f1, c1;
  memstat(&f0, &c0);
  CHECK(in_child(cow_child) == 0, "the child's write did not copy exactly one page");
  CHECK(big[0] == 'p', "the child's write reached the parent");
  memstat(&f1, &c1);
  CHECK(c1 - c0 < 16, "a fork of a 256-page heap copied %d pages", (int)(c1 - c0));
  CHECK(f1 == f0, "after the child: %d frames free, %d before", (int)f1, (int)f0);
  big[1] = 'q';                      // ours again, no copy needed
  sbrk(-256 * 4096);
}

static void forkloop(void) {
  sleep(2);                          // tasks still being torn down (our exec's old one) finish
  uint64 f0, c0, f1, c1, k0 = kstat(STAT_FREEPAGES);
  memstat(&f0, &c0);
  for (int i = 0; i < 1000; i++) {
    int pid = fork();
    if (pid == 0)
      exit(0);
    if (pid < 0 || wait(0) != pid) {
      CHECK(0, "cycle %d failed", i);
      break;
    }
  }
  sleep(2);
  memstat(&f1, &c1);
  CHECK(f1 == f0, "after 1000 fork+exit: %d frames free, %d before", (int)f1, (int)f0);
  CHECK(kstat(STAT_FREEPAGES) == k0, "after 1000 fork+exit: %d kernel pages free, %d before",
        (int)kstat(STAT_FREEPAGES), (int)k0);
}

static void heapalloc(void) {
  uint64 f0, c0, f1, c1;
  memstat(&f0, &c0);
  char *blocks[64];
  for (int i = 0; i < 64; i++) {     // 4 MiB through malloc: it must grow the heap
    blocks[i] = malloc(64 * 1024);
    CHECK(blocks[i] != 0, "malloc %d failed", i);
    if (!blocks[i])
      return;
    memset(blocks[i], i, 64 * 1024);
  }
  for (int i = 0; i < 64; i++)
    CHECK(blocks[i][i * 997 % 65536] == (char)i, "block %d lost its contents", i);
  for (int i = 0; i < 64; i++)
    free(blocks[i]);
  memstat(&f1, &c1);
  CHECK(f0 - f1 >= 1000, "malloc of 4 MiB used only %d frames", (int)(f0 - f1));
}

static void clock(void) {
  int t0 = uptime();
  CHECK(sleep(5) == 0, "sleep failed");
  int t1 = uptime();
  CHECK(t1 - t0 >= 5 && t1 - t0 < 50, "slept %d ticks for 5", t1 - t0);
  CHECK(getpid() > 1, "getpid %d", getpid());
}

static struct test_case cases[] = {
  {"forktree", forktree}, {"orphans", orphans}, {"exec", exec_args}, {"kill", kills},
  {"sbrk", heap}, {"badmemory", bad_memory}, {"outofmemory", outofmemory}, {"cow", cow},
  {"forkloop", forkloop}, {"malloc", heapalloc}, {"clock", clock},
};

int main(int argc, char *argv[]) {
  exit(run_cases("usertests", "test", cases, sizeof cases / sizeof cases[0], argc, argv));
}
