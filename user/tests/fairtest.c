// Fairness limits on shared tables (issue 14): one process takes all it can of a
// table, gets an error when it reaches its limit (never a hang or its death), and
// another process still gets what it asks for. Each case:
//   eps:     endpoints, up to TASK_NEP per task (E_NOMEM after);
//   threads: threads, up to TASK_NTHREAD per task (E_NOMEM after);
//   pipe:    reads waiting in the file server, FS_MAXWAIT per process (-1 after; the
//            waiting ones still get their bytes), while another process's read waits;
//   fork:    a fork bomb (every member forks until refused; its first process exits
//            at once, so the rest are orphans) gets about half of the free process
//            table, and another process still forks.
#include "user/tests/testlib.h"
#include "kernel/param.h"
#include "servers/fs/fsproto.h"
#include "servers/proc/ptable.h"

static char stacks[NTHREAD][2048] __attribute__((aligned(16)));   // touched only as used

// A child that takes what take() can, writes take's two results to the parent, then
// holds on until released (the parent closes the other end of *rel). Returns its pid.
static int hog(void (*take)(int64 out[2]), int64 out[2], int *rel) {
  int res[2], hold[2];
  if (pipe(res) < 0 || pipe(hold) < 0)
    return -1;
  int pid = fork();
  if (pid == 0) {
    close(res[0]);
    close(hold[1]);
    take(out);
    write(res[1], out, 2 * sizeof(int64));
    char c;
    read(hold[0], &c, 1);            // 0 at the release
    exit(0);
  }
  close(res[1]);
  close(hold[0]);
  if (pid < 0 || read(res[0], out, 2 * sizeof(int64)) != 2 * sizeof(int64))
    out[0] = out[1] = -1;
  close(res[0]);
  *rel = hold[1];
  return pid;
}

// Release a hog; 0 if it exited with status 0.
static int release(int pid, int rel) {
  close(rel);
  int status = -1;
  return wait(&status) == pid ? status : -1;
}

// Another process: its status is f()'s.
static int other(int (*f)(void)) {
  int pid = fork(), status = -1;
  if (pid == 0)
    exit(f());
  return pid > 0 && wait(&status) == pid ? status : -1;
}

static void take_eps(int64 out[2]) {
  int64 e = 0;
  for (out[0] = 0; out[0] < NEP && (e = ep_create()) > 0; out[0]++)
    ;
  out[1] = e;
}

static int one_ep(void) { return ep_create() > 0 ? 0 : 1; }

static void eps(void) {
  int64 got[2];
  int rel, pid = hog(take_eps, got, &rel);
  CHECK(got[1] == E_NOMEM, "the hog's last ep_create: %d (%s), want E_NOMEM", (int)got[1], errstr(got[1]));
  CHECK(got[0] > TASK_NEP / 2 && got[0] <= TASK_NEP, "the hog got %d endpoints, limit %d", (int)got[0], TASK_NEP);
  CHECK(other(one_ep) == 0, "another process got no endpoint");
  CHECK(ep_create() > 0, "this process got no endpoint");
  CHECK(release(pid, rel) == 0, "the hog did not exit cleanly");
}

static uint64 park_ep;
static void parked(void *arg) {
  struct msg m;
  ipc_recv(park_ep, &m);               // until the task ends
}

static void take_threads(int64 out[2]) {
  int64 e = 0;
  park_ep = ep_create();
  for (out[0] = 0; out[0] < NTHREAD && (e = thread_create(parked, 0, stacks[out[0]], 2048, 4)) > 0; out[0]++)
    ;
  out[1] = e;
}

static volatile int ran;
static void runs(void *arg) { ran = 1; }

static int one_thread(void) {
  if (thread_create(runs, 0, stacks[0], 2048, 4) <= 0)
    return 1;
  for (int i = 0; i < 10 && !ran; i++)
    sleep(1);
  return ran ? 0 : 2;
}

static void threads(void) {
  int64 got[2];
  int rel, pid = hog(take_threads, got, &rel);
  CHECK(got[1] == E_NOMEM, "the hog's last thread_create: %d (%s), want E_NOMEM", (int)got[1], errstr(got[1]));
  CHECK(got[0] == TASK_NTHREAD - 1, "the hog got %d threads besides its own, limit %d", (int)got[0], TASK_NTHREAD);
  CHECK(other(one_thread) == 0, "another process could not run a thread");
  CHECK(release(pid, rel) == 0, "the hog did not exit cleanly");
}

// The hog's readers: all on one empty pipe, each reading one byte.
#define NREAD (TASK_NTHREAD - 1)
static int wp[2];
static volatile int rres[NREAD], ndone;
static void reader(void *arg) {
  char c;
  rres[(uint64)arg] = read(wp[0], &c, 1);
  __atomic_add_fetch(&ndone, 1, __ATOMIC_SEQ_CST);
}

// out[0]: reads refused at once; out[1]: reads that waited and then got their byte.
static void take_waits(int64 out[2]) {
  pipe(wp);
  for (uint64 i = 0; i < NREAD; i++)
    rres[i] = 99, thread_create(reader, (void *)i, stacks[i], 2048, 4);
  sleep(5);                            // the ones that wait are waiting by now
  int refused = 0;
  for (int i = 0; i < NREAD; i++)
    refused += rres[i] == -1;
  write(wp[1], "abcdefghijklmnopqrstuvwxyz01234", NREAD);
  for (int i = 0; i < 20 && ndone < NREAD; i++)
    sleep(1);
  int got = 0;
  for (int i = 0; i < NREAD; i++)
    got += rres[i] == 1;
  out[0] = refused;
  out[1] = got;
}

static int op[2];                      // another process's pipe: we write to it late
static int waits(void) {
  char c;
  close(op[1]);
  return read(op[0], &c, 1) == 1 && c == 'w' ? 0 : 1;
}

static void pipewait(void) {
  int64 got[2];
  int rel, pid = hog(take_waits, got, &rel);
  CHECK(got[0] == NREAD - FS_MAXWAIT, "%d of %d reads refused at once, want %d", (int)got[0], NREAD,
        NREAD - FS_MAXWAIT);
  CHECK(got[1] == FS_MAXWAIT, "%d waiting reads got their byte, want %d", (int)got[1], FS_MAXWAIT);
  // the hog holds its waits again (its readers are done, its main thread reads the
  // release pipe): another process's read of an empty pipe waits, and gets its byte
  pipe(op);
  int w = fork(), status = -1;
  if (w == 0)
    exit(waits());
  close(op[0]);
  sleep(5);
  write(op[1], "w", 1);
  close(op[1]);
  CHECK(w > 0 && wait(&status) == w && status == 0, "another process's pipe read did not wait for its byte");
  CHECK(release(pid, rel) == 0, "the hog did not exit cleanly");
}

// Every member forks until refused, reports, and waits for the release.
static void bomb(int rel, int rep) {
  while (fork() >= 0)
    ;
  write(rep, "x", 1);
  char c;
  read(rel, &c, 1);
  exit(0);
}

static int go[2];
static int forks_later(void) {
  char c;
  close(go[1]);
  if (read(go[0], &c, 1) != 1)
    return 1;
  int pid = fork(), status = -1;
  if (pid == 0)
    exit(7);
  return pid > 0 && wait(&status) == pid && status == 7 ? 0 : 2;
}

static void forkbomb(void) {
  int rel[2], rep[2];
  pipe(go);
  int b = fork();                      // another process, started before the bomb
  if (b == 0)
    exit(forks_later());
  close(go[0]);
  pipe(rel);
  pipe(rep);
  int a = fork();
  if (a == 0) {
    close(rel[1]);
    close(rep[0]);
    if (fork() == 0)                   // the bomb proper: an orphan at once
      bomb(rel[0], rep[1]);
    exit(0);
  }
  close(rel[0]);
  close(rep[1]);
  sleep(30);                           // the bomb has filled its share by now
  write(go[1], "g", 1);
  close(go[1]);
  int status = -1, w;
  while ((w = wait(&status)) > 0 && w != b)
    ;
  CHECK(w == b && status == 0, "another process could not fork during the bomb (status %d)", status);
  close(rel[1]);                       // release the bomb, count its members
  int members = 0;
  char c;
  while (read(rep[0], &c, 1) == 1)
    members++;
  close(rep[0]);
  while (wait(0) > 0)
    ;
  CHECK(members >= 8 && members <= NPROC / 2, "the bomb had %d members, want 8..%d", members, NPROC / 2);
  sleep(5);                            // init reaps the orphans
  CHECK(other(one_ep) == 0, "no fork after the bomb");
}

int main(int argc, char *argv[]) {
  struct test_case cases[] = {{"eps", eps}, {"threads", threads}, {"pipe", pipewait}, {"fork", forkbomb}};
  return run_cases("fairtest", "fairtest", cases, 4, argc, argv);
}
