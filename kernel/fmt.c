// vsnfmt: printf-style formatting into a buffer, shared by the kernel and the user
// library. Knows %d %u %x %p %s %c %% with an optional l/ll and a field width.
#include <stdarg.h>
#include "types.h"

struct out { char *buf; int n, len; };

static void put(struct out *o, char c) {
  if (o->len < o->n - 1)
    o->buf[o->len] = c;
  o->len++;
}

static void putnum(struct out *o, uint64 x, int base, int neg, int width, char pad) {
  char tmp[24];
  int i = 0;
  do {
    tmp[i++] = "0123456789abcdef"[x % base];
    x /= base;
  } while (x);
  if (neg)
    tmp[i++] = '-';
  for (; width > i; width--)
    put(o, pad);
  while (i > 0)
    put(o, tmp[--i]);
}

int vsnfmt(char *buf, int n, const char *fmt, va_list ap) {
  struct out o = {buf, n, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(&o, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0, lng = 0, left = 0;
    if (*fmt == '-')
      left = 1, fmt++;
    if (*fmt == '0')
      pad = '0';
    while (*fmt >= '0' && *fmt <= '9')
      width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l') {
      lng = 1;
      fmt++;
    }
    switch (*fmt) {
    case 'd': {
      int64 v = lng ? va_arg(ap, int64) : va_arg(ap, int);
      putnum(&o, v < 0 ? -(uint64)v : (uint64)v, 10, v < 0, width, pad);
      break;
    }
    case 'u':
      putnum(&o, lng ? va_arg(ap, uint64) : va_arg(ap, uint), 10, 0, width, pad);
      break;
    case 'x':
      putnum(&o, lng ? va_arg(ap, uint64) : va_arg(ap, uint), 16, 0, width, pad);
      break;
    case 'p':
      put(&o, '0');
      put(&o, 'x');
      putnum(&o, va_arg(ap, uint64), 16, 0, 16, '0');
      break;
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s)
        s = "(null)";
      int len = 0;
      while (s[len])
        len++;
      for (; !left && width > len; width--)
        put(&o, ' ');
      while (*s)
        put(&o, *s++);
      for (; left && width > len; width--)
        put(&o, ' ');
      break;
    }
    case 'c':
      put(&o, (char)va_arg(ap, int));
      break;
    case '%':
      put(&o, '%');
      break;
    case 0:
      fmt--;
      break;
    default:
      put(&o, '%');
      put(&o, *fmt);
    }
  }
  if (n > 0)
    buf[o.len < n ? o.len : n - 1] = 0;
  return o.len;
}
