// The disk core: a virtio-mmio block device (version 2, as QEMU's virt machine offers
// with -global virtio-mmio.force-legacy=false). Requests are descriptor chains
// (header, data, status) on one queue; several can be in flight, and the core waits
// for the device's interrupt, not by spinning. Shared by both hosts (kernel/kdisk.c
// at stages 1-2, the disk driver servers/disk/main.c from stage 3): the host fills
// and empties the DMA blocks (disk_data) and answers its clients.
#include "servers/disk/disk.h"
#include "servers/disk/diskhost.h"
#include "kernel/abi.h"
#include "kernel/fs.h"

#include "servers/disk/virtio_mmio.h"
#define R_CAPACITY    R_CONFIG       // the block device's configuration starts with its size in sectors

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

#define NUM 32                 // descriptors: three per request
#define NREQ DISK_MAXV

struct desc { uint64 addr; uint32 len; uint16 flags, next; };
#define D_NEXT 1
#define D_WRITE 2              // the device writes this buffer

struct avail { uint16 flags, idx, ring[NUM], unused; };
struct used { uint16 flags, idx; struct { uint32 id, len; } ring[NUM]; };

struct blkreq { uint32 type, reserved; uint64 sector; };   // type 0 read, 1 write

// Our DMA pages: descriptors + avail ring, the used ring, request headers and status
// bytes, and the data (NREQ blocks, DATA_PAGES pages of 4 blocks each).
#define DATA_PAGES (NREQ * BSIZE / 4096)
static struct desc *desc;
static struct avail *avail;
static volatile struct used *used;
static struct blkreq *hdr;
static volatile uint8 *status;
static char *data_page[DATA_PAGES];
static uint64 desc_pa, avail_pa, used_pa, hdr_pa, status_pa, data_pa[DATA_PAGES];
static volatile uint32 *regs;
static uint16 used_seen;
static uint64 capacity, inflight_max, ndone;
static int ready;

int disk_init(void) {
  regs = dh_regs();
  if (regs[R_MAGIC] != 0x74726976 || regs[R_VERSION] != 2 || regs[R_DEVICE_ID] != 2)
    return -1;                 // no modern virtio block device here
  regs[R_STATUS] = 0;
  regs[R_STATUS] = S_ACK | S_DRIVER;
  uint32 f = regs[R_DEV_FEAT];
  f &= ~((1u << 5) | (1u << 7) | (1u << 11) | (1u << 12) | (1u << 27) | (1u << 28) | (1u << 29));
  regs[R_DRV_FEAT] = f;        // no read-only, SCSI, cache, multi-queue, indirect or event index
  regs[R_STATUS] = S_ACK | S_DRIVER | S_FEATURES_OK;
  if (!(regs[R_STATUS] & S_FEATURES_OK))
    return -1;
  regs[R_QUEUE_SEL] = 0;
  if (regs[R_QUEUE_READY] || regs[R_QUEUE_MAX] < NUM)
    return -1;
  char *m = dh_dma_page(&desc_pa), *u = dh_dma_page(&used_pa), *h = dh_dma_page(&hdr_pa);
  if (!m || !u || !h)
    return -1;
  desc = (void *)m;
  avail = (void *)(m + NUM * sizeof(struct desc)), avail_pa = desc_pa + NUM * sizeof(struct desc);
  used = (void *)u;
  hdr = (void *)h;
  status = (uint8 *)(hdr + NREQ), status_pa = hdr_pa + NREQ * sizeof *hdr;
  for (int i = 0; i < DATA_PAGES; i++)
    if (!(data_page[i] = dh_dma_page(&data_pa[i])))
      return -1;
  regs[R_QUEUE_NUM] = NUM;
  regs[R_DESC_LO] = desc_pa, regs[R_DESC_HI] = desc_pa >> 32;
  regs[R_AVAIL_LO] = avail_pa, regs[R_AVAIL_HI] = avail_pa >> 32;
  regs[R_USED_LO] = used_pa, regs[R_USED_HI] = used_pa >> 32;
  regs[R_QUEUE_READY] = 1;
  regs[R_STATUS] = S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
  capacity = regs[R_CAPACITY] | (uint64)regs[R_CAPACITY + 1] << 32;
  ready = 1;
  return 0;
}

char *disk_data(int i) { return data_page[i / 4] + i % 4 * BSIZE; }

// Put request i (descriptors 3i..3i+2) on the avail ring: block b, write or read.
static void submit(int i, uint64 b, int write) {
  hdr[i] = (struct blkreq){write ? 1 : 0, 0, b * (BSIZE / 512)};
  status[i] = 0xff;
  int d = 3 * i;
  desc[d] = (struct desc){hdr_pa + i * sizeof *hdr, sizeof *hdr, D_NEXT, d + 1};
  desc[d + 1] = (struct desc){data_pa[i / 4] + i % 4 * BSIZE, BSIZE, D_NEXT | (write ? 0 : D_WRITE), d + 2};
  desc[d + 2] = (struct desc){status_pa + i, 1, D_WRITE, 0};
  avail->ring[avail->idx % NUM] = d;
  __sync_synchronize();
  avail->idx++;
}

// Start n requests and wait until the device has finished all of them.
static int run(int n) {
  __sync_synchronize();
  regs[R_NOTIFY] = 0;
  if ((uint64)n > inflight_max)
    inflight_max = n;
  int done = 0;
  while (done < n) {
    __sync_synchronize();
    while (used_seen == used->idx)
      dh_wait_irq();
    used_seen++;
    done++;
  }
  ndone += n;
  for (int i = 0; i < n; i++)
    if (status[i] != 0)
      return E_INVAL;
  return 0;
}

// n <= DISK_MAXV requests at once, request i on block blocks[i] with the data in
// disk_data(i): 0 when the device has done them all, E_RANGE (a block past the end,
// nothing started), E_INVAL (no device, or the device failed one).
int disk_io(const uint32 *blocks, int n, int write) {
  if (!ready || n < 1 || n > DISK_MAXV)
    return E_INVAL;
  for (int i = 0; i < n; i++)
    if (blocks[i] * (uint64)(BSIZE / 512) >= capacity)
      return E_RANGE;
  for (int i = 0; i < n; i++)
    submit(i, blocks[i], write);
  return run(n);
}

void disk_stat(uint64 *most_inflight, uint64 *done, uint64 *blocks) {
  *most_inflight = inflight_max;
  *done = ndone;
  *blocks = capacity / (BSIZE / 512);
}
