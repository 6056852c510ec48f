// Memory and string helpers for the kernel.
#include "kernel.h"

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

// Copies forward a word at a time whatever the alignment: bytes until dst is
// 8-aligned, then whole words; when src is not aligned like dst, each word written
// is put together from two aligned words of src (little-endian), so every load and
// store is aligned and no word read lies outside src's first and last words. Copies
// that overlap with dst above src go backward, a byte at a time (nothing hot does so).
void *memmove(void *dst, const void *src, uint64 n) {
  const uint8 *s = src;
  uint8 *d = dst;
  if (s < d && s + n > d) {
    while (n-- > 0)
      d[n] = s[n];
    return dst;
  }
  for (; n > 0 && ((uint64)d & 7); n--)
    *d++ = *s++;
  uint64 *dw = (uint64 *)d, words = n / 8;
  uint64 shift = ((uint64)s & 7) * 8;
  if (shift == 0) {
    const uint64 *sw = (const uint64 *)s;
#pragma GCC unroll 8
    for (uint64 i = 0; i < words; i++)
      dw[i] = sw[i];
  } else if (words > 0) {
    const uint64 *sw = (const uint64 *)(s - shift / 8);
    uint64 lo = sw[0];
#pragma GCC unroll 4
    for (uint64 i = 0; i < words; i++) {
      uint64 hi = sw[i + 1];
      dw[i] = lo >> shift | hi << (64 - shift);
      lo = hi;
    }
  }
  d += words * 8, s += words * 8, n -= words * 8;
  while (n-- > 0)
    *d++ = *s++;
  return dst;
}

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
