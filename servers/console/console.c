// The console core: the QEMU virt UART (16550) with line editing. Input arrives by
// interrupt (cons_intr); a completed line waits in `in` until someone reads it; the
// listener (the file server) is notified so that it never has to block here.
#include "servers/include/svc.h"
#include "servers/console/cons.h"
#include "servers/console/conshost.h"
#include "servers/proc/proc.h"

#define RBR 0
#define THR 0
#define IER 1
#define LSR 5
#define LSR_RX 0x01
#define LSR_TX_IDLE 0x20

#define C(x) ((x) - '@')          // control-x
#define INPUT 256

static volatile uint8 *uart;
static char in[INPUT];
static uint64 rd, wr, ed;           // read, written (complete lines), edit positions
static uint64 listen_ep, listen_bits;

static void putc(int c) {
  while (!(uart[LSR] & LSR_TX_IDLE))
    ;
  uart[THR] = c == KLINE_MARK ? '?' : c;   // the kernel's lines' mark (abi.h): never a client's
}

static void echo(int c) {
  if (c == '\b') {
    putc('\b'), putc(' '), putc('\b');
    return;
  }
  putc(c);
}

void cons_init(void) {
  uart = ch_uart();
  while (uart[LSR] & LSR_RX)
    (void)uart[RBR];
  uart[IER] = 0x01;                 // interrupt when a byte arrives
}

// The UART interrupted: take every byte it has, editing the current line.
void cons_intr(void) {
  int line_done = 0;
  while (uart[LSR] & LSR_RX) {
    int c = uart[RBR];
    switch (c) {
    case C('P'):
      svc_notify(EP_PROC, PROC_DUMP);
      break;
    case C('U'):
      while (ed != wr && in[(ed - 1) % INPUT] != '\n')
        ed--, echo('\b');
      break;
    case C('H'):
    case '\x7f':
      if (ed != wr)
        ed--, echo('\b');
      break;
    default:
      if (c == 0 || ed - rd >= INPUT)
        break;
      c = c == '\r' ? '\n' : c;
      in[ed++ % INPUT] = c;
      if (c != C('D'))
        echo(c);
      if (c == '\n' || c == C('D') || ed - rd == INPUT) {
        wr = ed;
        line_done = 1;
      }
    }
  }
  if (line_done && listen_ep)
    svc_notify(listen_ep, listen_bits);
}

static void cons_read(struct svc_req *r) {
  char buf[INPUT];
  uint64 n = 0, max = r->w[0] < r->buflen ? r->w[0] : r->buflen;
  if (rd == wr) {
    r->rw[1] = 1;                   // no line yet
    return;
  }
  while (n < max && rd + n < wr) {
    char c = in[(rd + n) % INPUT];
    if (c == C('D')) {
      if (n == 0)
        n++;                        // consume ^D alone: end of file (0 bytes)
      break;
    }
    buf[n++] = c;
    if (c == '\n')
      break;
  }
  int eof = in[(rd + n - 1) % INPUT] == C('D');
  uint64 out = eof ? n - 1 : n;
  int64 k = svc_copy_to(r, 0, buf, out);   // copy first: nothing is lost if it fails
  if (k < 0) {
    r->rlabel = k;
    return;
  }
  rd += n;
  r->rw[0] = out;
}

void cons_handle(struct svc_req *r) {
  r->rlabel = 0;
  switch (r->label) {
  case CONS_WRITE: {
    char buf[256];
    for (uint64 off = 0; off < r->buflen;) {
      uint64 n = r->buflen - off < sizeof buf ? r->buflen - off : sizeof buf;
      int64 k = svc_copy_from(r, off, buf, n);
      if (k < 0) {
        r->rlabel = k;
        return;
      }
      for (uint64 i = 0; i < n; i++)
        putc(buf[i]);
      off += n;
    }
    r->rw[0] = r->buflen;
    return;
  }
  case CONS_READ: cons_read(r); return;
  case CONS_LISTEN:
    listen_ep = r->w[0];
    listen_bits = r->w[1];
    if (rd != wr)
      svc_notify(listen_ep, listen_bits);
    return;
  }
  r->rlabel = E_INVAL;
}

void cons_notify(uint64 bits) {
  if (bits & CONS_IRQ_BIT) {
    cons_intr();
    ch_irq_done();
  }
}
