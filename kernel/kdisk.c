// The disk core (servers/disk/virtio.c) hosted in the kernel, at stages 1 and 2:
// EP_DISK is answered on the caller's kernel stack (the file server's caller), DMA
// pages come from the kernel pool, and the interrupt wakes the waiting caller.
#include "kernel.h"
#include "host.h"
#include "ksvc.h"
#include "servers/disk/diskhost.h"

#define VIRTIO0_IRQ 1

int disk_init(void);
void disk_handle(struct svc_req *r);

static volatile int irq_seen;
static struct host_lock lock;

volatile uint32 *dh_regs(void) { return host_mmio(VIRTIO_PA); }

void *dh_dma_page(uint64 *pa) {
  void *p = kalloc();              // zeroed; the kernel's pages are identity-mapped
  *pa = (uint64)p;
  return p;
}

static void disk_irq(int irq) {
  irq_seen = 1;
  host_wakeup((void *)&irq_seen);
}

void dh_wait_irq(void) {
  while (!irq_seen)
    host_sleep_hard((void *)&irq_seen);
  irq_seen = 0;
  volatile uint32 *regs = dh_regs();
  regs[0x064 / 4] = regs[0x060 / 4] & 3;   // acknowledge at the device
  host_irq_done(VIRTIO0_IRQ);
}

static void disk_in_kernel(struct kreq *k) { ksvc_run_locked(k, disk_handle, &lock); }

void kdisk_start(void) {
  host_irq_handler(VIRTIO0_IRQ, disk_irq);
  if (disk_init() < 0)
    kprintf("disk: no virtio block device\n");
  host_serve(EP_DISK, disk_in_kernel);
}
