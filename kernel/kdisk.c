// The disk core (servers/disk/virtio.c) hosted in the kernel, at stages 1 and 2
// (khost.h). The kernel-hosted file system calls kdisk_read and kdisk_write directly,
// on its caller's kernel stack; the transfer waits for the device's interrupt by
// sleeping (a stop cannot cut it short: the device is writing our pages). EP_DISK
// answers DISK_STAT for anyone, and the transfers for a file *server* alone (the
// mixes where the file system has moved out and the disk not yet: HOSTED=...), with
// kcopyin/kcopyout. DMA pages come from the kernel pool.
// The disk driver (servers/disk/main.c) does the same work the server's way: MMIO
// mappings, MEM_DMA pages, the interrupt as a notification, requests as messages from
// the file server only. The two are duplication by design.
#include "kernel.h"
#include "khost.h"
#include "fs.h"
#include "servers/disk/disk.h"
#include "servers/disk/diskhost.h"

#define VIRTIO0_IRQ 1

static volatile int irq_seen;
static struct ksub disk;

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

void dh_wait_irq(void) {
  while (!irq_seen)
    ksleep_hard(&disk, (void *)&irq_seen);
  irq_seen = 0;
  volatile uint32 *regs = dh_regs();
  regs[0x064 / 4] = regs[0x060 / 4] & 3;   // acknowledge at the device
  kirq_done(VIRTIO0_IRQ);
}

// ---- khost.h: the disk, for the kernel-hosted file system ----

int kdisk_read(uint blockno, void *dst) {
  uint32 b = blockno;
  if (klock(&disk) < 0)
    return E_INTR;
  int e = disk_io(&b, 1, 0);
  if (e == 0)
    memmove(dst, disk_data(0), BSIZE);
  kunlock(&disk);
  return e;
}

int kdisk_write(const uint *where, void *const *src, int n) {
  uint32 b[DISK_MAXV];
  if (n < 1 || n > DISK_MAXV)
    return E_INVAL;
  if (klock(&disk) < 0)
    return E_INTR;
  for (int i = 0; i < n; i++) {
    b[i] = where[i];
    memmove(disk_data(i), src[i], BSIZE);
  }
  int e = disk_io(b, n, 1);
  kunlock(&disk);
  return e;
}

// The owner of EP_FS, if a task serves it: the only client of the transfers.
static uint64 fs_server(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_FS, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

static int transfer(struct kreq *r) {
  uint32 b[DISK_MAXV];
  int n = r->label == DISK_WRITEV ? r->w[0] : 1, write = r->label != DISK_READ;
  if (n < 1 || n > DISK_MAXV || r->buflen < (r->label == DISK_WRITEV ? DISK_VHDR : 0) + n * BSIZE)
    return E_INVAL;
  if (r->label != DISK_WRITEV)
    b[0] = r->w[0];
  else if (kcopyin(r, 0, b, n * sizeof b[0]) < 0)
    return E_INVAL;
  for (int i = 0; write && i < n; i++)     // copy first: nothing half-written
    if (kcopyin(r, (r->label == DISK_WRITEV ? DISK_VHDR : 0) + i * BSIZE, disk_data(i), BSIZE) < 0)
      return E_INVAL;
  int e = disk_io(b, n, write);
  if (e == 0 && !write && kcopyout(r, 0, disk_data(0), BSIZE) < 0)
    return E_INVAL;
  return e;
}

static void handle(struct kreq *r) {
  switch (r->label) {
  case DISK_STAT: disk_stat(&r->rw[0], &r->rw[1], &r->rw[2]); return;
  case DISK_READ:
  case DISK_WRITE:
  case DISK_WRITEV:
    r->rlabel = r->badge && r->badge == fs_server() ? transfer(r) : E_PERM;
    return;
  }
  r->rlabel = E_INVAL;
}

static struct ksub disk = {.name = "disk", .ep = EP_DISK, .handle = handle};

void kdisk_start(void) {
  kirq(VIRTIO0_IRQ, disk_irq);
  if (disk_init() < 0)
    kprintf("disk: no virtio block device\n");
  ksub_start(&disk);
}
