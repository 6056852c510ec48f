// The memory subsystem hosted in the kernel, at stages 1 to 3: every ordinary task's
// pager, in kernel idiom, over the shared page accounting (servers/mem/pages.c).
//
// This boundary layer exists twice, by design. Its twin in server idiom is the
// memory server (servers/mem/main.c and pager.c, lab 04), and the two differ where a
// kernel and a server differ:
//   - requests: here the kernel-answered EP_MEM runs handle() on the caller's own
//     kernel stack, under the subsystem's lock (khost.h): a page fault of an ordinary
//     task (its fault endpoint is EP_MEM) on the faulting thread's stack, the MEM_*
//     requests of user-level clients (the process server at S2 and S3, drivers'
//     MEM_DMA at S3), and at S1 the kernel-hosted process subsystem's direct calls
//     kmem_* (khost.h), under the same lock;
//   - mechanism: tasks from task_alloc, mappings with pt_map, and every frame at its
//     own address (RAM is identity-mapped); the server asks the kernel for each;
//   - the caller's memory: MEM_WRITE with kcopyin (the server: bulk copy with the
//     caller's token);
//   - the caller's identity: the badge in struct kreq, as a server sees it.
//   - waiting: a fault that finds no free frame sleeps (letting go of the lock) until
//     frames come back or FAULT_WAIT_NS passes; the server defers its reply instead.
#include "kernel.h"
#include "khost.h"
#include "servers/mem/mem.h"
#include "servers/mem/pages.h"

static struct ksub mem;
static int frames;                      // kwakeup(&frames): frames came back

// ---- the mechanism (pages.h): the kernel's own ----

// A live task (not dying: a killed task's pages are never mapped again).
static struct task *live(uint64 badge) {
  int err;
  return badge ? task_lookup(badge, &err) : 0;
}

int pages_alive(uint64 task) { return live(task) != 0; }

int pages_map(uint64 task, uint64 va, uint64 pa, int perm) {
  struct task *tk = live(task);
  return tk ? pt_map(tk->pt, va, pa, perm) : E_DEAD;
}

void pages_unmap(uint64 task, uint64 va) {
  struct task *tk = live(task);
  if (tk)
    pt_unmap(tk->pt, va);
}

void *pages_frame(uint64 pa) { return (void *)pa; }

// ---- address spaces ----

// A new task whose faults come here, with an empty space or a copy-on-write copy of
// parent's: its badge, or E_NOMEM (nothing is left of a half-made one).
static int64 newas(const char *name, struct space *parent) {
  struct task *tk = task_alloc(name);
  if (!tk)
    return E_NOMEM;
  tk->fault_ep = EP_MEM;
  struct space *s = space_new(TASK_BADGE(tk));
  if (s && (!parent || space_fork(parent, s) == 0))
    return TASK_BADGE(tk);
  task_kill(tk, 0);
  if (s) {
    space_free(s);
    kwakeup(&frames);
  }
  return E_NOMEM;
}

// Kill task (its threads stop), then give back the frames of its space s.
static void freeas(uint64 task, struct space *s) {
  struct task *tk = live(task);
  if (tk)
    task_kill(tk, 0);
  space_free(s);
  kwakeup(&frames);
}

// A page fault of the caller: 0 resumes it, 1 kills its task. With no frame free it
// sleeps until frames come back, at most FAULT_WAIT_NS; its space may be gone when
// it wakes (freed meanwhile), and a stop (its task killed) ends the wait at once.
static int fault(struct kreq *r) {
  uint64 until = know_ns() + FAULT_WAIT_NS;
  if (r->w[1] != 12 && r->w[1] != 13 && r->w[1] != 15)
    return 1;                           // not a page fault: a new page would not mend it
  for (;;) {
    struct space *s = space_of(r->badge);
    int e = s ? space_fault(s, r->w[0], r->w[1]) : E_INVAL;
    if (e != E_NOMEM || know_ns() >= until || ksleep(&mem, &frames, until) < 0)
      return e == 0 ? 0 : 1;
  }
}

// len bytes into s at va, page by page: from the caller's offered buffer (r), or
// from src (a kernel caller). 0 or an error.
static int64 fill(struct space *s, uint64 va, uint64 len, struct kreq *r, const char *src) {
  for (uint64 off = 0; off < len;) {
    uint64 in = (va + off) % PGSIZE, n = len - off < PGSIZE - in ? len - off : PGSIZE - in;
    char *page;
    int e = space_page(s, va + off, &page);
    if (e < 0)
      return e;
    if (!r)
      memmove(page + in, src + off, n);
    else if ((e = kcopyin(r, off, page + in, n)) < 0)
      return e;
    off += n;
  }
  return 0;
}

// ---- requests to EP_MEM ----

// The badge of the user-level process server; 0 when EP_PROC is answered in the
// kernel (S1): no user task may then manage address spaces (a kernel caller's badge
// is 0).
static uint64 proc_badge(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_PROC, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

static void name_of(uint64 w0, uint64 w1, char name[16]) {
  for (int k = 0; k < 16; k++)
    name[k] = (char)((k < 8 ? w0 : w1) >> (8 * (k % 8)));
  name[15] = 0;
}

// Contiguous pinned frames for a driver (a task that is not a process), mapped into
// it at va for good.
static int64 dma(struct kreq *r) {
  uint64 va = r->w[0], n = r->w[1];
  if (space_of(r->badge))
    return E_PERM;
  if (n == 0 || n > DMA_MAX || va % PGSIZE || !user_range(va, n * PGSIZE))
    return E_INVAL;
  struct task *tk = live(r->badge);
  uint64 pa = pages_dma(n, r->badge);
  if (!tk || !pa)
    return E_NOMEM;
  for (uint64 i = 0; i < n; i++)
    if (pt_map(tk->pt, va + i * PGSIZE, pa + i * PGSIZE, MAP_R | MAP_W) < 0)
      return E_NOMEM;
  r->rw[0] = pa;
  return 0;
}

// The process server's requests: w0 names the task, except for MEM_NEWAS.
static int64 manage(struct kreq *r) {
  char name[16];
  int64 t;
  if (r->label == MEM_NEWAS) {
    name_of(r->w[0], r->w[1], name);
    if ((t = newas(name, 0)) >= 0)
      r->rw[0] = t;
    return t < 0 ? t : 0;
  }
  struct space *s = space_of(r->w[0]);
  if (!s)
    return E_INVAL;
  switch (r->label) {
  case MEM_REGION: return space_region(s, r->w[1], r->w[2], r->w[3]);
  case MEM_WRITE: return fill(s, r->w[1], r->buflen, r, 0);
  case MEM_FORK:
    name_of(r->w[1], r->w[2], name);
    if ((t = newas(name, s)) >= 0)
      r->rw[0] = t;
    return t < 0 ? t : 0;
  default:                              // MEM_FREE
    freeas(r->w[0], s);
    return 0;
  }
}

static void handle(struct kreq *r) {
  struct space *s = space_of(r->badge);
  int64 e = 0;
  struct pages_stat st;
  switch (r->label) {
  case L_FAULT:
    e = fault(r);                       // 1: the kernel kills the task
    break;
  case MEM_SBRK:
    e = s ? space_sbrk(s, (int64)r->w[0]) : E_INVAL;
    if (e >= 0)
      r->rw[0] = e, e = 0;
    if ((int64)r->w[0] < 0)
      kwakeup(&frames);                 // a shrink may have freed some
    break;
  case MEM_STAT:
    pages_stat(&st);
    r->rw[0] = st.free, r->rw[1] = st.copied, r->rw[2] = st.zeroed, r->rw[3] = st.frames;
    break;
  case MEM_DMA:
    e = dma(r);
    break;
  case MEM_NEWAS: case MEM_REGION: case MEM_WRITE: case MEM_FORK: case MEM_FREE:
    e = r->badge == proc_badge() ? manage(r) : E_PERM;
    break;
  default:
    e = E_INVAL;
  }
  r->rlabel = e;
}

static void init(void) { pages_init(user_mem_start, ram_end); }

static struct ksub mem = {.name = "mem", .ep = EP_MEM, .init = init, .handle = handle};

void kmem_start(void) { ksub_start(&mem); }

// ---- khost.h: address spaces for the kernel-hosted process subsystem (S1) ----
// Direct calls, under the subsystem's lock like a request; E_INTR if the calling
// thread is being stopped while it waits for the lock.

int64 kmem_newas(const char *name) {
  if (klock(&mem) < 0)
    return E_INTR;
  int64 t = newas(name, 0);
  kunlock(&mem);
  return t;
}

int kmem_region(uint64 task, uint64 va, uint64 len, int flags) {
  if (klock(&mem) < 0)
    return E_INTR;
  struct space *s = space_of(task);
  int e = s ? space_region(s, va, len, flags) : E_INVAL;
  kunlock(&mem);
  return e;
}

int kmem_write(uint64 task, uint64 va, const void *src, uint64 len) {
  if (klock(&mem) < 0)
    return E_INTR;
  struct space *s = space_of(task);
  int e = s ? fill(s, va, len, 0, src) : E_INVAL;
  kunlock(&mem);
  return e;
}

int64 kmem_fork(uint64 parent, const char *name) {
  if (klock(&mem) < 0)
    return E_INTR;
  struct space *s = space_of(parent);
  int64 t = s ? newas(name, s) : E_INVAL;
  kunlock(&mem);
  return t;
}

void kmem_free(uint64 task) {
  if (klock(&mem) < 0)
    return;
  struct space *s = space_of(task);
  if (s)
    freeas(task, s);
  kunlock(&mem);
}
