// IPC tracing: with tracing on, the kernel logs each message; then it is switched off.
#include "user/tests/testlib.h"

int main(int argc, char *argv[]) {
  EXPECT(ipc_tracing(1), 0);
  struct msg m = {.tag = TAG(7, 0, 0), .w = {1}};
  EXPECT(ipc_call(EP_TEST0, &m, 0), 0);
  EXPECT(ipc_tracing(0), 0);
  CHECK(m.w[0] == 2, "pong answered %d", (int)m.w[0]);
  EXPECT(debug_dump(), 0);
  test_done("trace", 1);
  return 0;
}
