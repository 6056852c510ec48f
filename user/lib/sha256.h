// SHA-256 and HMAC-SHA256 (sha256.c).
#pragma once
#include "kernel/types.h"

struct sha256 {
  uint32 h[8];
  uint64 len;                 // bytes added so far
  uint8 buf[64];
};

void sha256_init(struct sha256 *s);
void sha256_add(struct sha256 *s, const void *data, uint64 n);
void sha256_done(struct sha256 *s, uint8 out[32]);
void hmac_sha256(const uint8 key[64], const void *msg, uint64 n, uint8 out[32]);
