// memproc: lab 04's test of the memory protocol, at every stage. It stands in for the
// process server (boot group "mp": it owns EP_PROC), so the memory subsystem --
// kernel/kmem.c at stages 1-3, the memory server at stage 4 -- takes its MEM_*
// requests. It builds address spaces with them, loads its own program into each,
// and runs threads there ("kids") that do what it tells them and report by IPC:
// each report is a call to memproc's endpoint, and the reply is the kid's next order.
// Every effect is checked: the data, which faults are resumed and which kill, what
// copy-on-write copies, who may ask what, bulk-copy errors, and that every frame
// comes back. case=NAME on the kernel command line picks the case; it ends with the
// verdict line "memproc: NAME ok" only if every check passed, else with FAIL lines.
#include "user/tests/testlib.h"
#include "user/lib/verdict.h"
#include "servers/mem/mem.h"
#include "servers/mem/pages.h"
#include "kernel/elf.h"

#define PAGE     4096UL
#define IMG_VA   0x50000000UL    // the boot image, in memproc (read-only)
#define DMA_VA   0x58000000UL    // memproc's DMA pages, and a second view of them
#define DMA_VA2  0x59000000UL
#define UNMAPPED 0x5f000000UL    // never mapped in memproc
// A kid's address space, besides its program:
#define HEAP_VA  0x48000000UL    // the heap (the break starts here)
#define DATA_VA  0x60000000UL    // a read-write region of DATA_PAGES
#define DATA_PAGES 256
#define RO_VA    0x61000000UL    // a read-only region of one page
#define NOWHERE  0x70000000UL    // in no region
#define KID_STACK_PAGES 16      // a kid's stack region (a process's is STACK_PAGES)
#define STACK_LO (USTACK_TOP - KID_STACK_PAGES * PAGE)
#define KID_STACK(i) (USTACK_TOP - (i) * 4 * PAGE - 64)   // thread i's stack (i < 4)
#define WAIT_NS  50000000UL      // how long a kid may take to answer (guest time)
#define QUIET_NS 10000000UL      // no answer for this long: the kid is stuck (or waits)

// ---- the kids: threads in spaces memproc builds, running this program ----

enum { K_READY = 1, K_DONE, K_OFFER };                   // report labels
enum { C_ZERO = 1, C_FILL, C_SUM, C_POKE, C_PEEK, C_SBRK, C_BAD, C_REQ, C_SPIN, C_EXIT, C_HASH, C_OFFER, C_TOUCH };

static uint64 pattern(uint64 seed, uint64 va) { return (va * 0x9e3779b97f4a7c15UL) ^ seed; }

static uint64 hash(const unsigned char *p, uint64 n) {
  uint64 h = 14695981039346656037UL;
  for (uint64 i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211UL;
  return h;
}

// An access that must kill the kid (C_BAD n).
__attribute__((noinline)) void bad(int n) {
  switch (n) {
  case 0: *(volatile uint64 *)bad = 0; break;                      // store into its text
  case 1: ((void (*)(void))DATA_VA)(); break;                      // run its data
  case 2: (void)*(volatile uint64 *)NOWHERE; break;                // load from no region
  case 3: *(volatile uint64 *)(STACK_LO - 8) = 0; break;          // store in the stack's guard
  case 4: (void)*(volatile uint64 *)((uint64)sbrk(0) + 16 * PAGE); break;   // load beyond the break
  case 5: *(volatile uint64 *)RO_VA = 1; break;                    // store into a read-only region
  }
}

// Touch fresh heap pages over and over (C_SPIN): faults until the kid is killed.
static void spin(void) {
  for (;;) {
    volatile char *p = sbrk(4 * PAGE);
    if (p == (char *)-1)
      continue;
    for (int i = 0; i < 4; i++)
      p[i * PAGE] = i;
    sbrk(-4 * (int)PAGE);
  }
}

static uint64 offer_va, offer_len;    // the kid's next report offers this buffer (C_OFFER)

// One order: w0, w1, w2 are its arguments; the result goes back in the next report.
static uint64 run(struct msg *m) {
  uint64 *p = (uint64 *)m->w[0], n = m->w[1], seed = m->w[2], bad_words = 0;
  switch (msg_label(m)) {
  case C_ZERO:                  // words that are not 0 in n pages at p
    for (uint64 i = 0; i < n * 512; i++)
      bad_words += p[i] != 0;
    return bad_words;
  case C_TOUCH:                 // one word of each of n pages: those that are not 0
    for (uint64 i = 0; i < n; i++)
      bad_words += p[i * 512] != 0;
    return bad_words;
  case C_FILL:
    for (uint64 i = 0; i < n * 512; i++)
      p[i] = pattern(seed, (uint64)&p[i]);
    return 0;
  case C_SUM:                   // words that differ from the pattern
    for (uint64 i = 0; i < n * 512; i++)
      bad_words += p[i] != pattern(seed, (uint64)&p[i]);
    return bad_words;
  case C_POKE: *p = n; return 0;
  case C_PEEK: return *p;
  case C_SBRK: return (uint64)sbrk((int)(int64)m->w[0]);
  case C_BAD: bad((int)m->w[0]); return 12345;
  case C_REQ: {                 // a memory request of our own: its reply label
    char buf[64] = {0};
    struct msg q = {.tag = TAG(m->w[0], BUF_R, sizeof buf), .w = {m->w[1], m->w[2], m->w[3]}};
    int64 r = ipc_call(EP_MEM, &q, buf);
    return r < 0 ? (uint64)r : (uint64)(int64)(short)TAG_LABEL(q.tag);
  }
  case C_SPIN: spin(); return 0;
  case C_EXIT: thread_exit(); return 0;
  case C_HASH: return hash((const unsigned char *)p, n);
  case C_OFFER: offer_va = (uint64)p, offer_len = n; return 0;
  }
  return 999;
}

static void kid(uint64 ep) {
  struct msg m = {.tag = TAG(K_READY, 0, 0)};
  for (;;) {
    uint64 va = offer_va;
    offer_va = 0;
    if (ipc_call(ep, &m, (void *)va) < 0)
      thread_exit();
    uint64 r = run(&m);
    m = (struct msg){.tag = offer_va ? TAG(K_OFFER, BUF_W, offer_len) : TAG(K_DONE, 0, 0), .w = {r}};
  }
}

// ---- memproc: the stand-in process server ----

static uint64 rep_ep;                 // kids report here
static uint64 seed;                   // fresh data for this run
static const unsigned char *self_img; // this program's ELF image

struct kid {
  uint64 task;
  uint64 token;                       // its thread's last report, waiting for an order
};

static const char *case_name;

// The end: the verdict if every check passed. A case that fails stops at its first
// stuck kid (finish(), through stop_if_failed()): what follows would only wait.
static void finish(void) {
  if (test_failures)
    printf("memproc: %s: FAIL (%d checks failed)\n", case_name, test_failures);
  else
    verdict("memproc: %s ok", case_name);
  poweroff(test_failures != 0);
}

static void stop_if_failed(void) {
  if (test_failures)
    finish();
}

static int64 mem(uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, void *buf, uint64 len, int rights) {
  struct msg m = {.tag = TAG(label, rights, len), .w = {w0, w1, w2, w3}};
  int64 r = ipc_call(EP_MEM, &m, buf);
  if (r < 0)
    return r;
  return TAG_LABEL(m.tag) ? (int64)(short)TAG_LABEL(m.tag) : (int64)m.w[0];
}

static uint64 nfree(void) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  ipc_call(EP_MEM, &m, 0);
  return m.w[0];
}

static uint64 ncopied(void) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  ipc_call(EP_MEM, &m, 0);
  return m.w[1];
}

static uint64 nzeroed(void) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  ipc_call(EP_MEM, &m, 0);
  return m.w[2];
}

// The next report from any kid: its token (m->badge: the kid's task), or 0 if none
// came within ns.
static int64 report(struct msg *m, uint64 ns) {
  uint64 deadline = time_ns() + ns;
  alarm_ns(rep_ep, 1, ns);
  for (;;) {
    int64 t = ipc_recv(rep_ep, m);
    if (t > 0)
      return t;
    if (time_ns() >= deadline)
      return 0;
    alarm_ns(rep_ep, 1, deadline - time_ns());   // an old alarm: wait on
  }
}

static void order(uint64 token, int cmd, uint64 a, uint64 b, uint64 c, uint64 d) {
  struct msg m = {.tag = TAG(cmd, 0, 0), .w = {a, b, c, d}};
  ipc_reply(token, &m);
}

// Give k an order and wait for its result (the only kid at work).
static uint64 ask(struct kid *k, int cmd, uint64 a, uint64 b, uint64 c, uint64 d) {
  struct msg m;
  order(k->token, cmd, a, b, c, d);
  k->token = report(&m, WAIT_NS);
  CHECK(k->token, "kid %x: no answer to order %d", (int)k->task, cmd);
  CHECK(!k->token || m.badge == k->task, "order %d: the answer came from task %x", cmd, (int)m.badge);
  stop_if_failed();
  return m.w[0];
}

// A thread in k's task, running kid() on stack slot i; 0 once it reported.
static int start_thread(struct kid *k, int i) {
  struct msg m;
  if (thread_start(k->task, (uint64)kid, KID_STACK(i), rep_ep, 4) < 0)
    return -1;
  int64 t = report(&m, WAIT_NS);
  if (!t || m.badge != k->task || msg_label(&m) != K_READY)
    return -1;
  k->token = t;
  return 0;
}

// Load this program into task: its segments, as exec does.
static int load(uint64 task) {
  const struct elfhdr *eh = (const void *)self_img;
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const void *)(self_img + eh->phoff + i * sizeof *ph);
    if (ph->type != ELF_PROG_LOAD || ph->memsz == 0)
      continue;
    int flags = MEM_R | (ph->flags & 2 ? MEM_W : 0) | (ph->flags & 1 ? MEM_X : 0);
    if (mem(MEM_REGION, task, ph->vaddr, ph->memsz, flags, 0, 0, 0) < 0 ||
        (ph->filesz && mem(MEM_WRITE, task, ph->vaddr, 0, 0, (void *)(self_img + ph->off), ph->filesz, BUF_R) < 0))
      return -1;
  }
  return 0;
}

// A new space with this program, a heap, a read-write and a read-only region and a
// stack, and a thread in it that reported (or the case stops).
static void kid_new(struct kid *k, const char *name) {
  uint64 n[2] = {0, 0};
  for (int i = 0; i < 15 && name[i]; i++)
    n[i / 8] |= (uint64)(uint8)name[i] << (8 * (i % 8));
  int64 t = mem(MEM_NEWAS, n[0], n[1], 0, 0, 0, 0, 0);
  CHECK(t > 0, "MEM_NEWAS: %s", errstr(t));
  stop_if_failed();
  k->task = t;
  int ok = load(t) == 0 && mem(MEM_REGION, t, HEAP_VA, 0, MEM_HEAP, 0, 0, 0) == 0 &&
           mem(MEM_REGION, t, DATA_VA, DATA_PAGES * PAGE, MEM_R | MEM_W, 0, 0, 0) == 0 &&
           mem(MEM_REGION, t, RO_VA, PAGE, MEM_R, 0, 0, 0) == 0 &&
           mem(MEM_REGION, t, STACK_LO, KID_STACK_PAGES * PAGE, MEM_R | MEM_W | MEM_STACK, 0, 0, 0) == 0 &&
           start_thread(k, 0) == 0;
  CHECK(ok, "kid %s: could not build its space or start it", name);
  stop_if_failed();
}

// A forked kid: the child's task, with a thread on stack slot i (or the case stops).
static void kid_fork(struct kid *c, struct kid *parent, int i) {
  c->task = mem(MEM_FORK, parent->task, 0x6b726f66, 0, 0, 0, 0, 0);   // "fork"
  CHECK((int64)c->task > 0, "MEM_FORK: %s", errstr(c->task));
  CHECK((int64)c->task <= 0 || start_thread(c, i) == 0, "the forked kid's thread did not report");
  stop_if_failed();
}

static int64 kid_free(struct kid *k) { return mem(MEM_FREE, k->task, 0, 0, 0, 0, 0, 0); }

// Wait until task is dead (killed); 0 if it still lives after ns.
static int dies(uint64 task, uint64 ns) {
  for (uint64 t0 = time_ns(); time_ns() - t0 < ns; sleep_ns(1000000))
    if (task_alive(task) < 0)
      return 1;
  return 0;
}

// Every frame back, and every kernel page (tasks being torn down finish first).
static void all_back(uint64 f0, uint64 k0, const char *when) {
  uint64 f = nfree();
  CHECK(f == f0, "%s: %d frames free, %d before", when, (int)f, (int)f0);
  for (int i = 0; i < 50 && kstat(STAT_FREEPAGES) != k0; i++)
    sleep_ns(2000000);
  CHECK(kstat(STAT_FREEPAGES) == k0, "%s: %d kernel pages free, %d before", when, (int)kstat(STAT_FREEPAGES),
        (int)k0);
}

// ---- the cases ----

// Pages appear zeroed when first touched, are counted, and go back on shrink and free.
static void lazy(void) {
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  struct kid k;
  kid_new(&k, "lazy");
  EXPECT(ask(&k, C_SBRK, 16 * PAGE, 0, 0, 0), HEAP_VA);
  uint64 z0 = nzeroed(), fa = nfree();
  EXPECT(ask(&k, C_ZERO, HEAP_VA, 16, 0, 0), 0);
  uint64 z1 = nzeroed(), fb = nfree();
  CHECK(z1 - z0 >= 16 && z1 - z0 < 20, "touching 16 heap pages zero-filled %d", (int)(z1 - z0));
  CHECK(fa - fb >= 16 && fa - fb < 20, "touching 16 heap pages took %d frames", (int)(fa - fb));
  EXPECT(ask(&k, C_FILL, HEAP_VA, 16, seed, 0), 0);
  EXPECT(ask(&k, C_SUM, HEAP_VA, 16, seed, 0), 0);
  CHECK(nfree() == fb, "filling touched pages took more frames");
  EXPECT(ask(&k, C_SBRK, -12 * PAGE, 0, 0, 0), HEAP_VA + 16 * PAGE);
  CHECK(nfree() == fb + 12, "shrinking the heap by 12 pages freed %d frames", (int)(nfree() - fb));
  EXPECT(ask(&k, C_SUM, HEAP_VA, 4, seed, 0), 0);
  EXPECT(ask(&k, C_SBRK, 12 * PAGE, 0, 0, 0), HEAP_VA + 4 * PAGE);
  EXPECT(ask(&k, C_ZERO, HEAP_VA + 4 * PAGE, 12, 0, 0), 0);
  EXPECT(kid_free(&k), 0);
  CHECK(task_alive(k.task) < 0, "MEM_FREE left the task alive");
  all_back(f0, k0, "after MEM_FREE");
  EXPECT(kid_free(&k), E_INVAL);
  CHECK(nfree() == f0, "a second MEM_FREE changed the free frames: %d, %d before", (int)nfree(), (int)f0);
}

// A fault the task's memory does not allow kills it: it is never resumed.
static void refuse(void) {
  static const char *what[] = {"a store into its text", "running its data", "a load from no region",
                               "a store in the stack's guard page", "a load beyond the break",
                               "a store into a read-only region"};
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  for (int n = 0; n < 6; n++) {
    struct kid k;
    kid_new(&k, "refuse");
    EXPECT(ask(&k, C_POKE, DATA_VA, 7, 0, 0), 0);
    EXPECT(ask(&k, C_PEEK, DATA_VA, 0, 0, 0), 7);
    EXPECT(ask(&k, C_PEEK, RO_VA, 0, 0, 0), 0);
    EXPECT(ask(&k, C_SBRK, 2 * PAGE, 0, 0, 0), HEAP_VA);
    order(k.token, C_BAD, n, 0, 0, 0);
    struct msg m = {0};
    CHECK(report(&m, QUIET_NS) == 0, "%s: the kid went on (%d)", what[n], (int)m.w[0]);
    CHECK(dies(k.task, WAIT_NS), "%s did not kill the kid: its fault was resumed, not refused", what[n]);
    stop_if_failed();
    EXPECT(kid_free(&k), 0);
  }
  all_back(f0, k0, "after six killed kids");
}

// fork shares every page; the first write to a shared page copies it, and only then.
static void cow(void) {
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  struct kid a, b;
  kid_new(&a, "cow-a");
  EXPECT(ask(&a, C_SBRK, 32 * PAGE, 0, 0, 0), HEAP_VA);
  EXPECT(ask(&a, C_FILL, HEAP_VA, 32, seed, 0), 0);
  uint64 c0 = ncopied(), fa = nfree();
  kid_fork(&b, &a, 1);
  CHECK(fa - nfree() < 8, "fork of a 32-page heap took %d frames", (int)(fa - nfree()));
  EXPECT(ask(&b, C_SUM, HEAP_VA, 32, seed, 0), 0);
  uint64 c1 = ncopied();
  EXPECT(ask(&b, C_POKE, HEAP_VA, 0x1234, 0, 0), 0);
  CHECK(ncopied() - c1 == 1, "the child's first write to a shared page copied %d pages", (int)(ncopied() - c1));
  CHECK(c1 - c0 < 4, "the child's reads and its own stack copied %d pages", (int)(c1 - c0));
  EXPECT(ask(&b, C_PEEK, HEAP_VA, 0, 0, 0), 0x1234);
  EXPECT(ask(&a, C_PEEK, HEAP_VA, 0, 0, 0), pattern(seed, HEAP_VA));
  // a bulk copy into a shared page fails whole (E_NOTPRESENT): the page is copy-on-write
  EXPECT(ask(&b, C_OFFER, HEAP_VA + 5 * PAGE, 64, 0, 0), 0);
  char junk[64];
  memset(junk, 0x5a, sizeof junk);
  EXPECT(ipc_copy_to(b.token, 0, junk, sizeof junk), E_NOTPRESENT);
  EXPECT(ask(&a, C_SUM, HEAP_VA + PAGE, 31, seed, 0), 0);
  uint64 c2 = ncopied();
  EXPECT(ask(&a, C_POKE, HEAP_VA + PAGE, 5, 0, 0), 0);
  CHECK(ncopied() - c2 == 1, "the parent's write to a page its child shares copied %d", (int)(ncopied() - c2));
  EXPECT(ask(&b, C_SUM, HEAP_VA + PAGE, 31, seed, 0), 0);
  EXPECT(kid_free(&b), 0);
  uint64 c3 = ncopied(), fb = nfree();
  EXPECT(ask(&a, C_POKE, HEAP_VA + 2 * PAGE, 6, 0, 0), 0);     // no longer shared: no copy
  CHECK(ncopied() == c3 && nfree() == fb, "a write to a page no longer shared copied it");
  EXPECT(ask(&a, C_PEEK, HEAP_VA + 2 * PAGE, 0, 0, 0), 6);
  EXPECT(ask(&a, C_SUM, HEAP_VA + 3 * PAGE, 29, seed, 0), 0);
  EXPECT(kid_free(&a), 0);
  all_back(f0, k0, "after both were freed");
}

// Who may ask what: spaces are the process server's; DMA frames are not for processes.
static void badge(void) {
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  struct kid k;
  kid_new(&k, "badge");
  EXPECT(ask(&k, C_REQ, MEM_NEWAS, 0x6c6976, 0, 0), E_PERM);
  EXPECT(ask(&k, C_REQ, MEM_REGION, k.task, NOWHERE, PAGE), E_PERM);
  EXPECT(ask(&k, C_REQ, MEM_WRITE, k.task, RO_VA, 0), E_PERM);
  EXPECT(ask(&k, C_REQ, MEM_FORK, k.task, 0x6c6976, 0), E_PERM);
  EXPECT(ask(&k, C_REQ, MEM_FREE, k.task, 0, 0), E_PERM);
  EXPECT(ask(&k, C_REQ, MEM_DMA, 0x68000000, 1, 0), E_PERM);
  EXPECT(ask(&k, C_REQ, 999, 1, 2, 3), E_INVAL);
  EXPECT(ask(&k, C_REQ, MEM_STAT, 0, 0, 0), 0);
  EXPECT(ask(&k, C_PEEK, RO_VA, 0, 0, 0), 0);                 // nothing was written there
  EXPECT(ask(&k, C_SBRK, 0, 0, 0, 0), HEAP_VA);
  EXPECT(kid_free(&k), 0);
  all_back(f0, k0, "after the kid's requests");
  // memproc is not a process: it has no heap, but it may have DMA frames
  EXPECT(mem(MEM_SBRK, PAGE, 0, 0, 0, 0, 0, 0), E_INVAL);
  EXPECT(mem(MEM_REGION, self_badge(), NOWHERE, PAGE, MEM_R, 0, 0, 0), E_INVAL);
  EXPECT(mem(MEM_DMA, DMA_VA, 0, 0, 0, 0, 0, 0), E_INVAL);
  EXPECT(mem(MEM_DMA, DMA_VA, DMA_MAX + 1, 0, 0, 0, 0, 0), E_INVAL);
  EXPECT(mem(MEM_DMA, DMA_VA + 100, 1, 0, 0, 0, 0, 0), E_INVAL);
  int64 pa = mem(MEM_DMA, DMA_VA, 2, 0, 0, 0, 0, 0);
  CHECK(pa > 0, "MEM_DMA from a task that is not a process: %s", errstr(pa));
  if (pa > 0) {
    volatile uint64 *p = (uint64 *)DMA_VA;
    int nonzero = 0;
    for (int i = 0; i < 1024; i++)
      nonzero += p[i] != 0;
    CHECK(nonzero == 0, "%d words of the DMA pages not zeroed", nonzero);
    for (int i = 0; i < 1024; i++)
      p[i] = pattern(seed, i);
    EXPECT(page_map(0, DMA_VA2, pa + PAGE, MAP_R), 0);
    CHECK(((volatile uint64 *)DMA_VA2)[7] == pattern(seed, 512 + 7), "the DMA address is not where the pages are");
  }
  CHECK(nfree() == f0, "DMA frames came from the free frames");
  struct msg m = {.tag = TAG(L_FAULT, 0, 0), .w = {HEAP_VA, 13, 0}};   // a fault of a task with no space
  EXPECT(ipc_call(EP_MEM, &m, 0), 0);
  CHECK(TAG_LABEL(m.tag) != 0, "a fault call from a task with no space was resumed");
}

// MEM_WRITE: the caller's offered buffer, by bulk copy; its errors are the caller's.
static void writes(void) {
  static unsigned char buf[3 * PAGE + 100], back[64];
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  for (uint64 i = 0; i < sizeof buf; i++)
    buf[i] = pattern(seed, i) >> 17;
  struct kid k, c;
  kid_new(&k, "write");
  uint64 at = DATA_VA + 4000;                             // unaligned, over four pages
  EXPECT(mem(MEM_WRITE, k.task, at, 0, 0, buf, sizeof buf, BUF_R), 0);
  EXPECT(ask(&k, C_HASH, at, sizeof buf, 0, 0), hash(buf, sizeof buf));
  EXPECT(ask(&k, C_ZERO, DATA_VA, 0, 0, 0), 0);
  uint64 h = ask(&k, C_HASH, DATA_VA, 4 * PAGE + 4100, 0, 0);
  EXPECT(mem(MEM_WRITE, k.task, DATA_VA, 0, 0, back, sizeof back, BUF_W), E_PERM);   // not offered for reading
  EXPECT(mem(MEM_WRITE, k.task, DATA_VA, 0, 0, (void *)UNMAPPED, 64, BUF_R), E_NOTPRESENT);
  EXPECT(ask(&k, C_HASH, DATA_VA, 4 * PAGE + 4100, 0, 0), h);   // a failed write wrote nothing there
  EXPECT(mem(MEM_WRITE, k.task, NOWHERE, 0, 0, buf, 64, BUF_R), E_INVAL);
  EXPECT(mem(MEM_WRITE, self_badge(), DATA_VA, 0, 0, buf, 64, BUF_R), E_INVAL);
  EXPECT(mem(MEM_WRITE, k.task, RO_VA + 8, 0, 0, buf, 64, BUF_R), 0);    // a loader writes text too
  EXPECT(ask(&k, C_HASH, RO_VA + 8, 64, 0, 0), hash(buf, 64));
  // into a page shared copy-on-write: only the target sees it
  kid_fork(&c, &k, 1);
  EXPECT(mem(MEM_WRITE, c.task, at + 50, 0, 0, buf + 1000, 200, BUF_R), 0);
  EXPECT(ask(&k, C_HASH, at, sizeof buf, 0, 0), hash(buf, sizeof buf));
  memmove(buf + 50, buf + 1000, 200);
  EXPECT(ask(&c, C_HASH, at, sizeof buf, 0, 0), hash(buf, sizeof buf));
  EXPECT(kid_free(&c), 0);
  EXPECT(kid_free(&k), 0);
  all_back(f0, k0, "after the writes");
}

// MEM_FREE frees a space exactly once, also while its threads fault.
static void freeing(void) {
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  struct kid k;
  kid_new(&k, "free");
  EXPECT(ask(&k, C_SBRK, 8 * PAGE, 0, 0, 0), HEAP_VA);
  EXPECT(ask(&k, C_FILL, HEAP_VA, 8, seed, 0), 0);
  EXPECT(kid_free(&k), 0);
  CHECK(dies(k.task, WAIT_NS), "MEM_FREE left the task alive");
  all_back(f0, k0, "after MEM_FREE");
  EXPECT(kid_free(&k), E_INVAL);
  EXPECT(mem(MEM_REGION, k.task, NOWHERE, PAGE, MEM_R, 0, 0, 0), E_INVAL);
  EXPECT(mem(MEM_FORK, k.task, 0x66, 0, 0, 0, 0, 0), E_INVAL);
  CHECK(nfree() == f0, "requests for a freed space changed the free frames");
  // a task whose only thread ended by itself: its space stays until MEM_FREE
  kid_new(&k, "free-exit");
  EXPECT(ask(&k, C_FILL, DATA_VA, 8, seed, 0), 0);
  order(k.token, C_EXIT, 0, 0, 0, 0);
  CHECK(dies(k.task, WAIT_NS), "a task whose only thread exited is still alive");
  CHECK(nfree() < f0, "a dead task's frames went back before MEM_FREE");
  EXPECT(kid_free(&k), 0);
  all_back(f0, k0, "after MEM_FREE of a task that had ended");
  // MEM_FREE while three threads fault as fast as they can
  for (int round = 0; round < 4; round++) {
    kid_new(&k, "free-race");
    uint64 tokens[3] = {k.token};
    for (int i = 1; i < 3; i++) {
      CHECK(start_thread(&k, i) == 0, "round %d: thread %d did not start", round, i);
      stop_if_failed();
      tokens[i] = k.token;
    }
    for (int i = 0; i < 3; i++)
      order(tokens[i], C_SPIN, 0, 0, 0, 0);
    sleep_ns(1000000);                // let them fault a while
    EXPECT(kid_free(&k), 0);
    CHECK(dies(k.task, WAIT_NS), "round %d: MEM_FREE left the task alive", round);
    CHECK(nfree() == f0, "round %d: %d frames free after MEM_FREE, %d before", round, (int)nfree(), (int)f0);
    stop_if_failed();
  }
  all_back(f0, k0, "after the races");
  kid_new(&k, "after");                                      // it still serves
  EXPECT(ask(&k, C_SBRK, 4 * PAGE, 0, 0, 0), HEAP_VA);
  EXPECT(ask(&k, C_ZERO, HEAP_VA, 4, 0, 0), 0);
  EXPECT(kid_free(&k), 0);
  all_back(f0, k0, "at the end");
}

// The next report from each of two kids (in either order) within ns: 0 if one did not come.
static int both(struct kid *x, uint64 *rx, struct kid *y, uint64 *ry, uint64 ns) {
  for (int n = 0; n < 2; n++) {
    struct msg m = {0};
    int64 t = report(&m, ns);
    if (!t || (m.badge != x->task && m.badge != y->task))
      return 0;
    struct kid *k = m.badge == x->task ? x : y;
    k->token = t;
    *(k == x ? rx : ry) = m.w[0];
  }
  return 1;
}

// A fault that finds no free frame waits for one: it goes on when frames come back,
// it is dropped when its own space is freed meanwhile, and its task dies when none
// comes in time (FAULT_WAIT_NS).
static void waits(void) {
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES), r1 = 0, r2 = 0;
  struct kid a, b, c, d;
  kid_new(&c, "wait-c");
  kid_new(&d, "wait-d");
  kid_new(&b, "wait-b");
  kid_new(&a, "wait-a");
  EXPECT(ask(&c, C_SBRK, 8 * PAGE, 0, 0, 0), HEAP_VA);     // while sbrk still can
  EXPECT(ask(&d, C_SBRK, 8 * PAGE, 0, 0, 0), HEAP_VA);
  EXPECT(ask(&b, C_SBRK, 64 * PAGE, 0, 0, 0), HEAP_VA);
  // a takes every frame but 2: n heap pages and their shadow leaves (one per 1024)
  uint64 f = nfree(), n = f;
  for (int i = 0; i < 4; i++)
    n = f - 2 - (n + 1023) / 1024;
  EXPECT(ask(&a, C_SBRK, n * PAGE, 0, 0, 0), HEAP_VA);
  for (uint64 i = 0; i < n; i += 2048)          // a piece at a time: each answers within WAIT_NS
    EXPECT(ask(&a, C_TOUCH, HEAP_VA + i * PAGE, n - i < 2048 ? n - i : 2048, 0, 0), 0);
  EXPECT(nfree(), 2);
  EXPECT(mem(MEM_FORK, a.task, 0x66, 0, 0, 0, 0, 0), E_NOMEM);   // nothing left of the half-made child
  EXPECT(nfree(), 2);
  // c needs 9 (a leaf and 8 pages): it waits after the first page...
  struct msg m = {0};
  order(c.token, C_ZERO, HEAP_VA, 8, 0, 0);
  CHECK(report(&m, QUIET_NS) == 0, "a fault with no frame free was not made to wait");
  CHECK(task_alive(c.task) == 0, "a fault with no frame free killed its task at once");
  // ...and goes on when a gives 16 back
  order(a.token, C_SBRK, -16 * PAGE, 0, 0, 0);
  CHECK(both(&a, &r1, &c, &r2, WAIT_NS / 2), "a shrank its heap: the waiting fault did not go on at once");
  stop_if_failed();
  EXPECT(r1, HEAP_VA + n * PAGE);
  EXPECT(r2, 0);
  EXPECT(nfree(), 9);
  EXPECT(ask(&b, C_ZERO, HEAP_VA, 8, 0, 0), 0);            // b takes those 9
  EXPECT(nfree(), 0);
  // d waits; then its own space is freed: its waiting fault must go with it
  order(d.token, C_ZERO, HEAP_VA, 8, 0, 0);
  CHECK(report(&m, QUIET_NS) == 0, "d's fault did not wait");
  uint64 fd = nfree();
  EXPECT(kid_free(&d), 0);
  CHECK(dies(d.task, WAIT_NS), "MEM_FREE of a task whose fault waits left it alive");
  uint64 got = nfree() - fd;
  // b takes what d left, then waits in vain: its task dies
  order(b.token, C_ZERO, HEAP_VA + 8 * PAGE, 56, 0, 0);
  CHECK(report(&m, QUIET_NS) == 0, "b's fault did not wait");
  EXPECT(nfree(), 0);
  CHECK(task_alive(b.task) == 0, "b's waiting fault killed it at once");
  CHECK(got > 8 && got < 56, "d's space gave back %d frames", (int)got);
  uint64 t0 = time_ns();
  CHECK(dies(b.task, 3 * FAULT_WAIT_NS), "a fault that waited in vain was never refused");
  CHECK(time_ns() - t0 > FAULT_WAIT_NS / 2, "b died %d ms into its wait", (int)((time_ns() - t0) / 1000000));
  EXPECT(kid_free(&b), 0);
  EXPECT(kid_free(&c), 0);
  EXPECT(kid_free(&a), 0);
  EXPECT(kid_free(&d), E_INVAL);
  all_back(f0, k0, "after the waits");
}

// Several spaces with two threads each fault at once; one is forked meanwhile.
static void many(void) {
  enum { NKID = 4, NT = 2, PAGES = 48 };
  uint64 f0 = nfree(), k0 = kstat(STAT_FREEPAGES);
  struct kid k[NKID];
  uint64 tok[NKID][NT];
  for (int i = 0; i < NKID; i++) {
    kid_new(&k[i], "many");
    tok[i][0] = k[i].token;
    for (int t = 1; t < NT; t++) {
      CHECK(start_thread(&k[i], t) == 0, "kid %d: thread %d did not start", i, t);
      stop_if_failed();
      tok[i][t] = k[i].token;
    }
  }
  for (int i = 0; i < NKID; i++)
    for (int t = 0; t < NT; t++)
      order(tok[i][t], C_FILL, DATA_VA + t * PAGES * PAGE, PAGES, seed + i, 0);
  uint64 forks[3];
  for (int n = 0; n < 3; n++) {                            // fork kid 0 while everyone faults
    forks[n] = mem(MEM_FORK, k[0].task, 0x6b726f66, 0, 0, 0, 0, 0);
    CHECK((int64)forks[n] > 0, "MEM_FORK %d: %s", n, errstr(forks[n]));
  }
  int done = 0, finished[NKID] = {0};
  for (int n = 0; n < NKID * NT; n++) {
    struct msg m = {0};
    int64 t = report(&m, 4 * WAIT_NS);
    if (!t)
      break;
    for (int i = 0; i < NKID; i++)
      if (m.badge == k[i].task) {
        CHECK(m.w[0] == 0, "kid %d: its fill failed", i);
        k[i].token = t;                   // either thread will do for what follows
        finished[i]++, done++;
      }
  }
  CHECK(done == NKID * NT, "only %d of %d fills finished", done, NKID * NT);
  stop_if_failed();
  for (int n = 0; n < 3; n++)
    if ((int64)forks[n] > 0)
      EXPECT(mem(MEM_FREE, forks[n], 0, 0, 0, 0, 0, 0), 0);
  for (int i = 0; i < NKID; i++)
    if (finished[i] == NT)
      EXPECT(ask(&k[i], C_SUM, DATA_VA, NT * PAGES, seed + i, 0), 0);
  for (int i = 0; i < NKID; i++)
    EXPECT(kid_free(&k[i]), 0);
  all_back(f0, k0, "after the concurrent faults and forks");
}

static const struct {
  const char *name;
  void (*f)(void);
} cases[] = {{"lazy", lazy}, {"refuse", refuse}, {"cow", cow}, {"badge", badge},
             {"write", writes}, {"free", freeing}, {"wait", waits}, {"many", many}};

int main(int argc, char *argv[]) {
  static struct bootinfo bi;
  static char name[16];
  get_bootinfo(&bi);
  bootarg(bi.bootargs, "case", name, sizeof name);
  case_name = name;
  seed = verdict_random();
  rep_ep = ep_create();
  for (uint64 off = 0; off < bi.bootimg_len; off += PAGE)
    page_map(0, IMG_VA + off, bi.bootimg_pa + off, MAP_R);
  const unsigned char *img = (const unsigned char *)IMG_VA;
  for (const struct bootimg_entry *e = (const void *)img; e->name; e++)
    if (strcmp((const char *)img + (e->name - bi.bootimg_pa), "memproc") == 0)
      self_img = img + (e->start - bi.bootimg_pa);
  CHECK(self_img != 0, "memproc is not in the boot image");
  int found = 0;
  for (int i = 0; self_img && i < sizeof cases / sizeof cases[0]; i++)
    if (strcmp(cases[i].name, name) == 0) {
      found = 1;
      cases[i].f();
    }
  CHECK(found, "no case '%s'", name);
  finish();
  return 0;
}
