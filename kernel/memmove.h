// memmove, shared by the kernel (kernel/string.c) and the user library (ulib.c).
#pragma once
#include "kernel/types.h"

// Eight words of copy_words's loop body, each its own case to jump to.
#define COPY8(i)                                                  \
  case i:     d[i] = s[i];         case i + 1: d[i + 1] = s[i + 1]; \
  case i + 2: d[i + 2] = s[i + 2]; case i + 3: d[i + 3] = s[i + 3]; \
  case i + 4: d[i + 4] = s[i + 4]; case i + 5: d[i + 5] = s[i + 5]; \
  case i + 6: d[i + 6] = s[i + 6]; case i + 7: d[i + 7] = s[i + 7];

// Copies n words, 128 a step at fixed offsets with one add per pointer (259
// instructions per KiB). The first step copies only the last n % 128 words of a step (Duff's
// device: the switch jumps into the loop's body), so the rest needs no loop of its
// own. s (and d) must be 8-aligned unless the hart does misaligned accesses itself
// (memmove_words's `misaligned`): the compiler emits a plain ld or sd whatever the
// address, and such an access is then one instruction, not a trap.
__attribute__((always_inline)) static inline void copy_words(uint64 *d, const uint64 *s, uint64 n) {
  if (n == 0)
    return;
  uint64 skip = -n & 127;       // words of the first step not copied
  uint64 *end = d + n;
  d -= skip, s -= skip;
  switch (skip) {
    do {
      COPY8(0) COPY8(8) COPY8(16) COPY8(24) COPY8(32) COPY8(40) COPY8(48) COPY8(56)
      COPY8(64) COPY8(72) COPY8(80) COPY8(88) COPY8(96) COPY8(104) COPY8(112) COPY8(120)
      d += 128, s += 128;
    } while (d != end);
  }
}
#undef COPY8

// Copies forward a word at a time whatever the alignment; copies that overlap with
// dst above src go backward, a byte at a time (nothing hot does so).
// If `misaligned` (the kernel sets it when it measured at boot that this hart does
// misaligned loads and stores about as fast as aligned ones, kernel/string.c): one
// misaligned word for the first bytes, aligned stores of misaligned loads for the
// words, one misaligned word for the last bytes.
// Otherwise (the user library, or harts that trap on them): bytes until dst is
// 8-aligned, then whole words, every load and store aligned: when src is not aligned
// like dst, each word is put together from two aligned words of src by shifts
// (little-endian; about 5 instructions a word), so no word read lies outside src's
// first and last words.
__attribute__((always_inline)) static inline void *memmove_words(void *dst, const void *src, uint64 n,
                                                                 int misaligned) {
  const uint8 *s = src;
  uint8 *d = dst;
  if (s < d && s + n > d) {
    while (n-- > 0)
      d[n] = s[n];
    return dst;
  }
  // Unless src is at most 7 bytes above dst: the first word's store would overwrite
  // bytes of src not read yet.
  if (misaligned && n >= 8 && (uint64)(s - d) >= 8) {
    uint64 head = -(uint64)d & 7;
    *(uint64 *)d = *(const uint64 *)s;
    d += head, s += head, n -= head;
    copy_words((uint64 *)d, (const uint64 *)s, n / 8);
    if (n & 7)
      *(uint64 *)(d + n - 8) = *(const uint64 *)(s + n - 8);
    return dst;
  }
  for (; n > 0 && ((uint64)d & 7); n--)
    *d++ = *s++;
  uint64 *dw = (uint64 *)d, words = n / 8;
  uint64 shift = ((uint64)s & 7) * 8;
  if (shift == 0) {
    copy_words(dw, (const uint64 *)s, words);
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
