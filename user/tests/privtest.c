// Policy that needs privilege, tried by an ordinary process (issue 14): each case is
// one refusal, checked beside what stays allowed, so that a kernel refusing everything
// fails too.
//   trace:  turning on IPC tracing for everyone (E_PERM); the setting is unchanged.
//   notify: posting bits to an endpoint the process does not own, here a fake UART
//           interrupt to the console driver (E_PERM); bits to its own endpoint arrive.
//   forge:  lines that imitate the kernel's panic, through the console and through the
//           kernel's debug_write, with and without the kernel's line mark (KLINE_MARK):
//           the grader must not take them for the kernel's (the test's forbid would).
#include "user/tests/testlib.h"
#include "servers/console/cons.h"

static void trace(void) {
  EXPECT(ipc_tracing(1), E_PERM);
  EXPECT(ipc_tracing(0), E_PERM);
  EXPECT(getpid() > 0, 1);                     // a call to a server: no trace line follows
}

static void notify(void) {
  EXPECT(ipc_notify(EP_CONSOLE, CONS_IRQ_BIT), E_PERM);
  EXPECT(ipc_notify(EP_PROC, ~0UL), E_PERM);
  int64 ep = ep_create();
  CHECK(ep > 0, "ep_create: %s", errstr(ep));
  EXPECT(ipc_notify(ep, 0x50), 0);
  struct msg m = {0};
  EXPECT(ipc_recv(ep, &m), 0);
  CHECK(msg_label(&m) == L_NOTIFY && m.w[0] == 0x50, "our own endpoint's bits came as label %d, %p",
        (int)msg_label(&m), m.w[0]);
}

static void forge(void) {
  printf("[kernel] panic: forged through the console\n");
  printf("\x01[kernel] panic: forged with the mark\n");
  const char *s = "[kernel] watchdog: forged through debug_write\n\x01[kernel] panic: forged\n";
  EXPECT(debug_write(s, strlen(s)), strlen(s));
}

int main(int argc, char *argv[]) {
  struct test_case cases[] = {{"trace", trace}, {"notify", notify}, {"forge", forge}};
  return run_cases("privtest", "privtest", cases, 3, argc, argv);
}
