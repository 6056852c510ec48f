// The structure test of the move labs: the server named by kill= on the kernel command
// line (proc, fs, mem, console or disk) is a task that answers requests; stop it and
// show that its clients get E_DEAD at once. If the kernel still hosts that subsystem
// there is no server task to stop, and a kernel-hosted copy would go on answering: FAIL.
#include "user/tests/testlib.h"

static const struct {
  const char *name;
  uint64 ep;
} servers[] = {{"proc", EP_PROC}, {"fs", EP_FS}, {"mem", EP_MEM}, {"console", EP_CONSOLE}, {"disk", EP_DISK}};

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  char name[16] = "?";
  uint64 ep = 0;
  get_bootinfo(&bi);
  bootarg(bi.bootargs, "kill", name, sizeof name);
  for (int i = 0; i < sizeof servers / sizeof servers[0]; i++)
    if (strcmp(name, servers[i].name) == 0)
      ep = servers[i].ep;
  printf("srvkill: stopping the %s server\n", name);
  sleep_ns(200000000);                  // let the system settle
  int64 task = ep ? task_find(name) : E_INVAL;
  CHECK(task > 0, "no task named %s: does the kernel still host it? (%s)", name, errstr(task));
  // It serves: a request it does not know gets a reply (an error label), as from any
  // server that works; a stub that never answers fails here (the test's time runs out).
  struct msg probe = {.tag = TAG(0x7fe, 0, 0)};
  int64 served = task > 0 ? ipc_call(ep, &probe, 0) : E_INVAL;
  CHECK(served == 0, "the %s server does not answer a request (%s)", name, errstr(served));
  if (task > 0 && served == 0) {
    EXPECT(task_kill(task), 0);
    struct msg m = {.tag = TAG(0x7ff, 0, 0)};   // any label: a dead endpoint answers nothing
    uint64 t0 = time_ns();
    int64 r = ipc_call(ep, &m, 0);
    uint64 us = (time_ns() - t0) / 1000;
    EXPECT(r, E_DEAD);
    CHECK(us < 10000, "the call failed only after %d us", (int)us);
    if (r == E_DEAD && us < 10000)
      verdict("srvkill: %s's clients get E_DEAD", name);
  }
  test_done("srvkill", 1);
  return 0;
}
