// What lab 01's test clients (ipclab.c, ipcorder.c) share: calls to the lab's server,
// naps and threads. A case ends with test_done("CLIENT CASE", 1): the verdict line, or
// the FAIL line (testlib.h).
#pragma once
#include "user/tests/testlib.h"
#include "labs/01-ipc/ipclab.h"

// One call to the lab's server: the reply's label (a status), or an error.
static int64 call_ep(uint64 ep, int label, struct msg *m, void *buf, uint64 len, int rights) {
  m->tag = TAG(label, rights, len);
  int64 r = ipc_call(ep, m, buf);
  return r < 0 ? r : (int64)(short)TAG_LABEL(m->tag);
}

static int64 call(int label, struct msg *m, void *buf, uint64 len, int rights) {
  return call_ep(EP_TEST1, label, m, buf, len, rights);
}

// Sleep at least ns of guest time on an endpoint of the caller's own (one per thread:
// an endpoint has one alarm). Alarms fire on the 100 Hz tick.
static void nap(uint64 *ep, uint64 ns) {
  struct msg m;
  if (!*ep)
    *ep = ep_create();
  alarm_ns(*ep, 1, ns);
  ipc_recv(*ep, &m);
}

// Start a thread of this task with its own stack.
static void spawn(void (*fn)(void *), void *arg, int prio) {
  static char stacks[8][8192] __attribute__((aligned(16)));
  static int n;
  CHECK(n < 8 && thread_create(fn, arg, stacks[n++], sizeof stacks[0], prio) >= 0, "no thread");
}
