// The memory server's requests (lab 04): page faults and the memory protocol
// (servers/mem/mem.h) in server idiom, over the shared page accounting (pages.h).
// Its twin in kernel idiom is kernel/kmem.c. Here:
//   - every request is a message: the label says what, the badge (set by the kernel)
//     says who asks. A page fault is a call the kernel makes for the faulting thread
//     (L_FAULT); the reply label decides: 0 resumes the thread, any other kills its
//     task;
//   - who may ask what is decided by badge: only the process server (the owner of
//     EP_PROC) manages address spaces, and only tasks that are not processes (drivers)
//     get DMA frames;
//   - MEM_WRITE takes the bytes from the buffer the caller offered, by bulk copy with
//     the request's token, straight into the frame through the window. A page of that
//     buffer that is not present yet is the caller's to fault in: the error goes back
//     (E_NOTPRESENT), and the caller's library touches its buffer and asks again;
//   - tasks and mappings come from the kernel's privileged calls (task_create with
//     EP_MEM as the new task's fault endpoint, task_kill, page_map);
//   - waiting becomes a deferred reply: a fault that finds no free frame is kept
//     (its request, with the token) and answered when frames come back, or refused
//     when FAULT_WAIT_NS has passed (an alarm on EP_MEM says when to look);
//   - clients die: the pages of a dying task can no longer be mapped, so a fault call
//     from one of its threads is refused (and the reply finds nobody, which the
//     server loop ignores); the process server frees a dead process's space with
//     MEM_FREE, once: a second MEM_FREE, a waiting fault of that task, or a late
//     one, no longer finds it.
// One worker serves everything, one request at a time: the pager never blocks.
#include "servers/lib/server.h"
#include "servers/mem/mem.h"
#include "servers/mem/pages.h"
#include "user/lib/mv6.h"

// @lab 04 solution: the memory protocol in server idiom
#define PAGE 4096UL

// Only the process server may manage address spaces (asked each time: it may die).
static int from_proc(struct req *r) {
  int64 proc = ep_owner(EP_PROC);
  return proc > 0 && r->badge == (uint64)proc;
}

// A task name travels in two message words, 8 bytes each.
static void name_of(uint64 w0, uint64 w1, char name[16]) {
  for (int k = 0; k < 16; k++)
    name[k] = (char)((k < 8 ? w0 : w1) >> (8 * (k % 8)));
  name[15] = 0;
}

// A new task whose page faults come to us, with an empty space or a copy-on-write
// copy of parent's: its badge, or E_NOMEM with nothing left of a half-made one.
static int64 new_task(const char *name, struct space *parent) {
  int64 t = task_create(name, EP_MEM);
  if (t < 0)
    return E_NOMEM;
  struct space *s = space_new(t);
  if (s && (!parent || space_fork(parent, s) == 0))
    return t;
  task_kill(t);                  // first: none of its pages may be used once freed
  if (s)
    space_free(s);
  return E_NOMEM;
}

// The buffer the caller offered into task memory at va, one page piece at a time.
static int64 write_task(struct req *r, struct space *s, uint64 va) {
  for (uint64 off = 0; off < r->buflen;) {
    uint64 in = (va + off) % PAGE, n = r->buflen - off < PAGE - in ? r->buflen - off : PAGE - in;
    char *page;
    int64 e = space_page(s, va + off, &page);
    if (e >= 0)
      e = ipc_copy_from(r->token, off, page + in, n);   // E_NOTPRESENT, E_PERM, E_RANGE: theirs
    if (e < 0)
      return e;
    off += n;
  }
  return 0;
}

// Faults waiting for a frame: their requests (tokens kept), and until when.
#define NWAIT 32
static struct waiter {
  struct req r;
  uint64 until;                  // 0: slot free
} waiting[NWAIT];

// Wake up when the first waiting fault runs out of time.
static void arm(void) {
  uint64 first = 0, now = time_ns();
  for (int i = 0; i < NWAIT; i++)
    if (waiting[i].until && (!first || waiting[i].until < first))
      first = waiting[i].until;
  if (first)
    alarm_ns(EP_MEM, 1, first > now ? first - now : 1);
}

// Only a page fault (scause 12 fetch, 13 load, 15 store) can be mended by mapping a
// page: any other cause (an illegal instruction, a misaligned atomic) would fault
// again at once, forever, so it is refused.
static int page_fault(uint64 scause) { return scause == 12 || scause == 13 || scause == 15; }

extern struct req *answering;      // main.c: pages_map puts r's own page in its reply

// Answers fault r (a page of s, or s = 0): its reply label 0 resumes the thread,
// FAULT_MAP maps its page and resumes it (pages_map), 1 kills its task. The error.
static int answer_fault(struct req *r, struct space *s) {
  r->rlabel = 0;
  answering = r;
  int e = s && page_fault(r->w[1]) ? space_fault(s, r->w[0], r->w[1]) : E_INVAL;
  answering = 0;
  if (e != 0)
    r->rlabel = 1;
  return e;
}

// A fault: answered, or the request is deferred.
static void fault(struct req *r) {
  int e = answer_fault(r, space_of(r->badge));
  if (e != E_NOMEM)
    return;
  for (int i = 0; i < NWAIT; i++)
    if (!waiting[i].until) {     // no frame now: wait for one
      defer(r);
      waiting[i] = (struct waiter){*r, time_ns() + FAULT_WAIT_NS};
      arm();
      return;
    }
}

// Frames came back, or time passed: try the waiting faults again. A fault whose
// space is gone meanwhile (freed: its task is dead) is refused, and nobody hears it.
static void retry(void) {
  uint64 now = time_ns();
  for (int i = 0; i < NWAIT; i++) {
    struct waiter *w = &waiting[i];
    if (!w->until)
      continue;
    int e = answer_fault(&w->r, space_of(w->r.badge));
    if (e == E_NOMEM && now < w->until)
      continue;
    answer(&w->r);
    w->until = 0;
  }
  arm();
}

// The process server's requests; w0 names the task, except for MEM_NEWAS.
static int64 manage(struct req *r) {
  char name[16];
  int64 t;
  if (r->label == MEM_NEWAS) {
    name_of(r->w[0], r->w[1], name);
    if ((t = new_task(name, 0)) >= 0)
      r->rw[0] = t;
    return t < 0 ? t : 0;
  }
  struct space *s = space_of(r->w[0]);
  if (!s)
    return E_INVAL;              // not a space of ours, or freed already
  switch (r->label) {
  case MEM_REGION:
    return space_region(s, r->w[1], r->w[2], r->w[3]);
  case MEM_WRITE:
    return write_task(r, s, r->w[1]);
  case MEM_FORK:
    name_of(r->w[1], r->w[2], name);
    if ((t = new_task(name, s)) >= 0)
      r->rw[0] = t;
    return t < 0 ? t : 0;
  default:                       // MEM_FREE: stop its threads, then take its frames
    task_kill(r->w[0]);          // E_DEAD if it is dying already: that is fine
    space_free(s);
    retry();
    return 0;
  }
}

// Pinned, contiguous frames for a driver, mapped into it at va for good.
static int64 dma(struct req *r) {
  uint64 va = r->w[0], n = r->w[1];
  if (space_of(r->badge))
    return E_PERM;               // a process: its memory is paged, never pinned
  if (n == 0 || n > DMA_MAX || va % PAGE || va >= MAXUVA || n * PAGE > MAXUVA - va)
    return E_INVAL;
  uint64 pa = pages_dma(n, r->badge);
  if (!pa)
    return E_NOMEM;
  for (uint64 i = 0; i < n; i++)
    if (page_map(r->badge, va + i * PAGE, pa + i * PAGE, MAP_R | MAP_W) < 0)
      return E_NOMEM;
  r->rw[0] = pa;
  return 0;
}

// Every request but a fault.
static __attribute__((noinline)) void request(struct req *r) {
  struct space *s = space_of(r->badge);
  struct pages_stat st;
  int64 e = 0;
  switch (r->label) {
  case MEM_SBRK:
    e = s ? space_sbrk(s, (int64)r->w[0]) : E_INVAL;
    if (e >= 0)
      r->rw[0] = e, e = 0;
    if ((int64)r->w[0] < 0)
      retry();                   // a shrink may have freed frames
    break;
  case MEM_STAT:
    pages_stat(&st);
    r->rw[0] = st.free, r->rw[1] = st.copied, r->rw[2] = st.zeroed, r->rw[3] = st.frames;
    break;
  case MEM_DMA:
    e = dma(r);
    break;
  case MEM_NEWAS: case MEM_REGION: case MEM_WRITE: case MEM_FORK: case MEM_FREE:
    e = from_proc(r) ? manage(r) : E_PERM;
    break;
  default:
    e = E_INVAL;
  }
  r->rlabel = e;
}

void pager_request(struct req *r) {
  if (r->label == L_FAULT)       // w0 = address, w1 = scause, w2 = pc
    fault(r);
  else
    request(r);                  // apart: its stack frame (~25 stores and loads) is not a fault's
}

// Notifications on EP_MEM: the alarm of the waiting faults.
void pager_notify(uint64 bits) { retry(); }
// @lab 04 stub
//: // TODO (lab 04): answer every request to EP_MEM (servers/mem/mem.h; compare
//: // kernel/kmem.c, which answers the same ones in the kernel): page faults (L_FAULT:
//: // reply label 0 resumes the thread, FAULT_MAP maps w0..w2 and resumes it (optional,
//: // kernel/abi.h), any other kills its task; a fault that is not a
//: // page fault, scause 12, 13 or 15, is refused), MEM_SBRK, MEM_STAT,
//: // MEM_DMA (only for tasks that are not processes), and from the process server only
//: // (the owner of EP_PROC) MEM_NEWAS, MEM_REGION, MEM_WRITE (a bulk copy from the
//: // caller's buffer), MEM_FORK and MEM_FREE. A fault that finds no free frame waits
//: // for one (FAULT_WAIT_NS, servers/mem/pages.h): defer it, and answer it later.
//: void pager_request(struct req *r) { r->rlabel = E_INVAL; }
//:
//: void pager_notify(uint64 bits) { (void)bits; }
// @lab 04 end
