// A kill racing a task's own system calls on another hart (issue 14, bug 1): each round
// forks a child whose threads keep creating threads, then kills it. A thread of the
// child that was waiting for the kernel lock when the kill came must not go on to make
// a thread, and no thread of a killed task may run user code: each new thread asks
// whether its own task is still alive and prints a FAIL line if it is not.
#include "user/tests/testlib.h"

#define ROUNDS 150
#define WORKERS 3                       // worker threads alive at once, at most

static volatile int live;
static char stacks[WORKERS + 1][4096] __attribute__((aligned(16)));
static volatile int slot_used[WORKERS + 1];

static void worker(void *arg) {
  int s = (int)(uint64)arg;
  for (int i = 0; i < 20; i++)
    if (task_alive(self_badge()) != 0) {
      printf("killrace: FAIL a thread of a killed task runs user code\n");
      break;
    }
  slot_used[s] = 0;
  __atomic_fetch_sub(&live, 1, __ATOMIC_SEQ_CST);
}

// The child: make worker threads as fast as the table allows, until killed.
static void child(void) {
  for (;;) {
    if (live >= WORKERS)
      continue;
    for (int s = 0; s <= WORKERS; s++) {
      if (slot_used[s])
        continue;
      slot_used[s] = 1;
      __atomic_fetch_add(&live, 1, __ATOMIC_SEQ_CST);
      if (thread_create(worker, (void *)(uint64)s, stacks[s], sizeof stacks[s], 4) < 0) {
        slot_used[s] = 0;
        __atomic_fetch_sub(&live, 1, __ATOMIC_SEQ_CST);
      }
      break;
    }
  }
}

int main(int argc, char *argv[]) {
  uint64 seed = time_ns();
  for (int r = 0; r < ROUNDS; r++) {
    int pid = fork();
    if (pid == 0)
      child();
    CHECK(pid > 0, "fork failed in round %d", r);
    if (pid < 0)
      break;
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    uint64 until = time_ns() + 200000 + (seed >> 40) % 3000000;   // let it run 0.2-3.2 ms
    while (time_ns() < until)
      ;
    CHECK(kill(pid) == 0, "round %d: kill(%d) failed", r, pid);
    int status;
    CHECK(wait(&status) == pid, "round %d: wait did not return the killed child", r);
  }
  // every task slot and kernel page of the killed children came back: fork still works
  int pid = fork();
  if (pid == 0)
    exit(0);
  CHECK(pid > 0 && wait(0) == pid, "fork after the kills failed");
  test_done("killrace", 0);
  return test_failures != 0;
}
