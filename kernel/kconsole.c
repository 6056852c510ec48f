// The console core (servers/console/console.c) hosted in the kernel, at stages 1 and
// 2 (khost.h): the UART's interrupt runs the core's line editing in the kernel, and
// the kernel-hosted file system reads lines and writes bytes by direct calls; a
// reader with no line yet sleeps on kconsole_lines, which every completed line wakes.
// EP_CONSOLE answers CONS_WRITE for any task, and CONS_READ and CONS_LISTEN for a
// file *server* alone (the mixes where the file system has moved out and the console
// not yet: HOSTED=...): only the file system reads the console. The console driver (servers/console/main.c) does the same the server's
// way (MMIO mapping, the interrupt as a notification, lines read by message, its
// reader notified); the two are duplication by design.
#include "kernel.h"
#include "khost.h"
#include "servers/console/cons.h"
#include "servers/console/conshost.h"
#include "servers/proc/proc.h"

int kconsole_lines;
static struct ksub console;
static uint64 listen_ep, listen_bits;     // a file server's, told of each line

void ch_line_ready(void) {
  kconsole_lines++;
  kwakeup(&kconsole_lines);
  if (listen_ep)
    knotify(listen_ep, listen_bits);
}

static uint64 fs_server(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_FS, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

// A file server reads a line: rw1 = 1 if there is none yet (it waits for listen_bits).
static void read_line(struct kreq *r) {
  char buf[CONS_MAXLINE];
  uint64 take, n = r->w[0] < r->buflen ? r->w[0] : r->buflen;
  int64 k = cons_read(buf, n < sizeof buf ? n : sizeof buf, &take);
  if (k == CONS_NONE) {
    r->rw[1] = 1;
    return;
  }
  if ((k = kcopyout(r, 0, buf, k)) < 0) {
    r->rlabel = k;
    return;
  }
  cons_take(take);
  r->rw[0] = k;
}

void ch_dump(void) { knotify(EP_PROC, PROC_DUMP); }

static void uart_irq(int irq) {
  cons_intr();
  kirq_done(irq);
}

// ---- khost.h: the console, for the kernel-hosted file system ----

int64 kconsole_read(char *dst, uint64 n, uint64 *take) {
  if (kenter(&console) < 0)
    return E_INTR;
  int64 k = cons_read(dst, n, take);
  kunlock(&console);
  return k;
}

void kconsole_take(uint64 take) {
  kenter_hard(&console);
  cons_take(take);
  kunlock(&console);
}

void kconsole_write(const char *src, uint64 n) {
  kenter_hard(&console);
  cons_write(src, n);
  kunlock(&console);
}

static void handle(struct kreq *r) {
  char buf[256];
  switch (r->label) {
  case CONS_WRITE:
    for (uint64 off = 0; off < r->buflen;) {
      uint64 n = r->buflen - off < sizeof buf ? r->buflen - off : sizeof buf;
      int64 k = kcopyin(r, off, buf, n);
      if (k < 0) {
        r->rlabel = k;
        return;
      }
      cons_write(buf, n);
      off += n;
    }
    r->rw[0] = r->buflen;
    return;
  case CONS_READ:
  case CONS_LISTEN:
    if (!r->badge || r->badge != fs_server()) {
      r->rlabel = E_PERM;
      return;
    }
    if (r->label == CONS_READ) {
      read_line(r);
      return;
    }
    listen_ep = r->w[0];
    listen_bits = r->w[1];
    if (cons_has_line())
      knotify(listen_ep, listen_bits);
    return;
  }
  r->rlabel = E_INVAL;
}

static struct ksub console = {.name = "console", .ep = EP_CONSOLE, .handle = handle};

void kconsole_start(void) {
  cons_init(kdevice(UART0_PA));
  kirq(UART0_IRQ, uart_irq);
  ksub_start(&console);
}
