// The big kernel lock (its fast paths are inline in kernel.h). A hart holds it
// whenever it runs kernel code, except while idle in wfi; it is released only by
// returning to user mode or idling. So kernel code never races with itself, and
// blocking in the kernel (sleep) is simple.
// The print lock is separate so that a panic can print whatever holds the BKL.
#include "kernel.h"

struct bkl bkl;

#define BKL_SPIN_US 20                 // how long a waiting hart spins before it sleeps

// Called by bkl_acquire (kernel.h) when the lock is taken. The hart spins for up to
// BKL_SPIN_US, then sleeps in wfi until the holder's release sends it an IPI. Without
// icount each hart has a host thread of its own and the holder usually lets go within
// a few hundred instructions: spinning that long costs less than the IPI round trip
// (an SBI call on both sides and a host thread woken; every release woke a sleeper
// before the spin was added). Under -icount all harts share one host thread and the
// holder cannot run while this one spins, so the spin is short and then it sleeps.
// While it sleeps only the software interrupt may wake it; consuming that IPI loses
// no reschedule request, because usertrapret looks at the run queues anyway.
void bkl_wait(void) {
  uint64 end = r_time() + BKL_SPIN_US * timebase / 1000000;
  while (r_time() < end)
    if (!bkl.held && !__atomic_exchange_n(&bkl.held, 1, __ATOMIC_ACQUIRE))
      return;
  uint64 bit = 1UL << mycpu()->id, sie = csrr(sie);
  csrw(sie, SIE_SSIE);
  __atomic_fetch_or(&bkl.waiters, bit, __ATOMIC_SEQ_CST);
  for (;;) {
    csrc(sip, SIE_SSIE);
    __sync_synchronize();
    if (!bkl.held && !__atomic_exchange_n(&bkl.held, 1, __ATOMIC_ACQUIRE))
      break;
    wfi();
  }
  __atomic_fetch_and(&bkl.waiters, ~bit, __ATOMIC_SEQ_CST);
  csrw(sie, sie);
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
