// The supervisor's test (boot group rs, grade/crash.py restart): while a workload
// (the task named by wait=, crashload by default) runs, kill the server named by
// kill=NAME:N (console, disk, fs, or all: each in turn) N times, at random moments,
// and check that the supervisor starts it again each time: a new task of that name
// answers the same well-known endpoint. The grader then checks the workload's files
// from the host, or that the shell still answers.
#include "user/tests/testlib.h"

static const struct {
  const char *name;
  uint64 ep;
} servers[] = {{"console", EP_CONSOLE}, {"disk", EP_DISK}, {"fs", EP_FS}};
#define NSERVERS 3

static uint64 seed;

static uint64 rnd(uint64 n) {
  seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  return (seed >> 33) % n;
}

// Wait (up to 2 s) until a task other than old is called name and answers ep: the new
// instance. Returns its badge, or 0.
static int64 restarted(int i, int64 old) {
  for (int k = 0; k < 400; k++) {
    int64 t = task_find(servers[i].name);
    if (t > 0 && t != old && ep_owner(servers[i].ep) == t)
      return t;
    sleep_ns(5000000);
  }
  return 0;
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  char arg[32] = "", *colon, wait[16] = "crashload";
  get_bootinfo(&bi);
  bootarg(bi.bootargs, "kill", arg, sizeof arg);
  bootarg(bi.bootargs, "wait", wait, sizeof wait);
  int n = (colon = strchr(arg, ':')) ? atoi(colon + 1) : 0, which = -1;
  if (colon)
    *colon = 0;
  for (int i = 0; i < NSERVERS; i++)
    if (strcmp(arg, servers[i].name) == 0)
      which = i;
  CHECK(n > 0 && (which >= 0 || strcmp(arg, "all") == 0), "kill=%s: want kill=NAME:N", arg);
  seed = verdict_random();
  while (task_find(wait) < 0)           // the workload has started
    sleep_ns(10000000);
  uint64 t0 = time_ns(), worst = 0;
  int kills = 0;
  for (int k = 0; k < n && test_failures == 0; k++) {
    int i = which >= 0 ? which : k % NSERVERS;
    sleep_ns((60 + rnd(100)) * 1000000);   // more than the supervisor's 50 ms: not a crash loop
    int64 old = task_find(servers[i].name);
    CHECK(old > 0, "kill %d: no %s task", k, servers[i].name);
    if (old <= 0)
      break;
    EXPECT(task_kill(old), 0);
    kills++;
    uint64 t = time_ns();
    CHECK(restarted(i, old) > 0, "kill %d: %s was not started again within 2 s", k, servers[i].name);
    if (time_ns() - t > worst)
      worst = time_ns() - t;
  }
  printf("rskiller: %d kills in %d ms, slowest restart %d us\n", kills, (int)((time_ns() - t0) / 1000000),
         (int)(worst / 1000));
  if (test_failures == 0)
    verdict("rskiller: %s killed %d times, started again each time", arg, kills);
  test_done("rskiller", 0);
  return 0;
}
