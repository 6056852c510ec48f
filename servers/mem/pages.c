// Page accounting (pages.h), shared by the kernel's memory subsystem and the memory
// server. Frames are numbered from the start of the pager's memory; the free ones are
// on a stack, and each has a count of the mappings that use it. Pages appear when
// first touched (zero-filled), fork shares pages copy-on-write, sbrk only moves the
// break. The mechanism (mapping, reaching a frame's bytes) is the host's: pages.h.
#include "kernel/types.h"
#include "kernel/abi.h"
#include "servers/mem/mem.h"
#include "servers/mem/pages.h"

#define NSPACE 128           // one per task slot (kernel/param.h: NTASK)
#define NREGION 8
#define PAGE 4096UL
#define LEAF_PAGES 1024      // pages per leaf of the shadow table (4 MiB)
#define TOP_ENTRIES (MAXUVA / PAGE / LEAF_PAGES)
#define STACK_LO (USTACK_TOP - STACK_PAGES * PAGE)
#define E_COW 1u             // shadow entry: frame shared copy-on-write

struct region { uint64 lo, hi; int flags; };

// The shadow of a task's user page table, in frames of our own: top[] holds leaf
// frame numbers; a leaf entry is (frame number << 1) | E_COW, 0 = not present.
struct space {
  uint64 task;               // badge; 0 = slot free
  struct region reg[NREGION];
  uint64 heap_lo, brk;
  uint64 topn;               // frame of top[]
  uint32 *top;
};

static struct space spaces[NSPACE];
static uint64 base, nframes;        // frame n is physical base + n * PAGE
static uint32 *freestack;           // free frame numbers
static uint64 nfree;
static uint16 *ref;                 // mappings per frame
static uint64 ncow, nzero;          // statistics
static uint64 dma_next, dma_end;    // frames set aside for DMA, handed out in order
static struct dma_grant {           // ... and whose they are
  uint64 owner, first, n;
} grants[64];
static int ngrants;

static void *fptr(uint64 n) { return pages_frame(base + n * PAGE); }
static uint64 fpa(uint64 n) { return base + n * PAGE; }

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

// Whole pages, 128 words a step (the loop's own two instructions then cost 1/64 of
// the stores): these two dominate the cost of a fault.
static void zero(void *p) {
  uint64 *q = p;
  for (int i = 0; i < 512; i += 128)
#pragma GCC unroll 128
    for (int j = 0; j < 128; j++)
      q[i + j] = 0;
}

static void copy(void *d, const void *s) {
  uint64 *q = d;
  const uint64 *p = s;
  for (int i = 0; i < 512; i += 16)
#pragma GCC unroll 16
    for (int j = 0; j < 16; j++)
      q[i + j] = p[i + j];
}

// The bookkeeping (free stack, reference counts) lives in the first frames, then
// the DMA pool, then the frames for tasks.
void pages_init(uint64 mem_start, uint64 mem_end) {
  base = mem_start;
  nframes = (mem_end - mem_start) / PAGE;
  uint64 meta = (nframes * (sizeof *freestack + sizeof *ref) + PAGE - 1) / PAGE;
  freestack = fptr(0);
  ref = (uint16 *)((char *)freestack + nframes * sizeof *freestack);
  dma_next = meta;
  dma_end = meta + DMA_POOL < nframes ? meta + DMA_POOL : meta;
  nfree = 0;
  for (uint64 n = nframes; n-- > dma_end;) {
    ref[n] = 0;
    freestack[nfree++] = n;
  }
}

static struct space *slot_of(uint64 task) { return &spaces[task & 0xffff & (NSPACE - 1)]; }

struct space *space_of(uint64 task) {
  struct space *s = slot_of(task);
  return task && s->task == task ? s : 0;
}

// A new, zeroed leaf for top entry t: its frame, or 0 (out of frames; frame 0 holds
// the bookkeeping, so it is never a leaf). Apart from entry, which mostly finds the
// leaf there, so that its registers cost that case no stack frame.
static __attribute__((noinline)) uint32 leaf_new(struct space *s, uint64 t) {
  int64 n = frame_alloc();
  if (n < 0)
    return 0;
  zero(fptr(n));
  return s->top[t] = n;
}

static uint32 *entry(struct space *s, uint64 va, int alloc) {
  uint64 t = va / PAGE / LEAF_PAGES;
  if (t >= TOP_ENTRIES)
    return 0;
  if (!s->top[t] && (!alloc || !leaf_new(s, t)))
    return 0;
  return (uint32 *)fptr(s->top[t]) + va / PAGE % LEAF_PAGES;
}

static struct region *region_of(struct space *s, uint64 va) {
  for (int i = 0; i < NREGION; i++)
    if (va >= s->reg[i].lo && va < s->reg[i].hi)
      return &s->reg[i];
  return 0;
}

static int perm_of(struct space *s, uint64 va) {
  if (va >= s->heap_lo && va < s->brk)
    return MEM_R | MEM_W;
  struct region *r = region_of(s, va);
  return r ? (r->flags & (MEM_R | MEM_W | MEM_X)) : 0;
}

void space_free(struct space *s) {
  for (uint64 t = 0; t < TOP_ENTRIES; t++) {
    if (!s->top[t])
      continue;
    uint32 *leaf = fptr(s->top[t]);
    for (int i = 0; i < LEAF_PAGES; i++)
      if (leaf[i])
        frame_put(leaf[i] >> 1);
    frame_put(s->top[t]);
  }
  frame_put(s->topn);
  s->task = 0;
}

struct space *space_new(uint64 task) {
  struct space *s = slot_of(task);
  if (!task || s->task == task)
    return 0;
  if (s->task)
    space_free(s);           // its task died unannounced: the slot's new task proves it
  int64 top = frame_alloc();
  if (top < 0)
    return 0;
  *s = (struct space){.task = task, .topn = top, .top = fptr(top)};
  zero(s->top);
  return s;
}

int space_region(struct space *s, uint64 va, uint64 len, int flags) {
  if (va + len < va || va + len > MAXUVA)
    return E_INVAL;
  if (flags & MEM_HEAP) {
    s->heap_lo = s->brk = va + len;
    return 0;
  }
  for (int i = 0; i < NREGION; i++) {
    if (s->reg[i].hi == 0) {
      s->reg[i] = (struct region){va & ~(PAGE - 1), (va + len + PAGE - 1) & ~(PAGE - 1), flags};
      return 0;
    }
  }
  return E_NOMEM;
}

int space_fault(struct space *s, uint64 va, uint64 scause) {
  va &= ~(PAGE - 1);
  int perm = perm_of(s, va);
  int need = scause == 12 ? MEM_X : scause == 15 ? MEM_W : MEM_R;
  if (!(perm & need))
    return E_INVAL;                  // outside its memory, or not allowed
  uint32 *e = entry(s, va, 1);
  if (!e)
    return E_NOMEM;
  if (!*e) {                         // first touch: a zeroed frame
    int64 n = frame_alloc();
    if (n < 0)
      return E_NOMEM;
    zero(fptr(n));
    int r = pages_map(s->task, va, fpa(n), perm);
    if (r < 0) {
      frame_put(n);
      return r;
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
        return E_NOMEM;
      copy(fptr(m), fptr(n));
      int r = pages_map(s->task, va, fpa(m), perm);
      if (r < 0) {
        frame_put(m);
        return r;
      }
      frame_put(n);
      *e = m << 1;
      ncow++;
      return 0;
    }
    int r = pages_map(s->task, va, fpa(n), perm);   // the last one to hold it: ours now
    if (r == 0)
      *e = n << 1;
    return r;
  }
  return 0;                          // already there (another thread was first)
}

int space_fork(struct space *p, struct space *c) {
  for (int i = 0; i < NREGION; i++)
    c->reg[i] = p->reg[i];
  c->heap_lo = p->heap_lo;
  c->brk = p->brk;
  for (uint64 t = 0; t < TOP_ENTRIES; t++) {
    if (!p->top[t])
      continue;
    uint32 *leaf = fptr(p->top[t]);
    for (int i = 0; i < LEAF_PAGES; i++) {
      uint32 *pe = leaf + i;
      if (!*pe)
        continue;
      uint64 va = (t * LEAF_PAGES + i) * PAGE, n = *pe >> 1;
      int perm = perm_of(p, va);
      uint32 *ce = entry(c, va, 1);
      if (!ce)
        return E_NOMEM;
      if (perm & MEM_W) {            // both lose write access until one of them writes
        perm = (perm & ~MEM_W) | MAP_COW;
        *pe |= E_COW;
        if (pages_map(p->task, va, fpa(n), perm) < 0)
          return E_NOMEM;
      }
      if (pages_map(c->task, va, fpa(n), perm) < 0)
        return E_NOMEM;
      ref[n]++;
      *ce = *pe;
    }
  }
  return 0;
}

int64 space_sbrk(struct space *s, int64 delta) {
  uint64 old = s->brk;
  if (delta > 0) {
    if ((uint64)delta > MAXUVA || (uint64)delta > nfree * PAGE || old + delta >= STACK_LO - PAGE)
      return E_NOMEM;                // more than the free frames could back: fail now
    s->brk = old + delta;
  } else if (delta < 0) {
    if ((uint64)-delta > old - s->heap_lo)
      return E_INVAL;
    s->brk = old + delta;
    for (uint64 va = (s->brk + PAGE - 1) & ~(PAGE - 1); va < old; va += PAGE) {
      uint32 *e = entry(s, va, 0);
      if (e && *e) {
        pages_unmap(s->task, va);
        frame_put(*e >> 1);
        *e = 0;
      }
    }
  }
  return old;
}

int space_page(struct space *s, uint64 va, char **page) {
  va &= ~(PAGE - 1);
  if (!perm_of(s, va))
    return E_INVAL;
  uint32 *e = entry(s, va, 1);
  if (!e)
    return E_NOMEM;
  int r = 0;
  if (!*e)
    r = space_fault(s, va, 13);
  else if (*e & E_COW)
    r = space_fault(s, va, 15);
  if (r < 0)
    return r;
  *page = fptr(*e >> 1);
  return 0;
}

uint64 pages_dma(uint64 n, uint64 owner) {
  struct dma_grant *g = 0;
  for (int i = 0; i < ngrants && !g; i++)
    if (grants[i].n == n && !pages_alive(grants[i].owner))
      g = &grants[i];                 // a dead driver's: taken back
  if (!g) {
    if (n == 0 || n > dma_end - dma_next || ngrants == sizeof grants / sizeof grants[0])
      return 0;
    g = &grants[ngrants++];
    *g = (struct dma_grant){0, dma_next, n};
    dma_next += n;
  }
  g->owner = owner;
  for (uint64 i = 0; i < n; i++)
    zero(fptr(g->first + i));
  return fpa(g->first);
}

void pages_stat(struct pages_stat *st) {
  *st = (struct pages_stat){nfree, ncow, nzero, nframes};
}
