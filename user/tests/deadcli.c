// A dead server's clients get an error at once: a thread waits in a call to slowsrv
// (which holds it), slowsrv is killed, and the call returns E_DEAD; later calls to
// the well-known endpoint fail the same way, never reaching anyone else.
#include "user/tests/testlib.h"

static char stack[8192] __attribute__((aligned(16)));
static volatile int64 result = 1;
static volatile uint64 returned_at;

static void waiter(void *arg) {
  struct msg m = {.tag = TAG(1, 0, 0), .w = {5}};
  result = ipc_call(EP_TEST1, &m, 0);
  returned_at = time_ns();
}

int main(int argc, char *argv[]) {
  thread_create(waiter, 0, stack, sizeof stack, 4);
  sleep_ns(20000000);
  CHECK(result == 1, "the call returned before the server died: %s", errstr(result));
  int64 srv = task_find("slowsrv");
  CHECK(srv > 0, "slowsrv not found");
  uint64 t0 = time_ns();
  EXPECT(task_kill(srv), 0);
  for (int i = 0; i < 100 && result == 1; i++)
    sleep_ns(1000000);
  EXPECT(result, E_DEAD);
  uint64 delay = returned_at - t0;
  CHECK(delay < 1000000, "the waiting call failed only %d us after the kill", (int)(delay / 1000));
  printf("deadserver: the waiting call failed %d us after the kill\n", (int)(delay / 1000));
  struct msg m = {.tag = TAG(1, 0, 0)};
  EXPECT(ipc_call(EP_TEST1, &m, 0), E_DEAD);
  EXPECT(ipc_notify(EP_TEST1, 1), E_DEAD);
  test_done("deadserver", 1);
  return 0;
}
