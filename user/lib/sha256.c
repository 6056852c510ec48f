// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the verdict lines of the
// test programs (verdict.c). Small and plain, not fast: a few lines are tagged per run.
#include "kernel/types.h"
#include "user/lib/sha256.h"

static const uint32 K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32 ror(uint32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void block(struct sha256 *s, const uint8 *p) {
  uint32 w[64], v[8];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32)p[4 * i] << 24 | (uint32)p[4 * i + 1] << 16 | (uint32)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32 s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32 s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  for (int i = 0; i < 8; i++)
    v[i] = s->h[i];
  for (int i = 0; i < 64; i++) {
    uint32 t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) + ((v[4] & v[5]) ^ (~v[4] & v[6])) + K[i] + w[i];
    uint32 t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) + ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
    for (int k = 7; k > 0; k--)
      v[k] = v[k - 1];
    v[4] += t1;
    v[0] = t1 + t2;
  }
  for (int i = 0; i < 8; i++)
    s->h[i] += v[i];
}

void sha256_init(struct sha256 *s) {
  static const uint32 h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  for (int i = 0; i < 8; i++)
    s->h[i] = h0[i];
  s->len = 0;
}

void sha256_add(struct sha256 *s, const void *data, uint64 n) {
  const uint8 *p = data;
  for (uint64 i = 0; i < n; i++) {
    s->buf[s->len++ % 64] = p[i];
    if (s->len % 64 == 0)
      block(s, s->buf);
  }
}

void sha256_done(struct sha256 *s, uint8 out[32]) {
  uint64 bits = s->len * 8;
  uint8 pad = 0x80;
  sha256_add(s, &pad, 1);
  pad = 0;
  while (s->len % 64 != 56)
    sha256_add(s, &pad, 1);
  for (int i = 7; i >= 0; i--) {
    uint8 b = bits >> (8 * i);
    sha256_add(s, &b, 1);
  }
  for (int i = 0; i < 32; i++)
    out[i] = s->h[i / 4] >> (24 - 8 * (i % 4));
}

// key: 64 bytes (one block), so it is used as it is.
void hmac_sha256(const uint8 key[64], const void *msg, uint64 n, uint8 out[32]) {
  uint8 pad[64], inner[32];
  struct sha256 s;
  for (int i = 0; i < 64; i++)
    pad[i] = key[i] ^ 0x36;
  sha256_init(&s);
  sha256_add(&s, pad, 64);
  sha256_add(&s, msg, n);
  sha256_done(&s, inner);
  for (int i = 0; i < 64; i++)
    pad[i] = key[i] ^ 0x5c;
  sha256_init(&s);
  sha256_add(&s, pad, 64);
  sha256_add(&s, inner, 32);
  sha256_done(&s, out);
}
