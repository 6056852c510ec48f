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

// Whether memmove does misaligned loads and stores (kernel/memmove.h): set at boot
// by misaligned_probe, as Linux probes misaligned access speed, since QEMU executes a
// misaligned ld or sd as one instruction while a real hart may trap on it to the
// firmware, which emulates it hundreds of times slower.
int misaligned_fast;

// Times copying 4 pages' worth of words with every load and store misaligned, and the
// same bytes with the shifting copy (aligned accesses only), the best of 3 rounds each
// in ticks of the time CSR, and keeps the faster. The source is the boot image,
// always longer than 4 pages.
void misaligned_probe(void) {
  extern char __bootimg_start[];
  char *page = kalloc();
  uint64 best[2] = {~0UL, ~0UL};
  for (int round = 0; round < 3; round++)
    for (int m = 0; m < 2; m++) {
      uint64 t0 = r_time();
      for (int k = 0; k < 4; k++) {
        const char *src = __bootimg_start + k * PGSIZE + 3;
        if (m)
          copy_words((uint64 *)(page + 1), (const uint64 *)src, PGSIZE / 8 - 1);
        else
          memmove_words(page + 1, src, PGSIZE - 8, 0);
      }
      uint64 t = r_time() - t0;
      if (t < best[m])
        best[m] = t;
    }
  misaligned_fast = best[1] < best[0];
  kfree(page);
}

void *memmove(void *dst, const void *src, uint64 n) { return memmove_words(dst, src, n, misaligned_fast); }

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
