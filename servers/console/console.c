// The console core, shared by both hosts (kernel/kconsole.c at stages 1-2, the
// console driver servers/console/main.c from stage 3): the QEMU virt UART (16550)
// with line editing. The host calls cons_intr when the UART interrupts; a completed
// line waits in `in` until it is read (cons_read, cons_take), and the host is told
// (ch_line_ready) so that its reader never has to poll.
#include "kernel/types.h"
#include "kernel/abi.h"
#include "servers/console/conshost.h"

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

void cons_init(volatile uint8 *regs) {
  uart = regs;
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
      ch_dump();
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
  if (line_done)
    ch_line_ready();
}

// The next line, up to n bytes, into dst, without taking it: bytes (0: ^D, end of
// file), or CONS_NONE (no line yet). *take: input to cons_take once the bytes are
// delivered (a failed delivery loses nothing).
int64 cons_read(char *dst, uint64 n, uint64 *take) {
  uint64 k = 0;
  *take = 0;
  if (rd == wr)
    return CONS_NONE;
  while (k < n && rd + k < wr) {
    char c = in[(rd + k) % INPUT];
    if (c == C('D')) {
      if (k == 0)
        *take = 1;                  // ^D alone: end of file, and it is used up
      break;
    }
    dst[k++] = c;
    if (c == '\n')
      break;
  }
  *take += k;
  return k;
}

void cons_take(uint64 take) { rd += take; }

int cons_has_line(void) { return rd != wr; }

void cons_write(const char *src, uint64 n) {
  for (uint64 i = 0; i < n; i++)
    putc(src[i]);
}
