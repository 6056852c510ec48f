// The protocol between lab 01's test client (ipclab.c) and server (ipcsrv.c).
//   label      request                      reply
//   LAB_ECHO   w0..w2                       w0..w2 unchanged, w3 = the caller's badge
//   LAB_XFORM  buffer R|W                   each byte b at i becomes lab_xform(b, i); w0 = bytes
//   LAB_BITS   -                            w0 = notification bits received since the last ask
//   LAB_HOLD   -                            held until a second LAB_HOLD arrives; then the
//                                           second is answered (w0 = 1), then the first (w0 = 0)
//   LAB_DIE    -                            never: the server exits
//   LAB_NOTE   (a send: no reply)           counted
//   LAB_SENT   -                            w0 = LAB_NOTE messages received so far
#pragma once

#define LAB_ECHO  1
#define LAB_XFORM 2
#define LAB_BITS  3
#define LAB_HOLD  4
#define LAB_DIE   5
#define LAB_NOTE  6
#define LAB_SENT  7
#define LAB_BUFMAX (64 * 1024)

static inline unsigned char lab_xform(unsigned char b, unsigned long i) {
  return b ^ (unsigned char)(i * 31 + 7);
}
