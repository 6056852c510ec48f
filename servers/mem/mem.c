// The memory core: owns the physical frames given to the pager at boot and every
// ordinary task's address space. Pages appear when first touched (zero-filled), fork
// shares pages copy-on-write with reference counts, sbrk only moves the break.
// The kernel maps what this core decides (memhost.h); the core never calls another
// subsystem.
#include "servers/include/svc.h"
#include "servers/mem/mem.h"
#include "servers/mem/memhost.h"

#define NAS 128              // address spaces (one per task slot)
#define NREGION 8
#define PAGE 4096UL
#define LEAF_PAGES 1024      // pages per leaf of the shadow table (4 MiB)
#define TOP_ENTRIES (MAXUVA / PAGE / LEAF_PAGES)
#define STACK_LO (USTACK_TOP - STACK_PAGES * PAGE)
#define E_COW 1u             // shadow entry: frame shared copy-on-write

struct region { uint64 lo, hi; int flags; };

// The shadow of a task's user page table, in frames of our own: top[] holds leaf
// frame numbers; a leaf entry is (frame number << 1) | E_COW, 0 = not present.
struct as {
  uint64 task;               // badge; 0 = slot free
  struct region reg[NREGION];
  uint64 heap_lo, brk;
  uint64 topn;               // frame of top[]
  uint32 *top;
};

static struct as spaces[NAS];
static uint64 base, nframes;        // frame n is physical base + n * PGSIZE
static uint32 *freestack;           // free frame numbers
static uint64 nfree;
static uint16 *ref;                 // mappings per frame
static uint64 ncow, nzero;          // statistics
static uint64 dma_next, dma_end;    // frames set aside for DMA, handed out in order

static void *fptr(uint64 n) { return memh_frame(base + n * PAGE); }

static int64 frame_alloc(void) {
  if (nfree == 0)
    return -1;
  uint64 n = freestack[--nfree];
  ref[n] = 1;
  return n;
}

static void frame_put(uint64 n) {
  if (--ref[n] == 0)
    freestack[nfree++] = n;
}

// Whole pages, eight words a step: these two dominate the cost of a fault.
static void zero(void *p) {
  uint64 *q = p;
  for (int i = 0; i < 512; i += 8) {
    q[i] = 0, q[i + 1] = 0, q[i + 2] = 0, q[i + 3] = 0;
    q[i + 4] = 0, q[i + 5] = 0, q[i + 6] = 0, q[i + 7] = 0;
  }
}

static void copy(void *d, const void *s) {
  uint64 *q = d;
  const uint64 *p = s;
  for (int i = 0; i < 512; i += 8) {
    uint64 a = p[i], b = p[i + 1], c = p[i + 2], e = p[i + 3];
    uint64 f = p[i + 4], g = p[i + 5], h = p[i + 6], k = p[i + 7];
    q[i] = a, q[i + 1] = b, q[i + 2] = c, q[i + 3] = e;
    q[i + 4] = f, q[i + 5] = g, q[i + 6] = h, q[i + 7] = k;
  }
}

// The core's own bookkeeping lives in the first frames.
void mem_init(uint64 mem_start, uint64 mem_end) {
  base = mem_start;
  nframes = (mem_end - mem_start) / PAGE;
  uint64 meta = (nframes * (sizeof *freestack + sizeof *ref) + PAGE - 1) / PAGE;
  freestack = fptr(0);
  ref = (uint16 *)((char *)freestack + nframes * sizeof *freestack);
  dma_next = meta;
  dma_end = meta + DMA_POOL < nframes ? meta + DMA_POOL : meta;
  for (uint64 n = nframes; n-- > dma_end;) {
    ref[n] = 0;
    freestack[nfree++] = n;
  }
}

static struct as *as_of(uint64 task) {
  struct as *a = &spaces[task & 0xffff & (NAS - 1)];
  return task && a->task == task ? a : 0;
}

static uint32 *entry(struct as *a, uint64 va, int alloc) {
  uint64 t = va / PAGE / LEAF_PAGES;
  if (t >= TOP_ENTRIES)
    return 0;
  if (!a->top[t]) {
    int64 n;
    if (!alloc || (n = frame_alloc()) < 0)
      return 0;
    zero(fptr(n));
    a->top[t] = n;
  }
  return (uint32 *)fptr(a->top[t]) + va / PAGE % LEAF_PAGES;
}

static struct region *region_of(struct as *a, uint64 va) {
  for (int i = 0; i < NREGION; i++)
    if (va >= a->reg[i].lo && va < a->reg[i].hi)
      return &a->reg[i];
  return 0;
}

static int perm_of(struct as *a, uint64 va) {
  if (va >= a->heap_lo && va < a->brk)
    return MEM_R | MEM_W;
  struct region *r = region_of(a, va);
  return r ? (r->flags & (MEM_R | MEM_W | MEM_X)) : 0;
}

static void as_free(struct as *a);

static struct as *as_new(uint64 task) {
  struct as *a = &spaces[task & 0xffff & (NAS - 1)];
  // The kernel gave task the slot of an older one: that one is gone for good (its
  // last thread has exited), even if the process server has not told us yet.
  if (a->task && a->task != task)
    as_free(a);
  int64 top = frame_alloc();
  if (a->task || top < 0) {
    if (top >= 0)
      frame_put(top);
    return 0;
  }
  *a = (struct as){.task = task, .topn = top, .top = fptr(top)};
  zero(a->top);
  return a;
}

// Give back every frame of a, and its shadow table. Its task is already dead.
static void as_free(struct as *a) {
  for (uint64 t = 0; t < TOP_ENTRIES; t++) {
    if (!a->top[t])
      continue;
    uint32 *leaf = fptr(a->top[t]);
    for (int i = 0; i < LEAF_PAGES; i++)
      if (leaf[i])
        frame_put(leaf[i] >> 1);
    frame_put(a->top[t]);
  }
  frame_put(a->topn);
  a->task = 0;
}

// A page fault: zero-fill a page of a known region, or copy a shared page on write.
static int fault(struct as *a, uint64 va, uint64 cause) {
  va &= ~(PAGE - 1);
  int perm = perm_of(a, va);
  int need = cause == 12 ? MEM_X : cause == 15 ? MEM_W : MEM_R;
  if (!(perm & need))
    return -1;                       // outside its memory, or not allowed: kill
  uint32 *e = entry(a, va, 1);
  if (!e)
    return -1;
  if (!*e) {
    int64 n = frame_alloc();
    if (n < 0)
      return -1;
    zero(fptr(n));
    if (memh_map(a->task, va, base + n * PAGE, perm) < 0) {
      frame_put(n);
      return -1;
    }
    *e = n << 1;
    nzero++;
    return 0;
  }
  uint64 n = *e >> 1;
  if ((*e & E_COW) && need == MEM_W) {
    if (ref[n] > 1) {                // still shared: copy it
      int64 m = frame_alloc();
      if (m < 0)
        return -1;
      copy(fptr(m), fptr(n));
      frame_put(n);
      n = m;
      ncow++;
    }
    *e = n << 1;
    return memh_map(a->task, va, base + n * PAGE, perm) < 0 ? -1 : 0;
  }
  return 0;                          // already there (another thread was first)
}

// Copy-on-write copy of parent into a new address space for child.
static int fork_as(struct as *p, struct as *c) {
  for (int i = 0; i < NREGION; i++)
    c->reg[i] = p->reg[i];
  c->heap_lo = p->heap_lo;
  c->brk = p->brk;
  for (uint64 t = 0; t < TOP_ENTRIES; t++) {
    if (!p->top[t])
      continue;
    for (int i = 0; i < LEAF_PAGES; i++) {
      uint32 *pe = (uint32 *)fptr(p->top[t]) + i;
      if (!*pe)
        continue;
      uint64 va = (t * LEAF_PAGES + i) * PAGE, n = *pe >> 1;
      int perm = perm_of(p, va);
      uint32 *ce = entry(c, va, 1);
      if (!ce)
        return -1;
      if (perm & MEM_W) {            // both lose write access until one of them writes
        perm = (perm & ~MEM_W) | MAP_COW;
        *pe |= E_COW;
        if (memh_map(p->task, va, base + n * PAGE, perm) < 0)
          return -1;
      }
      if (memh_map(c->task, va, base + n * PAGE, perm) < 0)
        return -1;
      ref[n]++;
      *ce = *pe;
    }
  }
  return 0;
}

static int64 sbrk(struct as *a, int64 delta) {
  uint64 old = a->brk;
  if (delta > 0) {
    if ((uint64)delta > MAXUVA || old + delta > a->heap_lo + (nfree * PAGE) ||
        old + delta >= STACK_LO - PAGE)
      return E_NOMEM;                // more than could ever be backed: fail now
    a->brk = old + delta;
  } else if (delta < 0) {
    if ((uint64)-delta > old - a->heap_lo)
      return E_INVAL;
    a->brk = old + delta;
    for (uint64 va = (a->brk + PAGE - 1) & ~(PAGE - 1); va < old; va += PAGE) {
      uint32 *e = entry(a, va, 0);
      if (e && *e) {
        memh_unmap(a->task, va);
        frame_put(*e >> 1);
        *e = 0;
      }
    }
  }
  return old;
}

// Copy the caller's buffer into task memory at va (exec loading). Pages are made
// present and private as needed.
static int64 write_mem(struct svc_req *r, struct as *a, uint64 va) {
  char buf[512];
  for (uint64 off = 0; off < r->buflen;) {
    uint64 n = r->buflen - off < sizeof buf ? r->buflen - off : sizeof buf;
    uint64 pg = (va + off) & ~(PAGE - 1), in = (va + off) - pg;
    if (n > PAGE - in)
      n = PAGE - in;
    int64 k = svc_copy_from(r, off, buf, n);
    if (k < 0)
      return k;
    uint32 *e = entry(a, pg, 1);
    if (!e || (!*e && fault(a, pg, 13) < 0) || ((*e & E_COW) && fault(a, pg, 15) < 0))
      return E_NOMEM;
    char *dst = (char *)fptr(*e >> 1) + in;
    for (uint64 i = 0; i < n; i++)
      dst[i] = buf[i];
    off += n;
  }
  return 0;
}

// Contiguous pinned frames for a driver, mapped into it at va for good.
static void dma(struct svc_req *r) {
  uint64 va = r->w[0], n = r->w[1];
  if (as_of(r->badge) || n == 0 || n > DMA_MAX || (va & (PAGE - 1)) || va >= MAXUVA || n * PAGE > MAXUVA - va) {
    r->rlabel = as_of(r->badge) ? E_PERM : E_INVAL;
    return;
  }
  if (dma_next + n > dma_end) {
    r->rlabel = E_NOMEM;
    return;
  }
  for (uint64 i = 0; i < n; i++) {
    zero(fptr(dma_next + i));
    if (memh_map(r->badge, va + i * PAGE, base + (dma_next + i) * PAGE, MEM_R | MEM_W) < 0) {
      r->rlabel = E_INVAL;
      return;
    }
  }
  r->rw[0] = base + dma_next * PAGE;
  dma_next += n;
}

static int add_region(struct as *a, uint64 va, uint64 len, int flags) {
  if (va + len < va || va + len > MAXUVA)
    return E_INVAL;
  if (flags & MEM_HEAP) {
    a->heap_lo = a->brk = va + len;
    return 0;
  }
  for (int i = 0; i < NREGION; i++) {
    if (a->reg[i].hi == 0) {
      a->reg[i] = (struct region){va & ~(PAGE - 1), (va + len + PAGE - 1) & ~(PAGE - 1), flags};
      return 0;
    }
  }
  return E_NOMEM;
}

static void name_of(struct svc_req *r, int i, char *name) {
  for (int k = 0; k < 16; k++)
    name[k] = (char)(r->w[i + k / 8] >> (8 * (k % 8)));
  name[15] = 0;
}

static void manage(struct svc_req *r) {
  char name[16];
  struct as *a = r->label == MEM_NEWAS ? 0 : as_of(r->w[0]);
  if (r->label != MEM_NEWAS && !a) {
    r->rlabel = E_INVAL;
    return;
  }
  switch (r->label) {
  case MEM_NEWAS:
  case MEM_FORK: {
    name_of(r, r->label == MEM_NEWAS ? 0 : 1, name);
    int64 t = memh_task_create(name);
    struct as *c = t < 0 ? 0 : as_new(t);
    if (!c || (a && fork_as(a, c) < 0)) {
      if (c) {
        memh_task_kill(t);
        as_free(c);
      } else if (t >= 0) {
        memh_task_kill(t);
      }
      r->rlabel = E_NOMEM;
      return;
    }
    r->rw[0] = t;
    return;
  }
  case MEM_REGION: r->rlabel = add_region(a, r->w[1], r->w[2], r->w[3]); return;
  case MEM_WRITE: r->rlabel = write_mem(r, a, r->w[1]); return;
  case MEM_FREE:
    memh_task_kill(a->task);
    as_free(a);
    return;
  }
}

void mem_handle(struct svc_req *r) {
  struct as *a = as_of(r->badge);
  r->rlabel = 0;
  switch (r->label) {
  case L_FAULT:
    r->rlabel = a && fault(a, r->w[0], r->w[1]) == 0 ? 0 : 1;
    return;
  case MEM_SBRK: {
    int64 old = a ? sbrk(a, (int64)r->w[0]) : E_INVAL;
    if (old < 0)
      r->rlabel = old;
    else
      r->rw[0] = old;
    return;
  }
  case MEM_DMA: dma(r); return;
  case MEM_STAT:
    r->rw[0] = nfree;
    r->rw[1] = ncow;
    r->rw[2] = nzero;
    r->rw[3] = nframes;
    return;
  case MEM_NEWAS:
  case MEM_REGION:
  case MEM_WRITE:
  case MEM_FORK:
  case MEM_FREE:
    if (r->badge != memh_proc_badge()) {
      r->rlabel = E_PERM;
      return;
    }
    manage(r);
    return;
  }
  r->rlabel = E_INVAL;
}
