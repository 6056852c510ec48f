// malloc and free: a first-fit free list (after K&R). Memory comes from sbrk; a task
// that has no memory server behind it (a boot task) gets a small fixed arena once.
#include "kernel/types.h"
#include "user/user.h"

#define ARENA (64 * 1024)

union header {
  struct {
    union header *next;
    uint size;            // in units of sizeof(union header)
  } s;
  uint64 align;
};

static union header arena[ARENA / sizeof(union header)];
static union header base, *freep;

void free(void *ap) {
  union header *bp = (union header *)ap - 1, *p;
  for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
    if (p >= p->s.next && (bp > p || bp < p->s.next))
      break;
  if (bp + bp->s.size == p->s.next) {
    bp->s.size += p->s.next->s.size;
    bp->s.next = p->s.next->s.next;
  } else {
    bp->s.next = p->s.next;
  }
  if (p + p->s.size == bp) {
    p->s.size += bp->s.size;
    p->s.next = bp->s.next;
  } else {
    p->s.next = bp;
  }
  freep = p;
}

static int arena_used;

// Add at least nunits to the free list.
static union header *morecore(uint nunits) {
  if (nunits < 4096)
    nunits = 4096;
  char *p = sbrk(nunits * sizeof(union header));
  union header *h = (union header *)p;
  if (p == (char *)-1) {
    if (arena_used)
      return 0;
    arena_used = 1;
    h = arena;
    nunits = sizeof arena / sizeof arena[0];
  }
  h->s.size = nunits;
  free(h + 1);
  return freep;
}

void *malloc(uint nbytes) {
  uint nunits = (nbytes + sizeof(union header) - 1) / sizeof(union header) + 1;
  if (!freep) {
    base.s.next = freep = &base;
    base.s.size = 0;
  }
  union header *prev = freep;
  for (union header *p = prev->s.next;; prev = p, p = p->s.next) {
    if (p->s.size >= nunits) {
      if (p->s.size == nunits) {
        prev->s.next = p->s.next;
      } else {
        p->s.size -= nunits;
        p += p->s.size;
        p->s.size = nunits;
      }
      freep = prev;
      return p + 1;
    }
    if (p == freep && (p = morecore(nunits)) == 0)
      return 0;
  }
}
