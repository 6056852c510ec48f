// The big kernel lock. A hart holds it whenever it runs kernel code, except while
// idle in wfi; it is released only by returning to user mode or idling. So kernel
// code never races with itself, and blocking in the kernel (sleep) is simple.
// The print lock is separate so that a panic can print whatever holds the BKL.
#include "kernel.h"

static volatile int bkl;
static volatile int bkl_holder = -1;

void bkl_acquire(void) {
  while (__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE))
    ;
  bkl_holder = mycpu()->id;
}

void bkl_release(void) {
  bkl_holder = -1;
  __atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
}

static volatile int plock;
static volatile int plock_holder = -1;
static int plock_depth;

// Re-entrant for the holding hart, so a dump can print in pieces and a panic while
// printing still prints.
void print_lock(void) {
  int me = mycpu()->id;
  if (plock_holder != me) {
    while (__atomic_exchange_n(&plock, 1, __ATOMIC_ACQUIRE))
      ;
    plock_holder = me;
  }
  plock_depth++;
}

void print_unlock(void) {
  if (--plock_depth > 0)
    return;
  plock_holder = -1;
  __atomic_store_n(&plock, 0, __ATOMIC_RELEASE);
}
