// memuser: lab 04's test of memory as processes use it, through the process server
// (boot group "os"; init runs it: prog=memuser arg=CASE, or every case but threads
// without arg).
// Each case checks effects -- values read back, exit statuses, the memory
// subsystem's frame counts (MEM_STAT) -- and ends with the verdict line
// "memuser: CASE ok" only if every check passed.
#include "user/tests/testlib.h"
#include "user/lib/verdict.h"
#include "servers/mem/mem.h"

#define PAGE 4096

static struct msg memstat(void) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  ipc_call(EP_MEM, &m, 0);
  return m;
}
static uint64 nfree(void) { return memstat().w[0]; }
static uint64 ncopied(void) { return memstat().w[1]; }

static int64 mem(uint64 label, uint64 w0, uint64 w1) {
  char buf[64] = {0};
  struct msg m = {.tag = TAG(label, BUF_R, sizeof buf), .w = {w0, w1}};
  int64 r = ipc_call(EP_MEM, &m, buf);
  return r < 0 ? r : (short)TAG_LABEL(m.tag);
}

// Run f in a child; its exit status (-1 if it was killed).
static int in_child(void (*f)(void)) {
  int pid = fork();
  if (pid == 0) {
    f();
    exit(0);
  }
  int status = 12345;
  CHECK(pid > 0 && wait(&status) == pid, "fork or wait failed");
  return status;
}

// The heap grows lazily, shrinks (its frames go back) and grows again zeroed.
static void heap(void) {
  uint64 f0 = nfree();
  char *a = sbrk(0), *p = sbrk(10 * PAGE);
  CHECK(p == a, "sbrk returned %p, the break was %p", p, a);
  CHECK(nfree() == f0, "sbrk took %d frames before any page was touched", (int)(f0 - nfree()));
  for (int i = 0; i < 10 * PAGE; i++)
    p[i] = i * 7;
  CHECK(f0 - nfree() >= 10 && f0 - nfree() <= 12, "10 touched pages took %d frames", (int)(f0 - nfree()));
  int bad = 0;
  for (int i = 0; i < 10 * PAGE; i++)
    bad += p[i] != (char)(i * 7);
  CHECK(bad == 0, "%d heap bytes wrong", bad);
  uint64 f1 = nfree();
  CHECK(sbrk(-8 * PAGE) == a + 10 * PAGE, "shrink");
  CHECK(nfree() == f1 + 8, "shrinking by 8 pages freed %d frames", (int)(nfree() - f1));
  CHECK(sbrk(8 * PAGE) == a + 2 * PAGE, "grow again");
  CHECK(p[2 * PAGE + 5] == 0 && p[9 * PAGE] == 0, "regrown pages are not zero");
  CHECK(p[PAGE + 3] == (char)((PAGE + 3) * 7), "a kept page lost its data");
  sbrk(-10 * PAGE);
  CHECK(sbrk(0) == a, "the break is not back");
  CHECK(sbrk(-1 << 30) == (char *)-1, "shrinking below the heap did not fail");
  CHECK(sbrk(1 << 30) == (char *)-1, "growing beyond all memory did not fail");
  CHECK(nfree() <= f0 + 1 && nfree() + 1 >= f0, "%d frames free at the end, %d before", (int)nfree(), (int)f0);
}

static void beyond_heap(void) { printf("%d\n", *(volatile int *)(sbrk(0) + 10 * PAGE)); }
static void write_text(void) { *(volatile int *)beyond_heap = 0; }
static int deep(int n) { volatile char pad[512]; pad[0] = n; return n == 0 ? 0 : deep(n - 1) + pad[0]; }
static void stack_guard(void) { printf("%d\n", deep(1000)); }
// Faults that no page can mend, at addresses that are mapped and readable: an illegal
// instruction whose bits (stval) are an address in page_data, and a misaligned atomic
// there. A pager that resumes them loops forever.
static char page_data[256] __attribute__((aligned(128), used));
static void illegal(void) { asm volatile(".word page_data + 0x7f"); }   // opcode 0x7f: reserved
static void misaligned(void) { asm volatile("amoadd.w zero, %1, (%0)" : : "r"(page_data + 1), "r"(1) : "memory"); }

// A child that does something bad on its own stack (running off it reaches the guard
// page), with a watchdog thread: a refused fault kills the whole child (status -1); if
// the fault is resumed instead, the main thread faults on and on, and the watchdog,
// woken after 3 ticks, gets its turn (the same priority: round robin) and exits with 42.
static char watch_stack[4 * PAGE] __attribute__((aligned(16)));
static void watchdog(void *arg) {
  sleep(3);
  exit(42);
}

static int bad_child(void (*f)(void)) {
  int pid = fork();
  if (pid == 0) {
    thread_create(watchdog, 0, watch_stack, sizeof watch_stack, 4);
    f();
    for (;;)
      sleep(10);                       // it did no harm: the watchdog ends it
  }
  int status = 12345;
  CHECK(pid > 0 && wait(&status) == pid, "fork or wait failed");
  return status;
}

// Bad memory kills the process; a process may not manage spaces or get DMA frames.
static void badmemory(void) {
  static const struct {
    void (*f)(void);
    const char *what;
  } bad[] = {{beyond_heap, "touching beyond the heap"}, {write_text, "writing to program text"},
             {stack_guard, "running off the stack guard"}, {illegal, "an illegal instruction"},
             {misaligned, "a misaligned atomic"}};
  uint64 f0 = nfree();
  for (int i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int status = bad_child(bad[i].f);
    CHECK(status == -1, "%s did not kill (status %d)", bad[i].what, status);
    if (status != -1)
      return;
  }
  CHECK(nfree() == f0, "after the killed children: %d frames free, %d before", (int)nfree(), (int)f0);
  uint64 me = self_badge();
  EXPECT(mem(MEM_NEWAS, 0x656d, 0), E_PERM);
  EXPECT(mem(MEM_REGION, me, 0x70000000), E_PERM);
  EXPECT(mem(MEM_WRITE, me, (uint64)sbrk(0)), E_PERM);
  EXPECT(mem(MEM_FORK, me, 0), E_PERM);
  EXPECT(mem(MEM_FREE, me, 0), E_PERM);
  EXPECT(mem(MEM_DMA, 0x70000000, 1), E_PERM);
  CHECK(nfree() == f0, "the refused requests changed the free frames");
}

static void hog(void) {
  int n = 0;
  while (sbrk(1 << 20) != (char *)-1) {
    char *top = sbrk(0);
    for (char *q = top - (1 << 20); q < top; q += PAGE)
      *q = 1;
    n++;
  }
  exit(n > 4 ? 0 : 1);
}

// A child takes memory until sbrk fails; then every frame comes back.
static void outofmemory(void) {
  uint64 f0 = nfree();
  CHECK(in_child(hog) == 0, "the hog did not get memory, or crashed");
  CHECK(nfree() == f0, "after the hog: %d frames free, %d before", (int)nfree(), (int)f0);
}

static char *big;

static void cow_child(void) {
  uint64 c0 = ncopied();
  big[0] = 'c';                      // one page copied
  uint64 c1 = ncopied();
  big[1] = 'd';                      // ours now: no copy
  exit(c1 - c0 == 1 && ncopied() == c1 && big[0] == 'c' ? 0 : 1);
}

// fork copies almost nothing; a write copies one page and stays in the writer.
static void cow(void) {
  big = sbrk(256 * PAGE);
  for (int i = 0; i < 256; i++)
    big[i * PAGE] = 'p';
  uint64 f0 = nfree(), c0 = ncopied();
  CHECK(in_child(cow_child) == 0, "the child's writes did not copy exactly one page, once");
  CHECK(big[0] == 'p', "the child's write reached the parent");
  CHECK(ncopied() - c0 < 16, "a fork of a 256-page heap copied %d pages", (int)(ncopied() - c0));
  CHECK(nfree() == f0, "after the child: %d frames free, %d before", (int)nfree(), (int)f0);
  uint64 c1 = ncopied();
  big[PAGE] = 'q';                   // no longer shared: no copy
  CHECK(ncopied() == c1, "a write to a page no longer shared copied it");
  sbrk(-256 * PAGE);
}

// Many fork+exit cycles lose no frame and no kernel page.
static void forkloop(void) {
  sleep(2);                          // tasks still being torn down finish first
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  for (int i = 0; i < 300; i++) {
    int pid = fork();
    if (pid == 0)
      exit(0);
    if (pid < 0 || wait(0) != pid) {
      CHECK(0, "cycle %d failed", i);
      break;
    }
  }
  sleep(2);
  CHECK(nfree() == f0, "after 300 fork+exit: %d frames free, %d before", (int)nfree(), (int)f0);
  CHECK(kstat(STAT_FREEPAGES) == k0, "after 300 fork+exit: %d kernel pages free, %d before",
        (int)kstat(STAT_FREEPAGES), (int)k0);
}

// ---- threads: several processes whose threads fault at once, forks meanwhile ----

enum { NT = 3, TPAGES = 40 };
static char *area;                   // NT * TPAGES fresh heap pages
static uint64 key;
static volatile int finished;
static char stacks[NT][8192] __attribute__((aligned(16)));

static uint64 word(uint64 va) { return va * 0x9e3779b97f4a7c15UL ^ key; }

static void filler(void *arg) {
  uint64 *p = (uint64 *)(area + (uint64)arg * TPAGES * PAGE);
  for (int i = 0; i < TPAGES * 512; i++)
    p[i] = word((uint64)&p[i]);
  __atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
}

// NT threads fill their pages while the main thread forks; children write too.
static int fill_and_fork(void) {
  area = sbrk(NT * TPAGES * PAGE);
  finished = 0;
  for (int t = 0; t < NT; t++)
    if (thread_create(filler, (void *)(uint64)t, stacks[t], sizeof stacks[t], 4) < 0)
      return 1;
  int forks = 0;
  for (int i = 0; i < 6; i++) {
    int pid = fork();
    if (pid == 0) {
      area[i * PAGE + 8] = 1;        // its own copy
      exit(area[i * PAGE + 8] == 1 ? 0 : 1);
    }
    forks += pid > 0;
  }
  int bad = 0;
  for (int i = 0; i < forks; i++) {
    int status = -2;
    bad += wait(&status) < 0 || status != 0;
  }
  while (finished < NT)
    yield();
  uint64 *p = (uint64 *)area;
  for (int i = 0; i < NT * TPAGES * 512; i++)
    bad += p[i] != word((uint64)&p[i]);
  return bad != 0 || forks != 6;
}

static void group(void) { exit(fill_and_fork()); }

// Three processes (a child of ours and its two children), each with NT threads
// filling pages while it forks; run in a child, so that every frame comes back.
static void all_groups(void) {
  int pids[2], bad = 0;
  for (int i = 0; i < 2; i++) {
    pids[i] = fork();
    if (pids[i] == 0)
      group();
  }
  bad += fill_and_fork();
  for (int i = 0; i < 2; i++) {
    int status = -2;
    bad += pids[i] <= 0 || wait(&status) <= 0 || status != 0;
  }
  exit(bad != 0);
}

static void threads(void) {
  sleep(1);
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  key = verdict_random();
  CHECK(in_child(all_groups) == 0, "threads filling while their process forks: data lost, or a child failed");
  sleep(2);
  CHECK(nfree() == f0, "after the threads and forks: %d frames free, %d before", (int)nfree(), (int)f0);
  CHECK(kstat(STAT_FREEPAGES) == k0, "after the threads and forks: %d kernel pages free, %d before",
        (int)kstat(STAT_FREEPAGES), (int)k0);
}

static struct test_case cases[] = {
  {"sbrk", heap}, {"badmemory", badmemory}, {"outofmemory", outofmemory}, {"cow", cow},
  {"forkloop", forkloop}, {"threads", threads},
};

int main(int argc, char *argv[]) {
  int n = 0;
  for (int i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (argc > 1 ? strcmp(argv[1], cases[i].name) != 0 : cases[i].f == threads)
      continue;                      // threads: only by name (it wants two harts)
    int before = test_failures;
    cases[i].f();
    n++;
    if (test_failures == before) {
      verdict("memuser: %s ok", cases[i].name);
      continue;
    }
    printf("memuser: %s: FAIL\n", cases[i].name);
    break;                           // what follows would only take longer
  }
  CHECK(n > 0, "no case '%s'", argc > 1 ? argv[1] : "");
  exit(test_failures != 0);
}
