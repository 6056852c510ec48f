// Benchmarks' clock: instructions the hart executed, idle time excluded. Under
// -icount,sleep=off QEMU jumps virtual time over a wfi and instret jumps with it;
// the kernel counts what passes while idle (STAT_IDLE), which this subtracts.
// Instructions only under icount, and CPUS=1: instret is the machine's clock.
#ifndef BUSY_H
#define BUSY_H
#include "user/lib/mv6.h"

static inline uint64 busy_insns(void) {
  uint64 x;
  asm volatile("rdinstret %0" : "=r"(x));
  return x - kstat(STAT_IDLE);
}
#endif
