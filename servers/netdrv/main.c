// The network driver: QEMU's virtio network device (virtio-mmio version 2, DeviceID 1)
// in a task of its own, on EP_NETDRV. It finds its slot by trying each: the kernel maps
// only the NIC's slot for a task holding R_NET (kernel/sysmech.c). Two queues of NQ
// descriptors, each a whole DMA buffer of its own: receive (every buffer always
// offered to the device) and transmit (up to NQ frames in flight). The device's
// interrupt is a notification on EP_NETDRV itself: the driver never waits for the
// device, so one worker serves everything and nothing here locks.
#include "servers/lib/server.h"
#include "servers/netdrv/netdrv.h"
#include "servers/mem/mem.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define REGS_VA   0x50000000UL
#define DMA_VA    0x50100000UL
#define VIRTIO_PA 0x10001000UL   // 8 slots of 0x1000; slot i interrupts on irq i + 1
#define IRQ_BIT   (1 << 0)

#include "servers/disk/virtio_mmio.h"

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define F_MAC (1u << 5)
#define F_VERSION_1 (1u << 0)        // feature bit 32: in the second word

#define NQ 16                        // descriptors (and buffers) per queue
#define BUF 2048                     // a buffer: the device's header, then the frame
#define HDR 12                       // struct virtio_net_hdr (version 1), all zero for us
#define RXQ 0
#define TXQ 1

struct desc { uint64 addr; uint32 len; uint16 flags, next; };
#define D_WRITE 2
struct avail { uint16 flags, idx, ring[NQ], unused; };
struct used { uint16 flags, idx; struct { uint32 id, len; } ring[NQ]; };

// One queue's ring page: descriptors, avail ring at 256, used ring at 512.
struct queue {
  struct desc *desc;
  struct avail *avail;
  volatile struct used *used;
  uint16 seen;                       // used entries taken
};

static volatile uint32 *regs;
static int irq;
static struct queue q[2];
static char *bufs;                   // 2 * NQ buffers: receive 0..NQ-1, transmit NQ..
static uint64 bufs_pa;
static uint32 txfree = (1u << NQ) - 1;
static int inflight;
static uint64 nrx, ntx, most_inflight, dropped;
static struct req waiting[4];        // NETDRV_SENDs waiting for a transmit buffer
static int nwaiting;

static int setup_queue(int i, char *page, uint64 pa) {
  regs[R_QUEUE_SEL] = i;
  if (regs[R_QUEUE_READY] || regs[R_QUEUE_MAX] < NQ)
    return -1;
  q[i].desc = (void *)page;
  q[i].avail = (void *)(page + 256);
  q[i].used = (void *)(page + 512);
  regs[R_QUEUE_NUM] = NQ;
  regs[R_DESC_LO] = pa, regs[R_DESC_HI] = pa >> 32;
  regs[R_AVAIL_LO] = pa + 256, regs[R_AVAIL_HI] = (pa + 256) >> 32;
  regs[R_USED_LO] = pa + 512, regs[R_USED_HI] = (pa + 512) >> 32;
  regs[R_QUEUE_READY] = 1;
  return 0;
}

// Offer buffer i to queue qi with len bytes (device-writable for receive).
static void post(int qi, int i, uint32 len) {
  struct queue *Q = &q[qi];
  int d = i % NQ;
  Q->desc[d] = (struct desc){bufs_pa + (uint64)i * BUF, len, qi == RXQ ? D_WRITE : 0, 0};
  Q->avail->ring[Q->avail->idx % NQ] = d;
  __sync_synchronize();
  Q->avail->idx++;
  __sync_synchronize();
  regs[R_NOTIFY] = qi;
}

static int init(void) {
  int slot;
  for (slot = 0; slot < 8; slot++)
    if (mmio_map(REGS_VA, VIRTIO_PA + slot * 0x1000UL, 4096) == 0)
      break;
  regs = (volatile uint32 *)REGS_VA;
  if (slot == 8 || regs[R_MAGIC] != 0x74726976 || regs[R_VERSION] != 2 || regs[R_DEVICE_ID] != 1)
    return -1;
  irq = slot + 1;
  regs[R_STATUS] = 0;
  regs[R_STATUS] = S_ACK | S_DRIVER;
  regs[R_DEV_FSEL] = 0;
  if (!(regs[R_DEV_FEAT] & F_MAC))
    return -1;
  regs[R_DRV_FSEL] = 0, regs[R_DRV_FEAT] = F_MAC;   // no checksum offload, no merged buffers
  regs[R_DRV_FSEL] = 1, regs[R_DRV_FEAT] = F_VERSION_1;
  regs[R_STATUS] = S_ACK | S_DRIVER | S_FEATURES_OK;
  if (!(regs[R_STATUS] & S_FEATURES_OK))
    return -1;
  // two ring pages, then the buffers: one physically contiguous DMA request
  struct msg m = {.tag = TAG(MEM_DMA, 0, 0), .w = {DMA_VA, 2 + 2 * NQ * BUF / 4096}};
  if (ipc_call(EP_MEM, &m, 0) < 0 || TAG_LABEL(m.tag) != 0)
    return -1;
  bufs = (char *)DMA_VA + 2 * 4096, bufs_pa = m.w[0] + 2 * 4096;
  if (setup_queue(RXQ, (char *)DMA_VA, m.w[0]) < 0 || setup_queue(TXQ, (char *)DMA_VA + 4096, m.w[0] + 4096) < 0)
    return -1;
  if (irq_route(irq, EP_NETDRV, IRQ_BIT) < 0)
    return -1;
  regs[R_STATUS] = S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
  for (int i = 0; i < NQ; i++)
    post(RXQ, i, BUF);
  return 0;
}

// Take back the transmit buffers the device is done with.
static void reclaim(void) {
  __sync_synchronize();
  while (q[TXQ].seen != q[TXQ].used->idx) {
    txfree |= 1u << q[TXQ].used->ring[q[TXQ].seen % NQ].id;
    q[TXQ].seen++;
    inflight--;
  }
}

// NETDRV_SEND with a free transmit buffer: copy the frame in (the one copy), start it.
static int64 xmit(struct req *r) {
  if (r->buflen < 14 || r->buflen > NETDRV_FRAME)
    return E_INVAL;
  int i = 0;
  while (!(txfree & (1u << i)))
    i++;
  char *b = bufs + (uint64)(NQ + i) * BUF;
  int64 e = ipc_copy_from(r->token, 0, b + HDR, r->buflen);
  if (e < 0)
    return e;
  memset(b, 0, HDR);
  txfree &= ~(1u << i);
  post(TXQ, NQ + i, HDR + r->buflen);
  ntx++;
  if (++inflight > most_inflight)
    most_inflight = inflight;
  return 0;
}

// NETDRV_RECV: the next received frame into the caller's buffer, its buffer back to
// the device. A frame whose copy fails, or too short to be one, is dropped.
static int64 recv(struct req *r) {
  struct queue *Q = &q[RXQ];
  for (;;) {
    __sync_synchronize();
    if (Q->seen == Q->used->idx) {
      r->rw[0] = 0;
      return 0;
    }
    uint32 id = Q->used->ring[Q->seen % NQ].id % NQ, len = Q->used->ring[Q->seen % NQ].len;
    Q->seen++;
    uint64 n = len > HDR ? len - HDR : 0;
    if (n > r->buflen)
      n = r->buflen;
    int64 e = n >= 14 ? ipc_copy_to(r->token, 0, bufs + (uint64)id * BUF + HDR, n) : E_INVAL;
    post(RXQ, id, BUF);
    if (e >= 0) {
      nrx++;
      r->rw[0] = n;
      return 0;
    }
    dropped++;
    if (e != E_INVAL)
      return e;
  }
}

static void handle(struct req *r) {
  int64 e = E_INVAL;
  int mine = r->badge == (uint64)ep_owner(EP_NET);
  if (!irq && r->label != NETDRV_STAT) {     // no device: statistics only
    r->rlabel = E_INVAL;
    return;
  }
  switch (r->label) {
  case NETDRV_SEND:
    if (!mine) {
      e = E_PERM;
      break;
    }
    reclaim();
    if (txfree) {
      e = xmit(r);
      break;
    }
    if (nwaiting == 4) {
      e = E_NOMEM;
      break;
    }
    waiting[nwaiting++] = *r;                 // answered when a buffer comes back
    defer(r);
    return;
  case NETDRV_RECV: e = mine ? recv(r) : E_PERM; break;
  case NETDRV_INFO:
    r->rw[0] = 0;
    for (int i = 5; i >= 0; i--)
      r->rw[0] = r->rw[0] << 8 | ((volatile uint8 *)&regs[R_CONFIG])[i];
    e = mine ? 0 : E_PERM;
    break;
  case NETDRV_STAT:
    r->rw[0] = nrx, r->rw[1] = ntx, r->rw[2] = most_inflight, r->rw[3] = dropped;
    e = 0;
    break;
  }
  r->rlabel = e < 0 ? (uint64)e : 0;
}

// The device's interrupt: acknowledge it, take back transmit buffers (and start the
// frames waiting for one), tell the network server about received frames.
static void notify(uint64 bits) {
  if (!(bits & IRQ_BIT) || !irq)
    return;
  regs[R_INT_ACK] = regs[R_INT_STATUS] & 3;
  irq_ack(irq);
  reclaim();
  while (nwaiting && txfree) {
    struct req *r = &waiting[0];
    int64 e = xmit(r);
    r->rlabel = e < 0 ? (uint64)e : 0;
    answer(r);
    memmove(waiting, waiting + 1, --nwaiting * sizeof waiting[0]);
  }
  __sync_synchronize();
  if (q[RXQ].seen != q[RXQ].used->idx)
    ipc_notify(EP_NET, NETDRV_RXBIT);
}

int main(int argc, char *argv[]) {
  if (init() < 0) {
    printf("netdrv: no virtio network device\n");
    irq = 0;                                   // statistics only
  }
  serve(EP_NETDRV, 1, handle, notify);
  return 0;
}
