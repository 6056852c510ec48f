// The process server's protocol (EP_PROC), shared by the core, the user library and
// tests. Replies: rlabel 0, or an error code (the user library turns it into -1).
//
//   label        request                                  reply
//   PROC_FORK    w0 = child's start pc, w1 = its a0/sp      rw0 = child pid
//   PROC_EXIT    w0 = status                              none: the caller is gone
//   PROC_WAIT    -                                        rw0 = pid, rw1 = status (waits for a child)
//   PROC_KILL    w0 = pid                                 -
//   PROC_GETPID  -                                        rw0 = pid
//   PROC_EXEC    w0 = argc; buffer R: path\0arg0\0arg1\0.. none on success (a new image runs)
//   PROC_SLEEP   w0 = ticks (10 ms)                       - (after the time)
//   PROC_UPTIME  -                                        rw0 = ticks since boot
#pragma once

#define PROC_FORK   1
#define PROC_EXIT   2
#define PROC_WAIT   3
#define PROC_KILL   4
#define PROC_GETPID 5
#define PROC_EXEC   6
#define PROC_SLEEP  7
#define PROC_UPTIME 8
#define PROC_PS     9          // buffer W: struct procinfo[] -> rw0 = how many

#define PROC_DIED   1          // notification bit: a process's task died
#define PROC_DUMP   2          // notification bit: print the process list (console ^P)
#define PROC_TIMER  4          // notification bit: the process server's own alarm (sleeps)
#define MAXARG      32         // exec: arguments at most

struct procinfo {
  int pid, ppid;
  char state[8];             // "run", "zombie"
  char wait[8];              // "wait" (for a child), "sleep", or ""
  char name[16];
};
#define MAXARGBYTES 4096       // exec: path and argument strings together
#define TICK_NS     10000000UL // one tick of sleep and uptime
