// Lab 01's test client: one case per boot group (its boot argument), against
// ipcsrv on EP_TEST1. Each case checks what came back and prints the grader's
// per-run nonce as it came back through the IPC under test.
#include "user/tests/testlib.h"
#include "labs/01-ipc/ipclab.h"

extern uint64 task_arg;

static int64 call(int label, struct msg *m, void *buf, uint64 len, int rights) {
  m->tag = TAG(label, rights, len);
  int64 r = ipc_call(EP_TEST1, m, buf);
  return r < 0 ? r : (int64)(short)TAG_LABEL(m->tag);
}

// Call and reply: 2,000 round trips, each reply checked; the nonce rides in w2.
static void ping(uint64 nonce) {
  uint64 f0 = kstat(STAT_FASTPATH), s0 = kstat(STAT_SLOWPATH), echoed = 0;
  int n = 2000;
  for (int i = 0; i < n; i++) {
    struct msg m = {.w = {i, ~(uint64)i, nonce}};
    int64 r = call(LAB_ECHO, &m, 0, 0, 0);
    if (r != 0 || m.w[0] != (uint64)i || m.w[1] != ~(uint64)i || m.w[3] != self_badge()) {
      CHECK(0, "round trip %d: %s, w0 %d w3 %p", i, errstr(r), (int)m.w[0], m.w[3]);
      return;
    }
    echoed = m.w[2];
  }
  uint64 fast = kstat(STAT_FASTPATH) - f0, slow = kstat(STAT_SLOWPATH) - s0;
  printf("ipclab ping: echoed %016lx\n", echoed);
  printf("ipclab ping: %d round trips, fast path %d of %d\n", n, (int)fast, (int)(fast + slow));
}

// Bulk copy: the server transforms our buffer in place; we undo it. The nonce's
// digits are at the front of the buffer, random bytes behind them.
static unsigned char big[LAB_BUFMAX + 64];
static void bulk(uint64 nonce) {
  uint64 len = LAB_BUFMAX - 3, seed = time_ns() | 1;
  unsigned char *p = big + 3;                       // unaligned on purpose
  static unsigned char orig[LAB_BUFMAX];
  for (uint64 i = 0; i < len; i++) {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    p[i] = orig[i] = seed >> 56;
  }
  for (int i = 0; i < 16; i++)
    p[i] = orig[i] = "0123456789abcdef"[(nonce >> (60 - 4 * i)) & 15];
  struct msg m = {0};
  EXPECT(call(LAB_XFORM, &m, p, len, BUF_R | BUF_W), 0);
  CHECK(m.w[0] == len, "the server saw %d bytes, not %d", (int)m.w[0], (int)len);
  int wrong = 0;
  for (uint64 i = 0; i < len; i++) {
    wrong += p[i] != lab_xform(orig[i], i);
    p[i] = lab_xform(p[i], i);
  }
  CHECK(wrong == 0, "%d of %d bytes came back wrong", wrong, (int)len);
  printf("ipclab bulk: read back %c%c%c%c%c%c%c%c%c%c%c%c%c%c%c%c\n", p[0], p[1], p[2], p[3], p[4],
         p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]);
  // The server may copy only the way we allowed, only within what we offered.
  big[0] = 0x5a;
  EXPECT(call(LAB_XFORM, &m, big, 8, BUF_R), E_PERM);
  EXPECT(call(LAB_XFORM, &m, big, 8, BUF_W), E_PERM);
  CHECK(big[0] == 0x5a, "a read-only offer was written");
  // Copies outside a pending call: the kernel refuses them.
  EXPECT(ipc_copy_to(12345, 0, big, 8), E_NOREPLY);
  EXPECT(ipc_copy_from(0, 0, big, 8), E_NOREPLY);
}

// Notifications: bits posted without blocking reach the server's next recv.
static void notify(uint64 nonce) {
  EXPECT(ipc_notify(EP_TEST1, nonce & 0xffffffff00000000UL), 0);
  EXPECT(ipc_notify(EP_TEST1, nonce & 0xffffffffUL), 0);
  uint64 got = 0;
  for (int i = 0; i < 10 && got != nonce; i++) {       // the bits may come in two batches
    struct msg m = {0};
    EXPECT(call(LAB_BITS, &m, 0, 0, 0), 0);
    got |= m.w[0];
  }
  printf("ipclab notify: bits %016lx\n", got);
}

// Deferred replies: the server holds two calls and answers them in reverse order.
static char stack[8192] __attribute__((aligned(16)));
static volatile int64 second = 1;
static volatile uint64 second_w0;
static void holder(void *arg) {
  struct msg m = {0};
  second = call(LAB_HOLD, &m, 0, 0, 0);
  second_w0 = m.w[0];
  thread_exit();
}
static void defer(uint64 nonce) {
  struct msg m = {.w = {nonce}};
  CHECK(thread_create(holder, 0, stack, sizeof stack, 4) >= 0, "no thread");
  sleep_ns(10000000);                 // the helper's call is held by now
  CHECK(second == 1, "the held call returned early: %s", errstr(second));
  EXPECT(call(LAB_HOLD, &m, 0, 0, 0), 0);
  for (int i = 0; i < 100 && second == 1; i++)
    sleep_ns(1000000);
  EXPECT(second, 0);
  CHECK(m.w[0] == 1 && second_w0 == 0, "replies crossed: ours w0=%d, the held one's w0=%d",
        (int)m.w[0], (int)second_w0);
  // Reply rights: no token, a made-up token, a receive on someone else's endpoint.
  struct msg r = {.tag = TAG(0, 0, 0)};
  EXPECT(ipc_reply(0, &r), E_NOREPLY);
  EXPECT(ipc_reply(nonce | 1, &r), E_NOREPLY);
  EXPECT(ipc_recv(EP_TEST1, &r), E_PERM);
  EXPECT(ipc_call(nonce | 0xffff, &r, 0), E_BADHANDLE);
}

// A dead server: the call it left waiting fails at once, so do later ones.
static void dead(uint64 nonce) {
  struct msg m = {0};
  uint64 t0 = time_ns();
  EXPECT(call(LAB_DIE, &m, 0, 0, 0), E_DEAD);
  CHECK(time_ns() - t0 < 100000000UL, "the call failed only after %d ms", (int)((time_ns() - t0) / 1000000));
  EXPECT(call(LAB_ECHO, &m, 0, 0, 0), E_DEAD);
  EXPECT(ipc_notify(EP_TEST1, 1), E_DEAD);
}

// Queues: four threads call at once (so callers wait in the endpoint's queue while
// the server is busy), each checking that every reply is its own; then one-way sends.
#define NQ 4
static char qstacks[NQ][8192] __attribute__((aligned(16)));
static volatile int qdone, qbad;
static volatile uint64 qnonce;
static void caller(void *arg) {
  uint64 me = (uint64)arg;
  for (int i = 0; i < 500; i++) {
    struct msg m = {.w = {me << 32 | i, me, qnonce}};
    if (call(LAB_ECHO, &m, 0, 0, 0) != 0 || m.w[0] != (me << 32 | i) || m.w[1] != me || m.w[2] != qnonce)
      qbad++;
  }
  __atomic_fetch_add(&qdone, 1, __ATOMIC_SEQ_CST);
  thread_exit();
}
static void queue(uint64 nonce) {
  qnonce = nonce;
  for (uint64 t = 0; t < NQ; t++)
    CHECK(thread_create(caller, (void *)t, qstacks[t], sizeof qstacks[t], 4) >= 0, "no thread");
  for (int i = 0; i < 2000 && qdone < NQ; i++)
    sleep_ns(1000000);
  CHECK(qdone == NQ && qbad == 0, "%d of %d callers done, %d wrong replies", qdone, NQ, qbad);
  struct msg m = {.tag = TAG(LAB_NOTE, 0, 0)};
  for (int i = 0; i < 100; i++)
    EXPECT(ipc_send(EP_TEST1, &m), 0);
  m = (struct msg){.w = {nonce}};
  EXPECT(call(LAB_SENT, &m, 0, 0, 0), 0);
  CHECK(m.w[0] == 100, "the server got %d of 100 one-way messages", (int)m.w[0]);
  printf("ipclab queue: %d calls from %d threads, 100 sends\n", NQ * 500, NQ);
}

int main(int argc, char *argv[]) {
  void (*cases[])(uint64) = {ping, bulk, notify, defer, dead, queue};
  if (task_arg < sizeof cases / sizeof cases[0])
    cases[task_arg](verdict_random());
  test_done("ipclab", 1);
  return 0;
}
