// The echo test subsystem's protocol (shared by its core, its clients and tests).
//   label       request                         reply (rlabel 0, or an error code)
//   ECHO_XFORM  w0 = delay in ns; buffer R|W    each byte b at offset i becomes
//                                               echo_xform(b, i); rw0 = bytes, rw1 = sum of input
//   ECHO_FILL   w0 = byte value; buffer W       rw0 = bytes written
//   ECHO_SUM    buffer R                        rw0 = bytes, rw1 = sum of the bytes
//   ECHO_WHO    -                               rw0 = the caller's badge as the server saw it
#pragma once

#define ECHO_XFORM 1
#define ECHO_FILL  2
#define ECHO_SUM   3
#define ECHO_WHO   4

static inline unsigned char echo_xform(unsigned char b, unsigned long i) {
  return b ^ (unsigned char)(i * 7 + 13);
}
