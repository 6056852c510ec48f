// Device interrupts: each source is bound either to an endpoint (a driver server
// gets them as notification bits and acknowledges with irq_ack) or to a handler in
// the kernel (a kernel-hosted driver, khost.h's kirq).
#include "kernel.h"
#include "khost.h"

static struct {
  uint64 ep, bits;
  void (*fn)(int irq);
  int unacked;               // claimed and notified, not acknowledged yet
} irqs[NIRQ];

// Notify the bound endpoint; the source stays claimed (masked) until irq_ack.
void irq_dispatch(int irq) {
  int err;
  if (irq < NIRQ && irqs[irq].fn) {
    irqs[irq].fn(irq);
    return;
  }
  struct endpoint *ep = irq < NIRQ && irqs[irq].ep ? ep_lookup(irqs[irq].ep, &err) : 0;
  if (ep && ipc_trace)
    kprintf("ipc: notify irq%d -> %s bits %lx\n", irq, ep->owner->name, irqs[irq].bits);
  if (ep) {
    irqs[irq].unacked = 1;
    ep_notify(ep, irqs[irq].bits);
  } else {
    plic_complete(irq);      // nobody listens: drop it
  }
}

int irq_route(int irq, uint64 h, uint64 bits) {
  int err;
  if (irq <= 0 || irq >= NIRQ)
    return E_INVAL;
  if (h && !ep_lookup(h, &err))
    return err;
  if (irqs[irq].unacked) {   // a driver died before it acknowledged: its successor starts clean
    irqs[irq].unacked = 0;
    plic_complete(irq);
  }
  irqs[irq].ep = h;
  irqs[irq].bits = bits;
  irqs[irq].fn = 0;
  plic_enable(irq, h != 0);
  return 0;
}

int irq_ack(int irq) {
  if (irq <= 0 || irq >= NIRQ)
    return E_INVAL;
  irqs[irq].unacked = 0;
  plic_complete(irq);
  return 0;
}

int kirq(int irq, void (*fn)(int irq)) {
  if (irq <= 0 || irq >= NIRQ)
    return E_INVAL;
  irqs[irq].fn = fn;
  plic_enable(irq, fn != 0);
  return 0;
}

void kirq_done(int irq) { plic_complete(irq); }
