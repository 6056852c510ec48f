// Preemption: two CPU-bound threads of equal priority both make progress; a thread
// of higher priority wakes on time although they spin; and the pong server answers
// quickly while the spinner task spins at the same priority as pong and us.
#include "user/tests/testlib.h"

static volatile uint64 count[2];
static char stacks[2][8192] __attribute__((aligned(16)));

static void spin(void *arg) {
  uint64 i = (uint64)arg;
  for (;;)
    count[i]++;
}

int main(int argc, char *argv[]) {
  thread_create(spin, (void *)0, stacks[0], sizeof stacks[0], 4);
  thread_create(spin, (void *)1, stacks[1], sizeof stacks[1], 4);
  uint64 worst = 0;
  for (int round = 0; round < 5; round++) {
    uint64 a = count[0], b = count[1], t0 = time_ns();
    sleep_ns(30000000);                       // we run at priority 5 > 4
    uint64 late = time_ns() - t0 - 30000000;
    if (late > worst)
      worst = late;
    CHECK(count[0] > a && count[1] > b, "round %d: spinners did not both progress (%d %d)", round,
          (int)(count[0] - a), (int)(count[1] - b));
  }
  CHECK(worst < 15000000, "a higher-priority sleeper woke %d us late", (int)(worst / 1000));
  uint64 slowest = 0;
  for (int i = 0; i < 200; i++) {
    uint64 t0 = time_ns();
    struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
    int64 r = ipc_call(EP_TEST0, &m, 0);
    CHECK(r == 0 && m.w[0] == (uint64)i + 1, "call %d to pong: %s", i, errstr(r));
    if (time_ns() - t0 > slowest)
      slowest = time_ns() - t0;
  }
  CHECK(slowest < 100000000, "slowest call to pong took %d us", (int)(slowest / 1000));
  printf("preempt: wake-up late by at most %d us, slowest call %d us\n", (int)(worst / 1000), (int)(slowest / 1000));
  test_done("preempt", 1);
  return 0;
}
