// Kernel output through the SBI console. Every kernel line starts with KLINE_MARK and
// "[kernel] ": the mark is a byte no user task can print (abi.h), so tests can tell
// the kernel's lines from user output that imitates them; a line is printed whole
// under the print lock so that harts do not interleave. panic() prints a symbolic backtrace.
#include <stdarg.h>
#include "kernel.h"

int vsnfmt(char *buf, int n, const char *fmt, va_list ap);
const char *ksym_lookup(uint64 pc, uint64 *off);

static void puts_raw(const char *s) {
  while (*s)
    sbi_putchar(*s++);
}

static void vprint(const char *prefix, const char *fmt, va_list ap) {
  char buf[256];
  vsnfmt(buf, sizeof buf, fmt, ap);
  for (char *p = buf; *p; p++)
    if (*p == KLINE_MARK)
      *p = '?';               // from a name or string a user chose: only the prefix marks
  print_lock();
  puts_raw(prefix);
  puts_raw(buf);
  print_unlock();
}

// Continues a line (used by dumps that print several pieces under print_lock()).
void printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
}

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("\x01[kernel] ", fmt, ap);   // KLINE_MARK
  va_end(ap);
}

// Walk the frame-pointer chain: with -fno-omit-frame-pointer, s0 points just above
// the frame, the return address is at s0-8 and the caller's s0 at s0-16.
void backtrace(uint64 fp) {
  for (int depth = 0; depth < 24 && fp >= KERNBASE && fp < ram_end && (fp & 7) == 0; depth++) {
    uint64 ra = *(uint64 *)(fp - 8);
    uint64 off;
    const char *name = ksym_lookup(ra, &off);
    kprintf("  %p %s+%d\n", ra, name, (int)off);
    uint64 prev = *(uint64 *)(fp - 16);
    if (prev <= fp)
      break;
    fp = prev;
  }
}

static volatile int panicking;

// Print the message and a backtrace from frame fp, and power off.
static void __attribute__((noreturn)) vpanic(uint64 fp, const char *fmt, va_list ap) {
  char buf[200];
  vsnfmt(buf, sizeof buf, fmt, ap);
  print_lock();
  if (!panicking) {
    panicking = 1;
    kprintf("panic: %s\n", buf);
    kprintf("backtrace:\n");
    backtrace(fp);
  }
  sbi_poweroff(1);
}

void panic(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vpanic(r_fp(), fmt, ap);
}

void panic_at(uint64 fp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vpanic(fp, fmt, ap);
}
