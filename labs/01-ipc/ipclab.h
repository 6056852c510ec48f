// The protocol between lab 01's test clients (ipclab.c, ipcorder.c) and their server
// (ipcsrv.c on EP_TEST1).
//   label        request                      reply
//   LAB_ECHO     w0..w2                       w0..w2 unchanged, w3 = the caller's badge
//   LAB_XFORM    buffer R|W                   each byte b at i becomes lab_xform(b, i); w0 = bytes
//   LAB_RANGE    buffer R|W of n >= 16 bytes  copies reaching past the offer, each of which must
//                                             fail with E_RANGE; then bytes 0 and n-1 become
//                                             0xa5; w0 = refused copies, w1 = first wrong result
//   LAB_BITS     -                            w0 = notification bits received since the last ask
//   LAB_HOLD     -                            held until a second LAB_HOLD arrives; then the
//                                             second is answered (w0 = 1), then the first (w0 = 0)
//   LAB_DIE      -                            never: the server exits
//   LAB_NOTE     (a send: no reply)           counted
//   LAB_SENT     -                            w0 = LAB_NOTE messages received so far
//   LAB_LABEL    w0                           a reply with label w0 (the trace shows it)
//   LAB_COUNT    -                            w0 = calls received before this one
//   LAB_PAUSE    -                            w0 = the gate endpoint; the server then stops
//                                             receiving until the gate is notified
//   LAB_SLOW     -                            held until the gate is notified, then answered
//                                             with reply_recv (w0 = 1)
//   LAB_STAMP    w0                           w0 = STAMP calls answered before this one,
//                                             w1 = all notification bits received so far,
//                                             w2 = the caller's badge
//   LAB_LOWEP    -                            w0 = an endpoint that a server thread of priority
//                                             3 answers (as LAB_ECHO), w1 = the gate endpoint
//   LAB_SPAWN    -                            starts a server thread of the server's priority,
//                                             which only notes that it ran; answered with reply_recv
//   LAB_SPAWNED  -                            w0 = 1 if that thread has run
//   LAB_PARK     buffer R|W, w0 = cookie      held until LAB_TRIED came twice; then w0 = cookie + 1,
//                                             w1 = 1 if every report said 1, w2 = the reports
//   LAB_LEAK     -                            w0 = the parked call's reply token (0: none yet)
//   LAB_TRIED    w0 = 1 if all went right     counted (see LAB_PARK)
//   LAB_FAULTS   -                            w0 = faults served, w1 = a copy from a fault call's token
//   LAB_KEEP     w0..w2                       as LAB_ECHO; the server keeps this call's token
//   LAB_STALE    buffer R|W, w0               the server answers with the kept token first (a reply
//                                             of 0xfa4e words and a copy into the buffer), then with
//                                             this call's: w0, w1 = what the kept token's reply and
//                                             copy returned, w2 = the request's w0 + 1
//   L_FAULT      (a fault of the lab's        the page is mapped, answered with ipc_reply the
//                client, at S1)               first time, with reply_recv after that
#pragma once

#define LAB_ECHO    1
#define LAB_XFORM   2
#define LAB_BITS    3
#define LAB_HOLD    4
#define LAB_DIE     5
#define LAB_NOTE    6
#define LAB_SENT    7
#define LAB_RANGE   8
#define LAB_LABEL   9
#define LAB_COUNT   10
#define LAB_PAUSE   11
#define LAB_SLOW    12
#define LAB_STAMP   13
#define LAB_LOWEP   14
#define LAB_SPAWN   15
#define LAB_SPAWNED 16
#define LAB_PARK    17
#define LAB_LEAK    18
#define LAB_TRIED   19
#define LAB_FAULTS  20
#define LAB_KEEP    21
#define LAB_STALE   22
#define LAB_BUFMAX (64 * 1024)
#define LAB_FAULTVA 0x40000000UL   // where the fault case's pages appear (two pages)

static inline unsigned char lab_xform(unsigned char b, unsigned long i) {
  return b ^ (unsigned char)(i * 31 + 7);
}
