// Verdict lines for the grader (verdict.c). A test program prints its result with
// verdict("usertests: %s ok", name): the text, then " #mv6:" and a tag the grader
// checks (grade/keys.py), then " t=" and the guest time in ms (not covered by the tag). Only tagged lines decide points; code under test can print
// anything else, but cannot tag a line without the per-run key the grader writes into
// trusted test programs. Print a verdict only after every check passed.
#pragma once
#include "kernel/types.h"

#define VERDICT_DOMAIN "mv6 verdict\n"      // what the tag covers: this, then the text
#define VERDICT_DOMAIN_LEN 12
#define VERDICT_TAG_BYTES 16                // the tag: the first 16 bytes of the HMAC, in hex

void verdict(const char *fmt, ...);
// A value fresh for each run (derived from the key) for tests that want unforeseeable
// data to send through the feature they test.
uint64 verdict_random(void);
