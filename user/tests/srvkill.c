// The structure test of the move labs: stop the server of the well-known endpoint
// given as boot argument (EP_PROC, EP_FS, EP_MEM, EP_CONSOLE, EP_DISK) and show that
// its clients get E_DEAD at once. If the kernel still hosts that subsystem there is
// no server task to stop, and a kernel-hosted copy would go on answering: FAIL.
#include "user/tests/testlib.h"

extern uint64 task_arg;

int main(int argc, char *argv[]) {
  static const char *names[] = {[5] = "proc", [6] = "fs", [7] = "mem", [8] = "console", [9] = "disk"};
  uint64 slot = task_arg & 0xffff;
  const char *name = slot < 10 ? names[slot] : 0;
  uint64 nonce = test_nonce();          // everything this task needs is touched before the kill:
  printf("srvkill: stopping the %s server\n", name ? name : "?");   // with the pager gone,
  sleep_ns(200000000);                  // a new page could not be filled; let the system settle
  int64 task = name ? task_find(name) : E_INVAL;
  CHECK(task > 0, "no task named %s: does the kernel still host it? (%s)", name, errstr(task));
  if (task > 0) {
    EXPECT(task_kill(task), 0);
    struct msg m = {.tag = TAG(0x7ff, 0, 0)};   // any label: a dead endpoint answers nothing
    uint64 t0 = time_ns();
    int64 r = ipc_call(task_arg, &m, 0);
    uint64 us = (time_ns() - t0) / 1000;
    EXPECT(r, E_DEAD);
    CHECK(us < 10000, "the call failed only after %d us", (int)us);
    if (r == E_DEAD)
      printf("srvkill: %s's clients get E_DEAD (%016lx)\n", name, nonce);
  }
  lab_done("srvkill", 1);
  return 0;
}
