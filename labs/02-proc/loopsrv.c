// The server-loop fixture of lab 02: a server on servers/lib/server.c (the student's
// loop) that serves EP_TEST0 with as many workers as its boot argument says, and
// reports what its handler and notify function saw (loop.h). It judges nothing and
// prints no verdict: loopcli, which does not link the loop, judges from its answers.
#include "servers/lib/server.h"
#include "labs/02-proc/loop.h"
#include "user/lib/mv6.h"

static int inside, most;                // requests in the handler now; the most at once
static struct req held[LOOP_MAXHELD];
static int nheld, stored;               // slots taken, slots written
static uint64 bits, nnotes, strays;

static void enter(struct req *r) {
  int now = __atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST), m = most;
  while (now > m && !__atomic_compare_exchange_n(&most, &m, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
    ;
  uint64 t0 = time_ns();
  int e = worker_sleep_ns(r->w[0]);
  r->rw[0] = time_ns() - t0;
  r->rw[1] = now;
  r->rlabel = e < 0 ? e : 0;
  __atomic_sub_fetch(&inside, 1, __ATOMIC_SEQ_CST);
}

static void hold(struct req *r) {
  int i = __atomic_fetch_add(&nheld, 1, __ATOMIC_SEQ_CST);
  if (i >= LOOP_MAXHELD) {
    r->rlabel = E_NOMEM;
    return;
  }
  defer(r);
  held[i] = *r;
  __atomic_add_fetch(&stored, 1, __ATOMIC_SEQ_CST);
}

static void release(struct req *r) {
  int n = stored;
  for (int i = 0; i < n; i++) {
    held[i].rlabel = 0;
    held[i].rw[0] = held[i].w[0] + r->w[0];
    if (answer(&held[i]) == 0)
      r->rw[0]++;
    else
      r->rw[1]++;
  }
  nheld = stored = 0;
}

static void handle(struct req *r) {
  switch (r->label) {
  case LOOP_ENTER: enter(r); return;
  case LOOP_MOST: r->rw[0] = most; most = 0; return;
  case LOOP_HOLD: hold(r); return;
  case LOOP_HELD: r->rw[0] = stored; return;
  case LOOP_RELEASE: release(r); return;
  case LOOP_NOTES:
    r->rw[0] = bits, r->rw[1] = nnotes, r->rw[2] = strays;
    bits = nnotes = strays = 0;
    return;
  case LOOP_WHO:
    r->rw[0] = r->badge, r->rw[1] = r->buflen, r->rw[2] = r->rights, r->rw[3] = r->label;
    return;
  case L_NOTIFY: strays++; return;     // a notification is not a request
  }
  r->rlabel = E_INVAL;
}

static void notified(uint64 b) {
  bits |= b;
  nnotes++;
}

int main(int argc, char *argv[]) {
  serve(EP_TEST0, (int)task_arg, handle, notified);
  return 0;
}
