// Bad input to the kernel: each gets its own error code, and the kernel and this
// task go on. This task is unprivileged.
#include "user/tests/testlib.h"

static char buf[256];

int main(int argc, char *argv[]) {
  struct msg m = {.tag = TAG(1, 0, 0)};
  // unknown system calls
  EXPECT(sys0(0), E_BADSYS);
  EXPECT(sys0(999), E_BADSYS);
  EXPECT(sys0(-1UL), E_BADSYS);
  // handles never issued, and stale ones
  EXPECT(ipc_call(0, &m, 0), E_BADHANDLE);
  EXPECT(ipc_call(HANDLE(5000, 1), &m, 0), E_BADHANDLE);
  EXPECT(ipc_call(HANDLE(200, 77), &m, 0), E_BADHANDLE);
  int64 ep = ep_create();
  CHECK(ep > 0, "ep_create: %s", errstr(ep));
  EXPECT(ep_destroy(ep), 0);
  EXPECT(ipc_call(ep, &m, 0), E_DEAD);
  EXPECT(ipc_notify(ep, 1), E_DEAD);
  EXPECT(ipc_recv(ep, &m), E_DEAD);
  EXPECT(ep_destroy(ep), E_DEAD);
  int64 ep2 = ep_create();      // may take the same slot: the old handle still names nothing
  CHECK(ep2 > 0 && ep2 != ep, "new endpoint %p, old %p", ep2, ep);
  EXPECT(ipc_notify(ep, 1), E_DEAD);
  EXPECT(ep_destroy(ep2), 0);
  // someone else's endpoint
  EXPECT(ipc_recv(EP_TEST0, &m), E_PERM);
  EXPECT(alarm_ns(EP_TEST0, 1, 1000), E_PERM);
  EXPECT(ep_destroy(EP_TEST0), E_PERM);
  // reply tokens that name nothing
  EXPECT(ipc_reply(0, &m), E_NOREPLY);
  EXPECT(ipc_reply(HANDLE(3, 999), &m), E_NOREPLY);
  EXPECT(ipc_copy_from(HANDLE(3, 1), 0, buf, 8), E_NOREPLY);
  EXPECT(ipc_copy_to(12345, 0, buf, 8), E_NOREPLY);
  // bad addresses and lengths
  EXPECT(debug_write((void *)0x80200000, 10), E_BADADDR);
  EXPECT(debug_write((void *)0xffffffc000000000UL, 10), E_BADADDR);
  EXPECT(debug_write((void *)0x40000000, 10), E_NOTPRESENT);
  EXPECT(debug_write(buf, 1UL << 40), E_RANGE);
  EXPECT(debug_write(buf, -1UL), E_RANGE);
  m.tag = TAG(1, BUF_R, 16);
  EXPECT(ipc_call(EP_TEST0, &m, (void *)0x80200000), E_BADADDR);
  m.tag = TAG(1, BUF_R, 0xffffffffUL);
  EXPECT(ipc_call(EP_TEST0, &m, buf), E_BADADDR);
  EXPECT(sys2(SYS_bootinfo, 0x80200000, 64), E_BADADDR);
  EXPECT(sys4(SYS_thread_create, 0x80200000, buf + sizeof buf, 0, 1), E_BADADDR);
  EXPECT(sys4(SYS_thread_create, main, 0x80200000, 0, 1), E_BADADDR);
  // privileged mechanism, unprivileged caller
  EXPECT(task_create("x", 0), E_PERM);
  EXPECT(task_kill(self_badge()), E_PERM);
  EXPECT(page_map(0, 0x40000000, 0x84000000, MAP_R), E_PERM);
  EXPECT(page_unmap(0, 0x40000000), E_PERM);
  EXPECT(irq_route(10, EP_TEST0, 1), E_PERM);
  EXPECT(irq_ack(10), E_PERM);
  EXPECT(mmio_map(0x30000000, 0x10000000, 4096), E_PERM);
  EXPECT(sys1(SYS_poweroff, 0), E_PERM);
  // the kernel and the pong server still work
  m = (struct msg){.tag = TAG(1, 0, 0), .w = {7}};
  EXPECT(ipc_call(EP_TEST0, &m, 0), 0);
  CHECK(m.w[0] == 8, "pong answered %d", (int)m.w[0]);
  test_done("badinput", 0);
  return 0;
}
