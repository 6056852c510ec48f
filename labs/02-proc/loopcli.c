// The judge of lab 02's server loop: calls loopsrv (loop.h), a server on the student's
// servers/lib/server.c, from several threads at once and checks what comes back. Its
// boot argument names the case and how many workers loopsrv was given (LOOP_ARG):
//   workers  W + 2 requests that each block in the handler for 100 ms: exactly W are
//            ever inside at once (nworkers honoured, not fewer, not more), in two waves;
//   sleep    four workers sleeping 160, 40, 120 and 80 ms at once: each wakes on its
//            own alarm, none early, none late (per-worker endpoints, found through tp);
//   defer    more deferred requests than workers, answered later with their own values;
//            the one whose caller was killed meanwhile gets E_NOREPLY; the loop goes on;
//   notify   notifications reach notify (never the handler, never a reply); the badge,
//            buffer length, rights and label reach the handler.
// (loophold is defer's helper: a task whose held call is killed.)
#include "user/tests/testlib.h"
#include "user/lib/verdict.h"
#include "labs/02-proc/loop.h"

#define MS 1000000UL

static char stacks[8][8192] __attribute__((aligned(16)));
static volatile uint64 took[8], inside[8], value[8], back_at[8];
static volatile int64 err[8];
static volatile int done[8];
static uint64 t0;

static int64 call(uint64 label, uint64 w0, struct msg *m) {
  *m = (struct msg){.tag = TAG(label, 0, 0), .w = {w0}};
  int64 e = ipc_call(EP_TEST0, m, 0);
  return e < 0 ? e : (short)TAG_LABEL(m->tag);
}

// Client thread i: one request with its own w0 (loop.h), its results kept.
static uint64 label_of[8], arg_of[8];
static void client(void *arg) {
  uint64 i = (uint64)arg;
  struct msg m;
  err[i] = call(label_of[i], arg_of[i], &m);
  took[i] = m.w[0], inside[i] = m.w[1], value[i] = m.w[0];
  back_at[i] = time_ns() - t0;
  done[i] = 1;
}

static void start(int n, uint64 label, const uint64 *args) {
  t0 = time_ns();
  for (int i = 0; i < n; i++) {
    label_of[i] = label, arg_of[i] = args[i], done[i] = 0;
    thread_create(client, (void *)(uint64)i, stacks[i], sizeof stacks[i], 4);
  }
}

static int all_done(int n, int tries) {
  for (int t = 0; t < tries; t++) {
    int k = 0;
    for (int i = 0; i < n; i++)
      k += done[i];
    if (k == n)
      return 1;
    sleep_ns(5 * MS);
  }
  return 0;
}

static void workers(int w) {
  uint64 args[8] = {0};
  int n = w + 2;
  for (int i = 0; i < n; i++)
    args[i] = 100 * MS;
  start(n, LOOP_ENTER, args);
  CHECK(all_done(n, 200), "not every request came back");
  uint64 last = 0;
  for (int i = 0; i < n; i++) {
    CHECK(err[i] == 0, "request %d: %s", i, errstr(err[i]));
    last = back_at[i] > last ? back_at[i] : last;
  }
  struct msg m;
  EXPECT(call(LOOP_MOST, 0, &m), 0);
  CHECK(m.w[0] == w, "%d requests were in the handler at once; serve was asked for %d workers", (int)m.w[0], w);
  CHECK(last >= 200 * MS && last < 300 * MS, "%d requests of 100 ms on %d workers took %d ms", n, w,
        (int)(last / MS));
}

static void sleeps(void) {
  uint64 ns[4] = {160 * MS, 40 * MS, 120 * MS, 80 * MS};
  start(4, LOOP_ENTER, ns);
  CHECK(all_done(4, 100), "a sleeping worker never woke up (another took its alarm?)");
  for (int i = 0; i < 4; i++) {
    CHECK(err[i] == 0, "sleep %d: %s", i, errstr(err[i]));
    CHECK(took[i] >= ns[i] && took[i] < ns[i] + 30 * MS, "worker_sleep_ns(%d ms) took %d ms", (int)(ns[i] / MS),
          (int)(took[i] / MS));
    CHECK(back_at[i] >= ns[i] && back_at[i] < ns[i] + 40 * MS, "a %d ms sleep came back after %d ms",
          (int)(ns[i] / MS), (int)(back_at[i] / MS));
  }
}

static void defers(void) {
  uint64 vals[6] = {11, 12, 13, 14, 15, 16};
  struct msg m;
  start(6, LOOP_HOLD, vals);
  int held = 0;
  for (int t = 0; t < 100 && held < 7; t++) {   // our six, and the helper's
    sleep_ns(5 * MS);
    held = call(LOOP_HELD, 0, &m) == 0 ? m.w[0] : -1;
  }
  CHECK(held == 7, "the server holds %d requests, want 7 (more than its 2 workers)", held);
  for (int i = 0; i < 6; i++)
    CHECK(!done[i], "held request %d was answered before the release: %s", i, errstr(err[i]));
  int64 helper = task_find("loophold");
  CHECK(helper > 0, "the helper task is not there: %s", errstr(helper));
  if (helper > 0)
    EXPECT(task_kill(helper), 0);
  sleep_ns(5 * MS);
  EXPECT(call(LOOP_RELEASE, 1000, &m), 0);
  CHECK(m.w[0] == 6 && m.w[1] == 1, "release: %d answered, %d callers gone; want 6 and 1", (int)m.w[0],
        (int)m.w[1]);
  CHECK(all_done(6, 50), "a released request never came back");
  for (int i = 0; i < 6; i++)
    CHECK(err[i] == 0 && value[i] == vals[i] + 1000, "held request %d: %s, value %d, want %d", i, errstr(err[i]),
          (int)value[i], (int)(vals[i] + 1000));
  EXPECT(call(LOOP_ENTER, 0, &m), 0);     // still serving
}

static void notes(void) {
  static char buf[123];
  struct msg m;
  EXPECT(ipc_notify(EP_TEST0, 0x5), 0);
  sleep_ns(10 * MS);
  EXPECT(ipc_notify(EP_TEST0, 0x30), 0);
  sleep_ns(10 * MS);
  EXPECT(call(LOOP_NOTES, 0, &m), 0);
  CHECK(m.w[0] == 0x35 && m.w[1] >= 1 && m.w[1] <= 2, "notify got bits %p in %d calls, want 0x35 in 1 or 2",
        m.w[0], (int)m.w[1]);
  CHECK(m.w[2] == 0, "%d notifications reached the handler as requests", (int)m.w[2]);
  m = (struct msg){.tag = TAG(LOOP_WHO, BUF_R | BUF_W, sizeof buf)};
  EXPECT(ipc_call(EP_TEST0, &m, buf), 0);
  CHECK(m.w[0] == self_badge(), "the handler saw badge %p, we are %p", m.w[0], self_badge());
  CHECK(m.w[1] == sizeof buf && m.w[2] == (BUF_R | BUF_W) && m.w[3] == LOOP_WHO,
        "the handler saw buflen %d rights %d label %d", (int)m.w[1], (int)m.w[2], (int)m.w[3]);
}

int main(int argc, char *argv[]) {
  static const char *names[] = {"?", "workers", "sleep", "defer", "notify"};
  int c = LOOP_CASE(task_arg), w = LOOP_WORKERS(task_arg);
  switch (c) {
  case LOOP_CASE_WORKERS: workers(w); break;
  case LOOP_CASE_SLEEP: sleeps(); break;
  case LOOP_CASE_DEFER: defers(); break;
  case LOOP_CASE_NOTIFY: notes(); break;
  }
  if (!test_failures)
    verdict("loop: %s %d ok", names[c], w);
  test_done("loop", 1);
  return 0;
}
