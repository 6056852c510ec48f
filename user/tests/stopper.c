// The privileged test task that stops another task: here kwait, while it waits
// inside the kernel-hosted echo subsystem. The handler must unwind: kwait is gone,
// and the subsystem still serves others.
#include "user/tests/testlib.h"
#include "servers/echosrv/echo.h"

static unsigned char buf[64 * 1024];

int main(int argc, char *argv[]) {
  sleep_ns(50000000);
  int64 victim = task_find("kwait");
  CHECK(victim > 0, "kwait not found: %s", errstr(victim));
  EXPECT(task_kill(victim), 0);
  sleep_ns(10000000);
  EXPECT(task_find("kwait"), E_INVAL);
  EXPECT(task_kill(victim), E_DEAD);
  for (uint64 i = 0; i < sizeof buf; i++)
    buf[i] = i;
  struct msg m = {.tag = TAG(ECHO_XFORM, BUF_R | BUF_W, sizeof buf), .w = {1000000}};
  EXPECT(ipc_call(EP_KTEST, &m, buf), 0);
  CHECK(m.w[0] == sizeof buf && buf[5] == echo_xform(5, 5), "echo after the stop: %d bytes", (int)m.w[0]);
  printf("stopper: kwait stopped inside the kernel and unwound\n");
  test_done("kstop", 1);
  return 0;
}
