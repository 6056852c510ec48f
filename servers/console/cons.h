// The console driver's protocol (EP_CONSOLE).
//   label         request                                reply (rlabel 0 or an error)
//   CONS_WRITE    buffer R                               rw0 = bytes written
//   CONS_READ     w0 = most bytes; buffer W              rw0 = bytes (0: end of file), rw1 = 1 if no
//                                                        line was ready (nothing read: try later)
//   CONS_LISTEN   w0 = endpoint, w1 = bits               that endpoint is notified when a line is ready
// Line editing: backspace, ^U (erase the line), ^D (end of file), echo. ^P notifies the
// process server (PROC_DUMP), which prints the processes.
#pragma once

#define CONS_WRITE  1
#define CONS_READ   2
#define CONS_LISTEN 3

#define CONS_IRQ_BIT (1UL << 0)   // notification bit of the UART's interrupt

#define CONS_NONE    (-100)       // the core's cons_read: no line yet (not an error; no E_* is this)
#define CONS_MAXLINE 256          // the longest line a read returns
