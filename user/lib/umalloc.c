// malloc and free: a first-fit free list (after K&R) over a fixed arena. Until the
// memory server provides sbrk, the arena is all a task has.
#include "kernel/types.h"
#include "user/user.h"

#define ARENA (256 * 1024)

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

void *malloc(uint nbytes) {
  uint nunits = (nbytes + sizeof(union header) - 1) / sizeof(union header) + 1;
  if (!freep) {
    base.s.next = freep = &base;
    base.s.size = 0;
    arena[0].s.size = sizeof arena / sizeof arena[0];
    free(arena + 1);
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
    if (p == freep)
      return 0;
  }
}
