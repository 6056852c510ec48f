// The console driver: the console core (console.c: the UART, line editing) in a task
// of its own, on EP_CONSOLE. The UART's registers are mapped into this task, its
// interrupt arrives as the notification CONS_IRQ_BIT on EP_CONSOLE, and a completed
// line is announced to the listener (the file server) by a notification, so that
// neither ever waits for the other. kernel/kconsole.c hosts the same core in the
// kernel (stages 1-2); the two boundary layers are duplication by design.
#include "servers/lib/server.h"
#include "servers/console/cons.h"
#include "servers/console/conshost.h"
#include "servers/proc/proc.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define UART_VA 0x50000000UL
#define UART_PA 0x10000000UL
#define UART_IRQ 10

// @lab 03 solution: the console driver
static uint64 listen_ep, listen_bits;

void ch_line_ready(void) {
  if (listen_ep)
    ipc_notify(listen_ep, listen_bits);
}

void ch_dump(void) { ipc_notify(EP_PROC, PROC_DUMP); }

// Only the file server reads the console (and listens): the owner of EP_FS.
static int from_fs(struct req *r) { return r->badge == (uint64)ep_owner(EP_FS); }

static int64 write_bytes(struct req *r) {
  char buf[256];
  for (uint64 off = 0; off < r->buflen;) {
    uint64 n = r->buflen - off < sizeof buf ? r->buflen - off : sizeof buf;
    int64 k = ipc_copy_from(r->token, off, buf, n);
    if (k < 0)
      return k;
    cons_write(buf, n);
    off += n;
  }
  r->rw[0] = r->buflen;
  return 0;
}

// rw0 = bytes (0: end of file), or rw1 = 1: no line yet (the listener is told later).
static int64 read_line(struct req *r) {
  char buf[CONS_MAXLINE];
  uint64 take, n = r->w[0] < r->buflen ? r->w[0] : r->buflen;
  int64 k = cons_read(buf, n < sizeof buf ? n : sizeof buf, &take);
  if (k == CONS_NONE) {
    r->rw[1] = 1;
    return 0;
  }
  if ((k = ipc_copy_to(r->token, 0, buf, k)) < 0)
    return k;                                  // not taken: the line stays for a retry
  cons_take(take);
  r->rw[0] = k;
  return 0;
}

static void handle(struct req *r) {
  int64 e = E_INVAL;
  switch (r->label) {
  case CONS_WRITE: e = write_bytes(r); break;
  case CONS_READ: e = from_fs(r) ? read_line(r) : E_PERM; break;
  case CONS_LISTEN:
    if (!from_fs(r)) {
      e = E_PERM;
      break;
    }
    listen_ep = r->w[0];
    listen_bits = r->w[1];
    if (cons_has_line())
      ch_line_ready();
    e = 0;
    break;
  }
  r->rlabel = e < 0 ? (uint64)e : 0;
}

static void notified(uint64 bits) {
  if (bits & CONS_IRQ_BIT) {
    cons_intr();
    irq_ack(UART_IRQ);                         // only now may the next interrupt come
  }
}

int main(int argc, char *argv[]) {
  if (mmio_map(UART_VA, UART_PA, 4096) < 0 || irq_route(UART_IRQ, EP_CONSOLE, CONS_IRQ_BIT) < 0) {
    printf("console: cannot reach the UART\n");
    return 1;
  }
  cons_init((volatile uint8 *)UART_VA);
  serve(EP_CONSOLE, 1, handle, notified);
  return 0;
}
// @lab 03 stub
//: // TODO (lab 03): the console driver (README.md, exercise 2; kernel/kconsole.c is
//: // the same driver inside the kernel: port it). Map the UART (mmio_map at UART_VA),
//: // route its interrupt to EP_CONSOLE as CONS_IRQ_BIT (irq_route), cons_init, and
//: // serve EP_CONSOLE: CONS_WRITE from anyone, CONS_READ and CONS_LISTEN from the file
//: // server only; the core calls ch_line_ready and ch_dump.
//: void ch_line_ready(void) {}
//: void ch_dump(void) {}
//:
//: int main(int argc, char *argv[]) {
//:   printf("console: the console driver is not written yet (lab 03)\n");
//:   return 1;
//: }
// @lab 03 end
