// The kernel host (khost.h): kernel-answered endpoints, each kernel-hosted subsystem
// behind a lock of its own, sleeping that lets go of it, the caller's buffer, kernel
// threads. A client cannot tell a kernel-answered endpoint from a server: same
// messages, same replies, same errors.
#include "kernel.h"
#include "khost.h"

int64 buf_copy(struct thread *caller, uint64 off, pagetable_t pt, uint64 va, uint64 len, int to_caller);

// Runs the subsystem for cur's prepared message (msg_tag, msg_w) on cur's kernel
// stack; a call's reply goes into cur's registers, a fault call's reply label decides
// resume (0) or kill.
int64 kep_call(struct endpoint *ep, struct thread *cur) {
  struct ksub *s = ep->ksub;
  struct kreq r = {
    .caller = cur,
    .badge = TASK_BADGE(cur->task),
    .label = TAG_LABEL(cur->msg_tag),
    .w = {cur->msg_w[0], cur->msg_w[1], cur->msg_w[2], cur->msg_w[3]},
    .buflen = TAG_LEN(cur->buftag),
  };
  while (!s->ready)
    if (sleep_until(&s->ready, 0) < 0)
      return E_INTR;
  if (klock(s) < 0)
    return E_INTR;
  s->handle(&r);
  kunlock(s);
  // Traced as if a server named kernel:NAME had answered (mk/trace.py draws it).
  if (ipc_trace && cur->is_call && !cur->stopping)
    kprintf("ipc: reply kernel:%s -> %s label %d\n", s->name, cur->task->name, (int)r.rlabel);
  if (cur->stopping)
    return E_INTR;
  if (cur->fault_call)
    return r.rlabel == 0 ? 0 : E_INVAL;
  if (cur->is_call) {
    struct trapframe *tf = cur->tf;
    tf->a1 = TAG(r.rlabel, 0, 0);
    tf->a2 = r.rw[0];
    tf->a3 = r.rw[1];
    tf->a4 = r.rw[2];
    tf->a5 = r.rw[3];
  }
  return 0;
}

// ---- the subsystem's lock: one thread inside at a time ----

int klock(struct ksub *s) {
  struct thread *cur = curthread();
  if (s->holder == cur)
    panic("klock: %s entered twice by one thread", s->name);
  while (s->holder)
    if (sleep_until(s, 0) < 0)
      return E_INTR;
  s->holder = cur;
  s->outer = cur->ksub;
  cur->ksub = s;
  return 0;
}

void kunlock(struct ksub *s) {
  struct thread *cur = curthread();
  if (s->holder != cur)
    panic("kunlock: %s not held", s->name);
  cur->ksub = s->outer;
  s->holder = 0;
  wakeup(s);
}

// Taking the lock back after a sleep is not cut short by a stop: the handler must
// hold it to undo its work.
static void relock(struct ksub *s) {
  struct thread *cur = curthread();
  while (s->holder)
    sleep_hard(s, 0);
  s->holder = cur;
  s->outer = cur->ksub;
  cur->ksub = s;
}

int kenter(struct ksub *s) {
  while (!s->ready)
    if (sleep_until(&s->ready, 0) < 0)
      return E_INTR;
  return klock(s);
}

void kenter_hard(struct ksub *s) {
  while (!s->ready)
    sleep_hard(&s->ready, 0);
  relock(s);
}

int ksleep(struct ksub *s, void *chan, uint64 deadline) {
  kunlock(s);
  int e = sleep_until(chan, deadline);
  relock(s);
  return e;
}

void ksleep_hard(struct ksub *s, void *chan) {
  kunlock(s);
  sleep_hard(chan, 0);
  relock(s);
}

void kwakeup(void *chan) { wakeup(chan); }

// ---- the caller's buffer ----

// With tracing on, logged as a server's bulk copy would be, in the direction the data
// went; the subsystem is the innermost one the running thread is in.
static int64 traced(struct kreq *r, int64 n, int to_caller) {
  if (ipc_trace && n >= 0) {
    const char *caller = r->caller->task->name;
    const char *sub = curthread()->ksub ? curthread()->ksub->name : "?";
    if (to_caller)
      kprintf("ipc: copy_to kernel:%s -> %s len %d\n", sub, caller, (int)n);
    else
      kprintf("ipc: copy_from %s -> kernel:%s len %d\n", caller, sub, (int)n);
  }
  return n;
}

int64 kcopyin(struct kreq *r, uint64 off, void *dst, uint64 len) {
  return traced(r, buf_copy(r->caller, off, 0, (uint64)dst, len, 0), 0);
}

int64 kcopyout(struct kreq *r, uint64 off, const void *src, uint64 len) {
  return traced(r, buf_copy(r->caller, off, 0, (uint64)src, len, 1), 1);
}

// ---- kernel threads: threads of the kernel's own task, never in user mode ----

// Its thread count starts at 1, a reference of its own: the kernel's task is never
// freed, whatever its threads do.
static struct task ktask = {.used = 1, .name = "kernel", .nthreads = 1};

// A kernel thread starts here (it holds the big lock, as after any swtch).
static void kthread_entry(void) {
  struct thread *cur = curthread();
  ((void (*)(uint64))cur->tf->epc)(cur->tf->a0);
  thread_exit();
}

int kthread(void (*fn)(uint64 arg), uint64 arg) {
  if (!ktask.satp) {
    ktask.pt = kernel_pt;
    ktask.satp = MAKE_SATP(kernel_pt, 0);
  }
  struct thread *t = thread_alloc(&ktask, NPRIO - 1);
  if (!t)
    return E_NOMEM;
  t->ctx.ra = (uint64)kthread_entry;
  t->tf->epc = (uint64)fn;
  t->tf->a0 = arg;
  make_runnable(t);
  return 0;
}

// ---- starting a subsystem; its notifications ----

// Each subsystem's own kernel thread: init first, then the notification bits posted
// to its endpoint, handed to notify under the lock.
static void ksub_thread(uint64 arg) {
  struct ksub *s = (struct ksub *)arg;
  klock(s);
  if (s->init)
    s->init();
  kunlock(s);
  s->ready = 1;
  wakeup(&s->ready);
  if (!s->notify)
    return;
  for (;;) {
    int err;
    struct endpoint *ep = ep_lookup(s->ep, &err);
    if (!ep || !ep->bits) {
      sleep(&s->notify);
      continue;
    }
    uint64 bits = ep->bits;
    ep->bits = 0;
    klock(s);
    s->notify(bits);
    kunlock(s);
  }
}

// Bits were posted to a kernel-answered endpoint: its subsystem's thread takes them.
void kep_notify(struct endpoint *ep) { wakeup(&ep->ksub->notify); }

int ksub_start(struct ksub *s) {
  struct endpoint *ep = ep_alloc(0, s->ep & 0xffff);
  if (!ep)
    return E_NOMEM;
  ep->ksub = s;
  return kthread(ksub_thread, (uint64)s);
}

// ---- small services ----

void knotify(uint64 h, uint64 bits) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (ep)
    ep_notify(ep, bits);
}

uint64 know_ns(void) { return now_ns(); }

void *kdevice(uint64 pa) { return (void *)(KDEV + pa); }
