// thread_create: a new thread in this task, starting at fn(arg) on the caller's
// stack memory; when fn returns the thread exits (crt0.S: _thread_start).
#include "user/lib/mv6.h"

void _thread_start(void);

int64 thread_create(void (*fn)(void *), void *arg, void *stack, uint64 stacksize, int prio) {
  uint64 *sp = (uint64 *)(((uint64)stack + stacksize) & ~15UL) - 2;
  sp[0] = (uint64)fn;
  sp[1] = (uint64)arg;
  return sys4(SYS_thread_create, _thread_start, sp, 0, prio);
}
