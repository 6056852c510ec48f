// Runs while the faulter tasks fault: afterwards they are all gone, and the pong
// server and this task are fine.
#include "user/tests/testlib.h"

int main(int argc, char *argv[]) {
  sleep_ns(50000000);
  EXPECT(task_find("faulter"), E_INVAL);
  struct msg m = {.tag = TAG(1, 0, 0), .w = {1}};
  EXPECT(ipc_call(EP_TEST0, &m, 0), 0);
  CHECK(m.w[0] == 2, "pong answered %d", (int)m.w[0]);
  test_done("faults", 1);
  return 0;
}
