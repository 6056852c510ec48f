// Helpers for the test programs: count failed checks, report them, and end the test
// with one line: the verdict "NAME: ok", or "NAME: FAIL (n checks failed)".
#pragma once
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"

static int test_failures;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      test_failures++;                                     \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
      printf(__VA_ARGS__);                                 \
      printf("\n");                                        \
    }                                                      \
  } while (0)

// Expect an exact error (or value) from an expression.
#define EXPECT(expr, want)                                                     \
  do {                                                                         \
    int64 _got = (int64)(expr);                                                \
    CHECK(_got == (int64)(want), "%s = %d (%s), want %d (%s)", #expr, (int)_got, \
          errstr(_got), (int)(want), errstr(want));                           \
  } while (0)

// The end line, then power off if asked: "NAME: ok" as a verdict line (verdict.h:
// tagged with the grader's per-run key, so that only this program can have printed
// it) if every check passed, else "NAME: FAIL (n checks failed)".
static inline void test_done(const char *name, int power_off) {
  if (test_failures)
    printf("%s: FAIL (%d checks failed)\n", name, test_failures);
  else
    verdict("%s: ok", name);
  if (power_off)
    poweroff(test_failures != 0);
}

// Run the cases named by argv[1] (all if none), a line each (the verdict "PREFIX NAME:
// ok", or "PREFIX NAME: FAIL"), then the verdict "SUITE: ALL n TESTS OK" or "SUITE: n
// checks FAILED". Returns the exit status.
struct test_case {
  const char *name;
  void (*f)(void);
};

static inline int run_cases(const char *suite, const char *prefix, struct test_case *t, int n, int argc,
                            char **argv) {
  int total = 0;
  for (int i = 0; i < n; i++) {
    if (argc > 1 && strcmp(argv[1], t[i].name) != 0)
      continue;
    int before = test_failures;
    t[i].f();
    if (test_failures == before)
      verdict("%s %s: ok", prefix, t[i].name);
    else
      printf("%s %s: FAIL\n", prefix, t[i].name);
    total++;
  }
  if (test_failures)
    printf("%s: %d checks FAILED\n", suite, test_failures);
  else
    verdict("%s: ALL %d TESTS OK", suite, total);
  return test_failures != 0;
}

// Sleep for ns of guest time on a private endpoint's alarm.
static inline void sleep_ns(uint64 ns) {
  static uint64 ep;
  struct msg m;
  if (!ep)
    ep = ep_create();
  alarm_ns(ep, 1, ns);
  ipc_recv(ep, &m);
}
