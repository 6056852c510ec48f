// The kernel pool: a free list of 4 KiB pages for page tables. It is a fixed region
// after the kernel image; user memory lies beyond it and belongs to user tasks.
#include "kernel.h"

struct run { struct run *next; };
static struct run *freelist;
static uint64 nfree, pool_start, pool_end;

void kinit(uint64 start, uint64 end) {
  pool_start = PGROUNDUP(start);
  pool_end = end;
  for (uint64 p = pool_start; p + PGSIZE <= end; p += PGSIZE)
    kfree((void *)p);
}

void kfree(void *pa) {
  uint64 a = (uint64)pa;
  if ((a & (PGSIZE - 1)) || a < pool_start || a >= pool_end)
    panic("kfree: %p not a pool page", a);
  struct run *r = pa;
  r->next = freelist;
  freelist = r;
  nfree++;
}

// Returns a zeroed page, or 0 when the pool is empty (callers report E_NOMEM).
void *kalloc(void) {
  struct run *r = freelist;
  if (!r)
    return 0;
  freelist = r->next;
  nfree--;
  memset(r, 0, PGSIZE);
  return r;
}

uint64 kfree_count(void) { return nfree; }
