// The platform interrupt controller. Every routed source is enabled for the boot
// hart's S-mode context only, so one hart claims and completes them all.
#include "kernel.h"

#define PLIC(off) ((volatile uint32 *)(KDEV + PLIC_PA + (off)))
#define PLIC_PRIORITY(irq)  PLIC(4 * (irq))
#define PLIC_ENABLE(ctx)    PLIC(0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) PLIC(0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     PLIC(0x200004 + 0x1000 * (ctx))

int plic_hart;

static int ctx(void) { return 2 * plic_hart + 1; }

void plic_init(void) {
  plic_hart = mycpu()->id;
  *PLIC_THRESHOLD(ctx()) = 0;
}

void plic_enable(int irq, int on) {
  *PLIC_PRIORITY(irq) = on ? 1 : 0;
  volatile uint32 *en = PLIC_ENABLE(ctx()) + irq / 32;
  if (on)
    *en |= 1u << (irq % 32);
  else
    *en &= ~(1u << (irq % 32));
}

int plic_claim(void) { return *PLIC_CLAIM(ctx()); }

void plic_complete(int irq) { *PLIC_CLAIM(ctx()) = irq; }
