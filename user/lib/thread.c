// Threads of a task: thread_create starts a new one at fn(arg) on the caller's stack
// memory (when fn returns the thread exits: crt0.S, _thread_start); tlock keeps them
// out of each other's way.
#include "user/lib/mv6.h"

void _thread_start(void);

int64 thread_create(void (*fn)(void *), void *arg, void *stack, uint64 stacksize, int prio) {
  uint64 *sp = (uint64 *)(((uint64)stack + stacksize) & ~15UL) - 2;
  sp[0] = (uint64)fn;
  sp[1] = (uint64)arg;
  return sys4(SYS_thread_create, _thread_start, sp, 0, prio);
}

// tlock_acquire found the lock held.
void tlock_wait(struct tlock *l) {
  do
    sys0(SYS_yield);            // the holder may be on this hart: let it run
  while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE));
}
