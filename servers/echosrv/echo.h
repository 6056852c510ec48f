// The echo test protocol, answered by the echo server (servers/echosrv/main.c, on the
// server loop) and, in test kernels, by the kernel itself on EP_KTEST (the same work
// the kernel's way, in kernel/testtab.c): bulk copies both ways and a wait, so
// user/tests/bulk.c runs the same checks against both.
//   label       request                         reply (rlabel 0, or an error code)
//   ECHO_XFORM  w0 = delay in ns; buffer R|W    after the delay, each byte b at offset i
//                                               becomes echo_xform(b, i); rw0 = bytes,
//                                               rw1 = sum of the input
//   ECHO_FILL   w0 = byte value; buffer W       rw0 = bytes written
//   ECHO_SUM    buffer R                        rw0 = bytes, rw1 = sum of the bytes
//   ECHO_WHO    -                               rw0 = the caller's badge as the server saw it
#pragma once

#define ECHO_XFORM 1
#define ECHO_FILL  2
#define ECHO_SUM   3
#define ECHO_WHO   4
#define ECHO_CHUNK 512          // the servers copy in pieces of this size

static inline unsigned char echo_xform(unsigned char b, unsigned long i) {
  return b ^ (unsigned char)(i * 7 + 13);
}
