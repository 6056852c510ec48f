// memmove, shared by the kernel (kernel/string.c) and the user library (ulib.c).
#pragma once
#include "kernel/types.h"

// Copies forward a word at a time whatever the alignment: bytes until dst is
// 8-aligned, then whole words; when src is not aligned like dst, each word written
// is put together from two aligned words of src (little-endian), so every load and
// store is aligned and no word read lies outside src's first and last words. Copies
// that overlap with dst above src go backward, a byte at a time (nothing hot does so).
static inline void *memmove_words(void *dst, const void *src, uint64 n) {
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

