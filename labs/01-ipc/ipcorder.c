// Lab 01's test client for order: who waits in which queue, who gets the hart, and in
// what order messages and bits arrive. Case 0: queues; case 1: the fast path changes
// none of it. Each ends with a verdict line (or a FAIL line).
#include "labs/01-ipc/ipcclient.h"

#define NQ 4
static uint64 napep;        // the main thread's naps

// Callers that come one at a time and wait: each notes what its reply says.
static volatile int started[NQ], stamped[NQ];
static volatile uint64 stamp_w[NQ][3];
static void stamper(void *arg) {
  uint64 k = (uint64)arg;
  struct msg m = {.w = {k}};
  started[k] = 1;
  int64 r = call(LAB_STAMP, &m, 0, 0, 0);
  stamp_w[k][0] = r == 0 ? m.w[0] : (uint64)r;
  stamp_w[k][1] = m.w[1];
  stamp_w[k][2] = m.w[2];
  stamped[k] = 1;
}

// Start stamper k and wait until its call waits in the endpoint's queue.
static void queue_stamper(uint64 k) {
  spawn(stamper, (void *)k, 4);
  for (int i = 0; i < 10 && !started[k]; i++)
    nap(&napep, 1000000);
  nap(&napep, 1000000);               // the next tick: its call is queued by now
}

// Wait (up to about 0.3 s: well within the test's budget) until n stampers are answered.
static int all_stamped(int n) {
  for (int i = 0; i < 30; i++) {
    int done = 0;
    for (int k = 0; k < n; k++)
      done += stamped[k];
    if (done == n)
      return 1;
    nap(&napep, 1000000);
  }
  return 0;
}

// Many callers at once, each checking that every reply is its own (and the badge the
// server saw, ours).
static volatile int qdone, qbad;
static volatile uint64 qword;
static void caller(void *arg) {
  uint64 me = (uint64)arg, badge = self_badge();
  for (int i = 0; i < 500; i++) {
    struct msg m = {.w = {me << 32 | i, me, qword}};
    if (call(LAB_ECHO, &m, 0, 0, 0) != 0 || m.w[0] != (me << 32 | i) || m.w[1] != me || m.w[2] != qword ||
        m.w[3] != badge)
      qbad++;
  }
  __atomic_fetch_add(&qdone, 1, __ATOMIC_SEQ_CST);
}

// Queues: the server stops receiving while NQ callers come one after the other, and
// bits are posted while they wait. When it receives again it must get the bits first,
// then the callers in the order they came (each reply's stamp is its place). Then NQ
// threads make 500 calls each at once, and 100 one-way sends all arrive.
static void queue(void) {
  uint64 bits = verdict_random() | 1;
  struct msg m = {0};
  EXPECT(call(LAB_PAUSE, &m, 0, 0, 0), 0);
  uint64 gate = m.w[0];
  for (uint64 k = 0; k < NQ; k++)
    queue_stamper(k);
  EXPECT(ipc_notify(EP_TEST1, bits), 0);
  EXPECT(ipc_notify(gate, 1), 0);
  CHECK(all_stamped(NQ), "not every queued caller got its reply");
  for (int k = 0; k < NQ; k++) {
    CHECK(stamp_w[k][0] == k, "the caller that came %d-th was answered %d-th", k + 1, (int)stamp_w[k][0] + 1);
    CHECK(stamp_w[k][1] == bits, "caller %d: bits %p had reached the server as %p", k, bits, stamp_w[k][1]);
    CHECK(stamp_w[k][2] == self_badge(), "caller %d: the server saw badge %p, not %p", k, stamp_w[k][2],
          self_badge());
  }
  qword = verdict_random();
  for (uint64 t = 0; t < NQ; t++)
    spawn(caller, (void *)t, 4);
  for (int i = 0; i < 2000 && qdone < NQ; i++)
    nap(&napep, 1000000);
  CHECK(qdone == NQ && qbad == 0, "%d of %d callers done, %d wrong replies", qdone, NQ, qbad);
  m = (struct msg){.tag = TAG(LAB_NOTE, 0, 0)};
  for (int i = 0; i < 100; i++)
    EXPECT(ipc_send(EP_TEST1, &m), 0);
  m = (struct msg){0};
  EXPECT(call(LAB_SENT, &m, 0, 0, 0), 0);
  CHECK(m.w[0] == 100, "the server got %d of 100 one-way messages", (int)m.w[0]);
  test_done("ipcorder queue", 1);
}

static volatile int64 slow_r = 1;
static void slowcaller(void *arg) {
  struct msg m = {0};
  slow_r = call(LAB_SLOW, &m, 0, 0, 0);
}
static volatile int hi_ran;
static void hi(void *arg) { hi_ran = 1; }
static volatile int64 low_saw = -1;
static void lowcaller(void *arg) {
  struct msg m = {0};
  EXPECT(call(LAB_SPAWN, &m, 0, 0, 0), 0);
  m = (struct msg){0};
  EXPECT(call(LAB_SPAWNED, &m, 0, 0, 0), 0);
  low_saw = m.w[0];
}

// The fast path must not change what the general path would have done (one hart).
static void fast(void) {
  struct msg m = {0};
  EXPECT(call(LAB_LOWEP, &m, 0, 0, 0), 0);
  uint64 lowep = m.w[0], gate = m.w[1], bits = verdict_random() | 1;

  // 1. reply_recv while bits are pending and a caller waits in the queue: the server
  // must get both before it waits again.
  spawn(slowcaller, 0, 4);
  nap(&napep, 1000000);               // its call is held now
  queue_stamper(0);
  EXPECT(ipc_notify(EP_TEST1, bits), 0);
  EXPECT(ipc_notify(gate, 1), 0);     // the server answers the held call with reply_recv
  CHECK(all_stamped(1), "a caller queued while the server held a call never got its reply");
  CHECK(stamp_w[0][1] == bits, "bits %p posted while the server held a call reached it as %p", bits,
        stamp_w[0][1]);
  EXPECT(slow_r, 0);

  // 2. A call whose receiver has priority 3 while a thread of priority 4 is runnable:
  // that thread runs first.
  uint64 w = verdict_random();
  hi_ran = 0;
  spawn(hi, 0, 4);                    // runnable; we keep the hart (same priority)
  m = (struct msg){.w = {w}};
  EXPECT(call_ep(lowep, LAB_ECHO, &m, 0, 0, 0), 0);
  CHECK(m.w[0] == w, "the priority-3 server thread echoed %p, not %p", m.w[0], w);
  CHECK(hi_ran, "a call ran a priority-3 receiver before a runnable priority-4 thread");

  // 3. A reply to a caller of priority 3 while a server thread of priority 4 is
  // runnable: that thread runs first.
  spawn(lowcaller, 0, 3);
  for (int i = 0; i < 20 && low_saw < 0; i++)
    nap(&napep, 1000000);
  CHECK(low_saw == 1, "a reply ran the priority-3 caller before a runnable priority-4 thread (%d)",
        (int)low_saw);

  // 4. A buffer outside user space: the call fails at once and never reaches the server.
  m = (struct msg){0};
  EXPECT(call(LAB_COUNT, &m, 0, 0, 0), 0);
  uint64 before = m.w[0];
  EXPECT(call(LAB_ECHO, &m, (void *)0x80200000UL, 64, BUF_R), E_BADADDR);
  EXPECT(call(LAB_ECHO, &m, (void *)(MAXUVA - 32), 64, BUF_W), E_BADADDR);
  m = (struct msg){0};
  EXPECT(call(LAB_COUNT, &m, 0, 0, 0), 0);
  CHECK(m.w[0] == before + 1, "%d calls with a kernel buffer reached the server", (int)(m.w[0] - before - 1));
  test_done("ipcorder fast", 1);
}

int main(int argc, char *argv[]) {
  void (*cases[])(void) = {queue, fast};
  if (task_arg < sizeof cases / sizeof cases[0])
    cases[task_arg]();
  return 0;
}
