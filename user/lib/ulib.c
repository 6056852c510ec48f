// String helpers.
#include "kernel/types.h"
#include "kernel/memmove.h"
#include "user/user.h"
#include "user/lib/mv6.h"

uint64 task_arg;
char **task_argv;

// Finds key (as "key=value" or a bare "key") among the space-separated words of a
// kernel command line; copies the value (empty for a bare key) into out, if given.
// Returns 1 if the key is there, else 0.
int bootarg(const char *args, const char *key, char *out, int n) {
  int klen = strlen(key);
  for (const char *p = args; *p; p++) {
    if ((p != args && p[-1] != ' ') || memcmp(p, key, klen) != 0 ||
        (p[klen] != '=' && p[klen] != ' ' && p[klen] != 0))
      continue;
    p += klen + (p[klen] == '=');
    for (int i = 0; out && i < n; i++)
      out[i] = i < n - 1 && p[i] && p[i] != ' ' ? p[i] : 0;
    return 1;
  }
  return 0;
}

char *strcpy(char *s, const char *t) {
  char *os = s;
  while ((*s++ = *t++) != 0)
    ;
  return os;
}

int strcmp(const char *p, const char *q) {
  while (*p && *p == *q)
    p++, q++;
  return (uchar)*p - (uchar)*q;
}

uint strlen(const char *s) {
  uint n = 0;
  while (s[n])
    n++;
  return n;
}

// A word at a time once dst is 8-aligned (a zeroed block is 64 stores, not 512).
void *memset(void *dst, int c, uint n) {
  uchar *d = dst;
  uint64 w = (uchar)c * 0x0101010101010101ULL;
  for (; n > 0 && ((uint64)d & 7); n--)
    *d++ = c;
  for (; n >= 8; n -= 8, d += 8)
    *(uint64 *)d = w;
  while (n-- > 0)
    *d++ = c;
  return dst;
}

char *strchr(const char *s, char c) {
  for (; *s; s++)
    if (*s == c)
      return (char *)s;
  return 0;
}

char *gets(char *buf, int max) {
  int i = 0;
  char c;
  while (i + 1 < max && read(0, &c, 1) == 1) {
    buf[i++] = c;
    if (c == '\n' || c == '\r')
      break;
  }
  buf[i] = 0;
  return buf;
}

int atoi(const char *s) {
  int n = 0;
  while (*s >= '0' && *s <= '9')
    n = n * 10 + *s++ - '0';
  return n;
}

// Word at a time whatever the alignment (kernel/memmove.h says how).
void *memmove(void *dst, const void *src, int len) { return memmove_words(dst, src, len > 0 ? len : 0, 0); }

int memcmp(const void *s1, const void *s2, uint n) {
  const char *p1 = s1, *p2 = s2;
  for (; n > 0; n--, p1++, p2++)
    if (*p1 != *p2)
      return (uchar)*p1 - (uchar)*p2;
  return 0;
}

void *memcpy(void *dst, const void *src, uint n) { return memmove(dst, src, n); }

const char *errstr(int64 e) {
  static const char *names[] = {"ok", "E_BADSYS", "E_BADHANDLE", "E_DEAD", "E_BADADDR", "E_NOTPRESENT",
                                "E_RANGE", "E_PERM", "E_NOMEM", "E_INVAL", "E_NOREPLY", "E_INTR", "E_BUSY"};
  static const char *net[] = {"NET_TIMEOUT", "NET_REFUSED", "NET_RESET"};   // servers/net/net.h: -32 ..
  if (e > 0)
    return "ok";
  if (-e >= 32 && -e < 32 + (int64)(sizeof net / sizeof net[0]))
    return net[-e - 32];
  return -e < (int64)(sizeof names / sizeof names[0]) ? names[-e] : "E_?";
}
