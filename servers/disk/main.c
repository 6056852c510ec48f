// The disk driver: the disk core (virtio.c) in a task of its own, on EP_DISK. Its
// device registers and DMA memory (MEM_DMA) are mapped at start, so it never faults;
// the device's interrupt arrives on an endpoint of its own, where the core waits
// (dh_wait_irq) in the middle of a request. It serves the file server alone
// (DISK_STAT excepted). kernel/kdisk.c hosts the same core in the kernel (stages
// 1-2); the two boundary layers are duplication by design.
#include "servers/lib/server.h"
#include "servers/disk/disk.h"
#include "servers/disk/diskhost.h"
#include "servers/mem/mem.h"
#include "kernel/fs.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define REGS_VA 0x50000000UL
#define DMA_VA  0x50100000UL
#define VIRTIO0 0x10001000UL
#define VIRTIO0_IRQ 1

// @lab 03 solution: the disk driver
static uint64 irq_ep;

volatile uint32 *dh_regs(void) { return (volatile uint32 *)REGS_VA; }

void *dh_dma_page(uint64 *pa) {
  static uint64 next = DMA_VA;
  struct msg m = {.tag = TAG(MEM_DMA, 0, 0), .w = {next, 1}};
  if (ipc_call(EP_MEM, &m, 0) < 0 || TAG_LABEL(m.tag) != 0)
    return 0;
  *pa = m.w[0];
  next += 4096;
  return (void *)(next - 4096);
}

void dh_wait_irq(void) {
  struct msg m;
  ipc_recv(irq_ep, &m);
  volatile uint32 *regs = dh_regs();
  regs[0x064 / 4] = regs[0x060 / 4] & 3;    // acknowledge at the device
  irq_ack(VIRTIO0_IRQ);                      // and at the interrupt controller
}

// DISK_READ, DISK_WRITE, DISK_WRITEV: the data moves by bulk copy, a write's before
// the device starts (a failed copy writes nothing).
static int64 transfer(struct req *r) {
  uint32 b[DISK_MAXV];
  int v = r->label == DISK_WRITEV, write = r->label != DISK_READ;
  uint64 n = v ? r->w[0] : 1, at = v ? DISK_VHDR : 0;
  if (n < 1 || n > DISK_MAXV || r->buflen < at + n * BSIZE)
    return E_INVAL;
  if (!v)
    b[0] = r->w[0];
  else if (ipc_copy_from(r->token, 0, b, n * sizeof b[0]) < 0)
    return E_INVAL;
  for (uint64 i = 0; write && i < n; i++)
    if (ipc_copy_from(r->token, at + i * BSIZE, disk_data(i), BSIZE) < 0)
      return E_INVAL;
  int64 e = disk_io(b, n, write);
  if (e == 0 && !write)
    e = ipc_copy_to(r->token, 0, disk_data(0), BSIZE);
  return e < 0 ? e : 0;
}

static void handle(struct req *r) {
  int64 e = E_INVAL;
  switch (r->label) {
  case DISK_STAT:
    disk_stat(&r->rw[0], &r->rw[1], &r->rw[2]);
    e = 0;
    break;
  case DISK_READ:
  case DISK_WRITE:
  case DISK_WRITEV: e = r->badge == (uint64)ep_owner(EP_FS) ? transfer(r) : E_PERM; break;
  }
  r->rlabel = e < 0 ? (uint64)e : 0;
}

int main(int argc, char *argv[]) {
  irq_ep = ep_create();
  if (mmio_map(REGS_VA, VIRTIO0, 4096) < 0 || irq_route(VIRTIO0_IRQ, irq_ep, 1) < 0 || disk_init() < 0)
    printf("disk: no virtio block device\n");
  serve(EP_DISK, 1, handle, 0);
  return 0;
}
// @lab 03 stub
//: // TODO (lab 03): the disk driver (README.md, exercise 3; kernel/kdisk.c is the
//: // same driver inside the kernel: port it). The core asks for the registers
//: // (mmio_map at REGS_VA), DMA pages (MEM_DMA from the pager: physical addresses that
//: // never move) and waits for the interrupt (route it to an endpoint of the driver's
//: // own; acknowledge at the device, InterruptACK = InterruptStatus & 3, then irq_ack).
//: // Serve EP_DISK: the transfers for the file server only, by bulk copy.
//: volatile uint32 *dh_regs(void) { return 0; }
//:
//: void *dh_dma_page(uint64 *pa) {
//:   *pa = 0;
//:   return 0;
//: }
//:
//: void dh_wait_irq(void) {}
//:
//: int main(int argc, char *argv[]) {
//:   printf("disk: the disk driver is not written yet (lab 03)\n");
//:   return 1;
//: }
// @lab 03 end
