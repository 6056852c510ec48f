// Verdict lines the grader can trust (verdict.h). The grader writes a fresh key into
// key_slot in this program's image before each run (grade/keys.py finds the slot by
// its marker, in trusted test programs only); a line's tag is HMAC-SHA256 under that
// key, which code under test cannot compute without the key.
#include <stdarg.h>
#include "kernel/types.h"
#include "user/user.h"
#include "user/lib/sha256.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"

int vsnfmt(char *buf, int n, const char *fmt, va_list ap);

static int snfmt(char *buf, int n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnfmt(buf, n, fmt, ap);
  va_end(ap);
  return k < n ? k : n - 1;
}

// 64 bytes, 64-aligned (so the slot never straddles a file system block); until the
// grader overwrites it, it holds the marker, and tags made with it count for nothing.
__attribute__((aligned(64))) static volatile const unsigned char key_slot[64] =
  "mv6 key slot: the grader writes a per-run key over these bytes.";

static void key(uint8 k[64]) {
  for (int i = 0; i < 64; i++)
    k[i] = key_slot[i];
}

void verdict(const char *fmt, ...) {
  static const char hex[] = "0123456789abcdef";
  char line[300];
  uint8 k[64], mac[32];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnfmt(line + VERDICT_DOMAIN_LEN, 200, fmt, ap);
  va_end(ap);
  if (n > 199)
    n = 199;
  memmove(line, VERDICT_DOMAIN, VERDICT_DOMAIN_LEN);
  key(k);
  hmac_sha256(k, line, VERDICT_DOMAIN_LEN + n, mac);
  char *p = line + VERDICT_DOMAIN_LEN + n;
  memmove(p, " #mv6:", 6);
  p += 6;
  for (int i = 0; i < VERDICT_TAG_BYTES; i++) {
    *p++ = hex[mac[i] >> 4];
    *p++ = hex[mac[i] & 15];
  }
  // the guest time, outside the tag: how long the reference needs (grade.py --calibrate)
  p += snfmt(p, 24, " t=%d\n", (int)(time_ns() / 1000000));
  // a program whose file server was restarted has lost fd 1: the kernel's console then
  if (write(1, line + VERDICT_DOMAIN_LEN, p - line - VERDICT_DOMAIN_LEN) < 0)
    debug_write(line + VERDICT_DOMAIN_LEN, p - line - VERDICT_DOMAIN_LEN);
}

uint64 verdict_random(void) {
  uint8 k[64], mac[32];
  key(k);
  hmac_sha256(k, "random", 6, mac);
  uint64 v = 0;
  for (int i = 0; i < 8; i++)
    v = v << 8 | mac[i];
  return v;
}
