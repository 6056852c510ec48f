// The protocol between lab 02's server-loop fixture (loopsrv.c, a server on
// servers/lib/server.c) and its judge (loopcli.c), on EP_TEST0.
//   label         request                     reply
//   LOOP_ENTER    w0 = ns                     worker_sleep_ns(w0) inside the handler: rw0 = ns it
//                                             took, rw1 = requests in the handler when it came in
//   LOOP_MOST     -                           rw0 = the most requests in the handler at once (reset)
//   LOOP_HOLD     w0 = value                  deferred until LOOP_RELEASE: then rw0 = value + its w0
//   LOOP_HELD     -                           rw0 = requests held now
//   LOOP_RELEASE  w0 = added                  answers every held request: rw0 = answered, rw1 = whose
//                                             caller was gone (answer gave E_NOREPLY)
//   LOOP_NOTES    -                           rw0 = notification bits notify got, rw1 = calls of
//                                             notify, rw2 = notifications handed to the handler (reset)
//   LOOP_WHO      buffer (any)                rw0 = badge, rw1 = buflen, rw2 = rights, rw3 = label
#pragma once

#define LOOP_ENTER   1
#define LOOP_MOST    2
#define LOOP_HOLD    3
#define LOOP_HELD    4
#define LOOP_RELEASE 5
#define LOOP_NOTES   6
#define LOOP_WHO     7
#define LOOP_MAXHELD 16

// loopcli's boot argument: the case, and the workers loopsrv was given.
#define LOOP_CASE(arg)    ((arg) & 0xff)
#define LOOP_WORKERS(arg) ((arg) >> 8)
#define LOOP_ARG(c, w)    ((c) | (w) << 8)
enum { LOOP_CASE_WORKERS = 1, LOOP_CASE_SLEEP, LOOP_CASE_DEFER, LOOP_CASE_NOTIFY };
