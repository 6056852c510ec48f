// Notifications: bits coalesce and arrive once; a timer alarm, another thread and a
// device interrupt (the UART's receive interrupt, bound to our endpoint) each wake
// a blocked receiver.
#include "user/tests/testlib.h"

#define UART_VA 0x30000000UL
#define RBR 0
#define IER 1
#define LSR 5

static uint64 ep;
static char stack[8192] __attribute__((aligned(16)));

static void poker(void *arg) {
  sleep_ns(5000000);
  ipc_notify(ep, 16);
}

int main(int argc, char *argv[]) {
  struct msg m;
  ep = ep_create();
  EXPECT(ipc_notify(ep, 1), 0);
  EXPECT(ipc_notify(ep, 2), 0);
  EXPECT(ipc_notify(ep, 1), 0);
  EXPECT(ipc_recv(ep, &m), 0);
  CHECK(msg_label(&m) == L_NOTIFY && m.w[0] == 3, "coalesced bits: label %d bits %d", (int)msg_label(&m), (int)m.w[0]);
  // Nothing is pending now: an alarm must be what wakes us, alone.
  uint64 t0 = time_ns();
  EXPECT(alarm_ns(ep, 4, 5000000), 0);
  EXPECT(ipc_recv(ep, &m), 0);
  CHECK(m.w[0] == 4 && time_ns() - t0 >= 5000000, "alarm: bits %d after %d us", (int)m.w[0], (int)((time_ns() - t0) / 1000));
  // Another thread's notify wakes us.
  thread_create(poker, 0, stack, sizeof stack, 4);
  EXPECT(ipc_recv(ep, &m), 0);
  CHECK(m.w[0] == 16, "thread notify: bits %d", (int)m.w[0]);
  // The UART's receive interrupt, routed to our endpoint.
  volatile unsigned char *uart = (unsigned char *)UART_VA;
  EXPECT(mmio_map(UART_VA, 0x10000000, 4096), 0);
  EXPECT(irq_route(10, ep, 32), 0);
  while (uart[LSR] & 1)
    (void)uart[RBR];
  uart[IER] = 1;
  printf("notify: waiting for a key\n");
  EXPECT(ipc_recv(ep, &m), 0);
  CHECK(m.w[0] & 32, "uart: bits %d", (int)m.w[0]);
  char c = (uart[LSR] & 1) ? uart[RBR] : 0;
  uart[IER] = 0;
  EXPECT(irq_ack(10), 0);
  CHECK(c == 'x', "uart: read %d, want 'x'", c);
  printf("notify: uart interrupt delivered '%c'\n", c ? c : '?');
  test_done("notify", 1);
  return 0;
}
