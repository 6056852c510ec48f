// Kernel-answered endpoints, IRQ routing and alarms.
//
// An endpoint with a handler is answered in the kernel, on the caller's own kernel
// stack, with the same messages and errors as a user-level server: a client cannot
// tell where the subsystem lives. The handler may sleep; if the caller is stopped
// meanwhile, its sleeps return E_INTR and it unwinds.
#include "kernel.h"
#include "host.h"

int64 buf_copy(struct thread *caller, uint64 off, pagetable_t pt, uint64 va, uint64 len, int to_caller);

// Runs the handler for cur's prepared message (msg_tag, msg_w); a call's reply goes
// into cur's registers, a fault call's reply label decides resume (0) or kill.
int64 kep_call(struct endpoint *ep, struct thread *cur) {
  struct kreq req = {
    .badge = TASK_BADGE(cur->task),
    .label = TAG_LABEL(cur->msg_tag),
    .w = {cur->msg_w[0], cur->msg_w[1], cur->msg_w[2], cur->msg_w[3]},
    .buflen = TAG_LEN(cur->buftag),
    .caller = cur,
  };
  ep->handler(&req);
  if (cur->stopping)
    return E_INTR;
  if (cur->fault_call)
    return req.rlabel == 0 ? 0 : E_INVAL;
  if (cur->is_call) {
    struct trapframe *tf = cur->tf;
    tf->a1 = TAG(req.rlabel, 0, 0);
    tf->a2 = req.rw[0];
    tf->a3 = req.rw[1];
    tf->a4 = req.rw[2];
    tf->a5 = req.rw[3];
  }
  return 0;
}

// ---- host.h: the API for subsystem code linked into the kernel ----

int host_serve(uint64 wk, khandler_t handler) {
  struct endpoint *ep = ep_alloc(0, wk & 0xffff);
  if (!ep)
    return E_NOMEM;
  ep->handler = handler;
  return 0;
}

// A kernel caller's buffer (host_call) is checked like a user's offer.
static int64 kbuf_copy(struct kreq *r, uint64 off, void *p, uint64 len, int to_caller) {
  if (!(r->rights & (to_caller ? BUF_W : BUF_R)))
    return E_PERM;
  if (off > r->buflen || len > r->buflen - off)
    return E_RANGE;
  if (to_caller)
    memmove((char *)r->kbuf + off, p, len);
  else
    memmove(p, (char *)r->kbuf + off, len);
  return len;
}

int64 host_copy_from(struct kreq *r, uint64 off, void *dst, uint64 len) {
  return r->kbuf ? kbuf_copy(r, off, dst, len, 0) : buf_copy(r->caller, off, 0, (uint64)dst, len, 0);
}

int64 host_copy_to(struct kreq *r, uint64 off, const void *src, uint64 len) {
  return r->kbuf ? kbuf_copy(r, off, (void *)src, len, 1) : buf_copy(r->caller, off, 0, (uint64)src, len, 1);
}

int64 host_call(uint64 h, uint64 label, uint64 w[4], void *buf, uint64 len, int rights, struct kreq *reply) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  if (!ep->handler)
    return E_DEAD;          // the kernel never calls a user-level server
  *reply = (struct kreq){.badge = 0, .label = label, .w = {w[0], w[1], w[2], w[3]}, .buflen = buf ? len : 0,
                         .caller = curthread(), .kbuf = buf, .rights = rights};
  ep->handler(reply);
  return 0;
}

void host_park(struct kreq *r) { curthread()->parked = r; }

int host_req_live(struct kreq *r) {
  if (r->caller == curthread())
    return 1;
  for (int i = 0; i < NTHREAD; i++)
    if (threads[i].state != T_FREE && threads[i].parked == r)
      return 1;
  return 0;
}

int host_park_wait(struct kreq *r) {
  struct thread *cur = curthread();
  cur->parked = r;
  int e = 0;
  while (!r->done && (e = sleep_until(r, 0)) == 0)
    ;
  cur->parked = 0;
  return e;
}

// r may be stale (its caller gone): it is used only if a thread still waits on it.
int host_finish(struct kreq *r, uint64 rlabel, const uint64 rw[4]) {
  for (int i = 0; i < NTHREAD; i++) {
    if (threads[i].state != T_FREE && threads[i].parked == r) {
      r->rlabel = rlabel;
      for (int k = 0; k < 4; k++)
        r->rw[k] = rw[k];
      r->done = 1;
      wakeup(r);
      return 0;
    }
  }
  return E_NOREPLY;
}

// ---- kernel threads ----

static struct task ktask = {.used = 1, .name = "kernel"};

// A kernel thread starts here (it holds the big lock, as after any swtch).
static void kthread_entry(void) {
  struct thread *cur = curthread();
  ((void (*)(uint64))cur->tf->epc)(cur->tf->a0);
  panic("kthread returned");
}

int host_kthread(void (*fn)(uint64 arg), uint64 arg) {
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

// ---- notifications to kernel-answered endpoints: a kernel thread per endpoint ----

static struct {
  struct endpoint *ep;
  void (*fn)(uint64 bits);
} knotify[4];

static void knotify_loop(uint64 me) {
  struct endpoint *ep = knotify[me].ep;
  for (;;) {
    while (!ep->bits)
      sleep(ep);
    uint64 bits = ep->bits;
    ep->bits = 0;
    knotify[me].fn(bits);
  }
}

int host_serve_notify(uint64 h, void (*fn)(uint64 bits)) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  for (int i = 0; i < 4; i++) {
    if (!knotify[i].ep) {
      knotify[i].ep = ep;
      knotify[i].fn = fn;
      ep->notify_thread = 1;
      return host_kthread(knotify_loop, i);
    }
  }
  return E_NOMEM;
}

void host_alarm(uint64 h, uint64 bits, uint64 ns) { alarm_arm(h, bits, ns); }

void host_sleep_hard(void *chan) { sleep_hard(chan, 0); }

int host_lock(struct host_lock *l) {
  while (l->held)
    if (sleep_until(l, 0) < 0)
      return E_INTR;
  l->held = 1;
  return 0;
}

void host_unlock(struct host_lock *l) {
  l->held = 0;
  wakeup(l);
}

int host_sleep(void *chan) { return sleep_until(chan, 0); }

int host_sleep_ns(uint64 ns) {
  struct thread *cur = curthread();
  return sleep_until(&cur->wake_at, now_ns() + ns);
}

void host_wakeup(void *chan) { wakeup(chan); }

uint64 host_now_ns(void) { return now_ns(); }

void host_notify(uint64 h, uint64 bits) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (ep)
    ep_notify(ep, bits);
}

void *host_mmio(uint64 pa) { return (void *)(KDEV + pa); }

// ---- interrupts: bound to an endpoint (notification) or to an in-kernel handler ----

static struct {
  uint64 ep, bits;
  void (*fn)(int irq);
} irqs[NIRQ];

// Notify the bound endpoint; the source stays claimed (masked) until irq_ack.
void irq_dispatch(int irq) {
  int err;
  if (irq < NIRQ && irqs[irq].fn) {
    irqs[irq].fn(irq);
    return;
  }
  struct endpoint *ep = irq < NIRQ && irqs[irq].ep ? ep_lookup(irqs[irq].ep, &err) : 0;
  if (ep)
    ep_notify(ep, irqs[irq].bits);
  else
    plic_complete(irq);      // nobody listens: drop it
}

int irq_route(int irq, uint64 h, uint64 bits) {
  int err;
  if (irq <= 0 || irq >= NIRQ)
    return E_INVAL;
  if (h && !ep_lookup(h, &err))
    return err;
  irqs[irq].ep = h;
  irqs[irq].bits = bits;
  irqs[irq].fn = 0;
  plic_enable(irq, h != 0);
  return 0;
}

int irq_ack(int irq) {
  if (irq <= 0 || irq >= NIRQ)
    return E_INVAL;
  plic_complete(irq);
  return 0;
}

int host_irq_handler(int irq, void (*fn)(int irq)) {
  if (irq <= 0 || irq >= NIRQ)
    return E_INVAL;
  irqs[irq].fn = fn;
  plic_enable(irq, fn != 0);
  return 0;
}

void host_irq_done(int irq) { plic_complete(irq); }

// ---- alarms: one per endpoint, fired by the tick ----

static struct {
  uint64 at, bits;            // guest time (ns) and bits; at = 0: not armed
} alarms[NEP];
static int nalarms;

int alarm_set(uint64 h, uint64 bits, uint64 ns) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  if (ep->owner != curthread()->task)
    return E_PERM;
  return alarm_arm(h, bits, ns);
}

int alarm_arm(uint64 h, uint64 bits, uint64 ns) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  int i = ep - endpoints;
  if (!alarms[i].at)
    nalarms++;
  alarms[i].at = now_ns() + ns;
  alarms[i].bits = bits;
  return 0;
}

// An alarm of an endpoint that died meanwhile is dropped.
void alarms_fire(uint64 now) {
  for (int i = 1; nalarms && i < NEP; i++) {
    if (alarms[i].at && (now >= alarms[i].at || !endpoints[i].live)) {
      alarms[i].at = 0;
      nalarms--;
      if (endpoints[i].live)
        ep_notify(&endpoints[i], alarms[i].bits);
    }
  }
}
