// A server with 8 calls outstanding to a slow server still answers its other
// clients: 8 threads send SLOW requests through midsrv; once slowsrv holds all 8,
// a FAST request must still be answered; then the 8 are released and checked.
#include "user/tests/testlib.h"

#define N 8
static char stacks[N][8192] __attribute__((aligned(16)));
static volatile uint64 result[N];
static volatile int finished[N];

static void slow_caller(void *arg) {
  uint64 i = (uint64)arg;
  struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
  int64 r = ipc_call(EP_TEST0, &m, 0);
  result[i] = r < 0 ? (uint64)r : m.w[0];
  finished[i] = 1;
}

static int64 count_waiting(void) {
  struct msg m = {.tag = TAG(2, 0, 0)};
  int64 r = ipc_call(EP_TEST1, &m, 0);
  return r < 0 ? r : (int64)m.w[0];
}

int main(int argc, char *argv[]) {
  for (uint64 i = 0; i < N; i++)
    thread_create(slow_caller, (void *)i, stacks[i], sizeof stacks[i], 4);
  int64 waiting = 0;
  for (int tries = 0; tries < 200 && (waiting = count_waiting()) < N; tries++)
    sleep_ns(5000000);
  CHECK(waiting == N, "slowsrv holds %d calls, want %d", (int)waiting, N);
  uint64 t0 = time_ns();
  struct msg m = {.tag = TAG(2, 0, 0), .w = {41}};
  EXPECT(ipc_call(EP_TEST0, &m, 0), 0);
  CHECK(m.w[0] == 42, "fast request answered %d", (int)m.w[0]);
  printf("outstanding: %d calls held, a fast request answered in %d us\n", (int)waiting, (int)((time_ns() - t0) / 1000));
  for (int i = 0; i < N; i++)
    CHECK(!finished[i], "slow call %d finished before the release", i);
  m = (struct msg){.tag = TAG(3, 0, 0)};
  EXPECT(ipc_call(EP_TEST1, &m, 0), 0);
  for (int i = 0; i < N; i++) {
    for (int tries = 0; tries < 200 && !finished[i]; tries++)
      sleep_ns(1000000);
    CHECK(finished[i] && result[i] == (uint64)i + 1000, "slow call %d: finished %d result %d", i, finished[i], (int)result[i]);
  }
  test_done("outstanding", 1);
  return 0;
}
