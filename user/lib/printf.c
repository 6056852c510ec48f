// printf and fprintf: format into a buffer (kernel/fmt.c, shared with the kernel)
// and write it with one write(), so a line from one task is not split by another's.
#include <stdarg.h>
#include "kernel/types.h"
#include "user/user.h"

int vsnfmt(char *buf, int n, const char *fmt, va_list ap);

static void vprint(int fd, const char *fmt, va_list ap) {
  char buf[512];
  int n = vsnfmt(buf, sizeof buf, fmt, ap);
  write(fd, buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
}

void fprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fd, fmt, ap);
  va_end(ap);
}

void printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(1, fmt, ap);
  va_end(ap);
}
