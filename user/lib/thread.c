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

int tlock_init(struct tlock *l) {
  l->held = 0;
  l->ep = ep_create();
  return l->ep < 0 ? (int)l->ep : 0;
}

// tlock_acquire found the lock held: mark it waited for (2) and sleep until a release
// notifies the lock's endpoint, then try again. Marking it 2 may undo another
// acquirer's 1, but that acquirer then waits here too and marks it 2 again before it
// sleeps, so the last release still notifies. Without an endpoint (tlock_init failed),
// a waiter yields its hart instead.
void tlock_wait(struct tlock *l) {
  struct msg m;
  while (__atomic_exchange_n(&l->held, 2, __ATOMIC_ACQUIRE))
    if (l->ep <= 0 || ipc_recv(l->ep, &m) < 0)
      sys0(SYS_yield);
}

// A release found the lock waited for: wake one waiter (a notification is kept until
// received, so a waiter that has not slept yet does not miss it).
void tlock_wake(struct tlock *l) {
  if (l->ep > 0)
    ipc_notify(l->ep, 1);
}
