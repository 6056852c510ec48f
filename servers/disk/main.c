// The disk driver: the disk core (virtio.c) hosted in a task on EP_DISK. Its device
// registers and DMA memory are mapped at start, so it never faults.
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "servers/disk/diskhost.h"
#include "servers/mem/mem.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define REGS_VA 0x50000000UL
#define DMA_VA  0x50100000UL
#define VIRTIO0 0x10001000UL
#define VIRTIO0_IRQ 1

int disk_init(void);
void disk_handle(struct svc_req *r);

// @lab 03 solution: the disk driver's device, DMA and interrupts
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

int main(int argc, char *argv[]) {
  irq_ep = ep_create();
  if (mmio_map(REGS_VA, VIRTIO0, 4096) < 0 || irq_route(VIRTIO0_IRQ, irq_ep, 1) < 0 || disk_init() < 0)
    printf("disk: no virtio block device\n");
  svc_serve(EP_DISK, 1, disk_handle, 0);
  return 0;
}
// @lab 03 stub
//: // TODO (lab 03): map the virtio-mmio registers (mmio_map at REGS_VA), get DMA pages
//: // from the pager (MEM_DMA: the device needs physical addresses that never move),
//: // route the device's interrupt to an endpoint of the driver's own and wait there
//: // (acknowledge at the device: InterruptACK = InterruptStatus & 3, then irq_ack).
//: // Then disk_init() and serve EP_DISK with one worker.
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
