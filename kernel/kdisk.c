// The disk core (servers/disk/virtio.c) hosted in the kernel, at stages 1 and 2:
// EP_DISK is answered on the caller's kernel stack (the file system's caller), DMA
// pages come from the kernel pool, and the interrupt wakes the waiting caller.
#include "kernel.h"
#include "ksvc.h"
#include "servers/disk/diskhost.h"

#define VIRTIO0_IRQ 1

int disk_init(void);
void disk_handle(struct svc_req *r);

static volatile int irq_seen;

volatile uint32 *dh_regs(void) { return kdevice(VIRTIO_PA); }

void *dh_dma_page(uint64 *pa) {
  void *p = kalloc();              // zeroed; the kernel's pages are identity-mapped
  *pa = (uint64)p;
  return p;
}

static void disk_irq(int irq) {
  irq_seen = 1;
  kwakeup((void *)&irq_seen);
}

static void handle(struct kreq *k) { ksvc_handle(k, disk_handle); }

static struct ksub disk = {.name = "disk", .ep = EP_DISK, .handle = handle};

void dh_wait_irq(void) {
  while (!irq_seen)
    ksleep_hard(&disk, (void *)&irq_seen);
  irq_seen = 0;
  volatile uint32 *regs = dh_regs();
  regs[0x064 / 4] = regs[0x060 / 4] & 3;   // acknowledge at the device
  kirq_done(VIRTIO0_IRQ);
}

void kdisk_start(void) {
  kirq(VIRTIO0_IRQ, disk_irq);
  if (disk_init() < 0)
    kprintf("disk: no virtio block device\n");
  ksub_start(&disk);
}
