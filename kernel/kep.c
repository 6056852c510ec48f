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

int64 host_copy_from(struct kreq *r, uint64 off, void *dst, uint64 len) {
  return buf_copy(r->caller, off, 0, (uint64)dst, len, 0);
}

int64 host_copy_to(struct kreq *r, uint64 off, const void *src, uint64 len) {
  return buf_copy(r->caller, off, 0, (uint64)src, len, 1);
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
