// Memory and string helpers for the kernel.
#include "kernel.h"
#include "memmove.h"

void *memset(void *dst, int c, uint64 n) {
  uint8 *d = dst;
  if (((uint64)d & 7) == 0 && (n & 7) == 0 && c == 0) {
    for (uint64 i = 0; i < n / 8; i++)
      ((uint64 *)d)[i] = 0;
    return dst;
  }
  for (uint64 i = 0; i < n; i++)
    d[i] = c;
  return dst;
}

void *memmove(void *dst, const void *src, uint64 n) { return memmove_words(dst, src, n); }

void *memcpy(void *dst, const void *src, uint64 n) { return memmove(dst, src, n); }

int memcmp(const void *a, const void *b, uint64 n) {
  const uint8 *x = a, *y = b;
  for (uint64 i = 0; i < n; i++)
    if (x[i] != y[i])
      return x[i] - y[i];
  return 0;
}

int strncmp(const char *a, const char *b, uint64 n) {
  for (; n > 0 && *a && *a == *b; n--, a++, b++)
    ;
  return n == 0 ? 0 : (uint8)*a - (uint8)*b;
}

uint64 strlen(const char *s) {
  uint64 n = 0;
  while (s[n])
    n++;
  return n;
}

char *safestrcpy(char *dst, const char *src, int n) {
  int i;
  for (i = 0; i < n - 1 && src[i]; i++)
    dst[i] = src[i];
  dst[i] = 0;
  return dst;
}
