// proctest CASE: the process server under load and at its edges (lab 02's trusted test
// program; init runs it as prog=proctest arg=CASE). Each case checks effects -- exit
// statuses, pids, times, the process list, the memory server's free frames -- and
// prints its verdict only if every check passed. "proctest exit N [ARG...]" is the
// program the cases exec: it exits with N plus the number of ARGs.
#include "kernel/types.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"
#include "user/tests/testlib.h"
#include "kernel/param.h"
#include "servers/mem/mem.h"
#include "servers/proc/proc.h"

int vsnfmt(char *buf, int n, const char *fmt, __builtin_va_list ap);

static void fmt(char buf[40], const char *f, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, f);
  vsnfmt(buf, 40, f, ap);
  __builtin_va_end(ap);
}

static uint64 free_frames(void) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  return ipc_call(EP_MEM, &m, 0) < 0 ? 0 : m.w[0];
}

// The process list (PROC_PS), into list; how many entries, or -1.
static struct procinfo list[64];
static int ps(void) {
  struct msg m = {.tag = TAG(PROC_PS, BUF_W, sizeof list)};
  return ipc_call_buf(EP_PROC, &m, list) < 0 || TAG_LABEL(m.tag) ? -1 : (int)m.w[0];
}

static struct procinfo *find(int n, int pid) {
  for (int i = 0; i < n; i++)
    if (list[i].pid == pid)
      return &list[i];
  return 0;
}

// Wait for every child in pids (n of them): each must come back once, with its status.
static void reap(int *pids, int *want, int n, const char *what) {
  int seen[16] = {0};
  for (int k = 0; k < n; k++) {
    int status, w = wait(&status), i = 0;
    while (i < n && pids[i] != w)
      i++;
    CHECK(i < n && !seen[i], "%s: wait returned %d, not one of ours", what, w);
    if (i < n && !seen[i]) {
      seen[i] = 1;
      CHECK(status == want[i], "%s: pid %d exited with %d, want %d", what, w, status, want[i]);
    }
  }
  CHECK(wait(0) == -1, "%s: wait with no children left did not fail", what);
}

static int spawn_exit(int status) {
  int pid = fork();
  if (pid == 0)
    exit(status);
  return pid;
}

static int spawn_exec(int base, int nargs) {
  static char n[8];
  int pid = fork();
  if (pid == 0) {
    char *argv[8] = {"proctest", "exit", n, "a", "b", "c", "d", 0};
    n[0] = '0' + base / 10, n[1] = '0' + base % 10, n[2] = 0;
    argv[3 + nargs] = 0;
    exec("proctest", argv);
    exit(99);
  }
  return pid;
}

static int spawn_fault(void) {
  int pid = fork();
  if (pid == 0) {
    *(volatile int *)(sbrk(0) + 16 * 4096) = 1;   // beyond the heap: the memory server kills us
    exit(98);
  }
  return pid;
}

// Four processes at once, each making four rounds of children that exit, exec,
// sleep or fault, and waiting for them: every status reaches its own parent.
static void concurrent(void) {
  sleep(2);                       // tasks of earlier processes finish being torn down
  uint64 f0 = free_frames();
  int workers[4], zero[4] = {0};
  for (int k = 0; k < 4; k++) {
    if ((workers[k] = fork()) == 0) {
      for (int round = 0; round < 4; round++) {
        int pids[4], want[4] = {10 * k + round, 40 + k + round % 4, 70 + k, -1};
        pids[0] = spawn_exit(want[0]);
        pids[1] = spawn_exec(40 + k, round % 4);
        if ((pids[2] = fork()) == 0) {
          sleep(1 + round % 2);
          exit(70 + k);
        }
        pids[3] = spawn_fault();
        reap(pids, want, 4, "worker");
      }
      exit(test_failures ? 1 : 0);
    }
  }
  reap(workers, zero, 4, "concurrent");
  sleep(2);
  CHECK(free_frames() == f0, "%d frames free after, %d before", (int)free_frames(), (int)f0);
}

// Five sleepers at once, each for its own time: none wakes early, none much late.
static void sleepers(void) {
  int ticks[5] = {8, 2, 6, 4, 10}, pids[5], zero[5] = {0};
  for (int i = 0; i < 5; i++) {
    if ((pids[i] = fork()) == 0) {
      int t0 = uptime();
      sleep(ticks[i]);
      int t = uptime() - t0;
      if (t < ticks[i] || t > ticks[i] + 4)
        printf("FAIL sleepers: sleep(%d) took %d ticks\n", ticks[i], t);
      exit(t >= ticks[i] && t <= ticks[i] + 4 ? 0 : 1);
    }
  }
  reap(pids, zero, 5, "sleepers");
}

// Who may kill whom, and what a kill leaves behind.
static void killrules(void) {
  int p[2], status, n;
  CHECK(kill(1) == -1, "kill(1) did not fail: init must never be killed");
  n = ps();
  CHECK(n > 0 && find(n, 1) && strcmp(find(n, 1)->name, "init") == 0, "init is not in the process list");
  CHECK(kill(1000000) == -1, "kill of a pid that never existed did not fail");
  // a grandchild (not our child) can be killed; init reaps it
  int c = fork();
  if (c == 0) {
    int g = fork();
    if (g == 0) {
      sleep(1000);
      exit(0);
    }
    exit(g);
  }
  int g = 0;
  CHECK(wait(&g) == c && g > 1, "the middle process exited with %d", g);
  CHECK(kill(g) == 0, "kill of a grandchild (pid %d) failed", g);
  sleep(3);
  n = ps();
  CHECK(n > 0 && !find(n, g), "the killed orphan %d is still listed: nobody reaped it", g);
  CHECK(kill(g) == -1, "a second kill of %d did not fail", g);
  // a zombie cannot be killed, and keeps its status
  int z = spawn_exit(3);
  sleep(2);
  CHECK(kill(z) == -1, "kill of a zombie did not fail");
  CHECK(wait(&status) == z && status == 3, "the zombie's status became %d", status);
  // killing oneself
  int s = fork();
  if (s == 0) {
    kill(getpid());
    exit(5);
  }
  CHECK(wait(&status) == s && status == -1, "a process that killed itself exited with %d", status);
  // a process killed while it waits for a child; the child goes to init
  int a = fork();
  if (a == 0) {
    if (fork() == 0) {
      sleep(4);
      exit(0);
    }
    wait(0);
    exit(6);
  }
  sleep(2);
  CHECK(kill(a) == 0, "kill of a waiting process failed");
  CHECK(wait(&status) == a && status == -1, "the killed waiter exited with %d", status);
  // a killed process's files are closed: the reader of its pipe sees the end
  pipe(p);
  int w = fork();
  if (w == 0) {
    close(p[0]);
    sleep(1000);
    exit(0);
  }
  close(p[1]);
  sleep(1);
  CHECK(kill(w) == 0, "kill of the pipe's writer failed");
  char ch;
  CHECK(read(p[0], &ch, 1) == 0, "the pipe did not end when its writer was killed");
  close(p[0]);
  CHECK(wait(&status) == w && status == -1, "the pipe's writer exited with %d", status);
  sleep(5);
  CHECK(wait(0) == -1, "children left over");
}

// Zombies whose parent exits first go to init, which must reap them.
static void orphans(void) {
  sleep(2);
  ps();                           // its list's pages are ours before we count frames
  uint64 f0 = free_frames();
  int kids[2] = {0};
  int p[2];
  pipe(p);
  int m = fork();
  if (m == 0) {
    kids[0] = spawn_exit(7);
    kids[1] = spawn_exec(8, 1);
    write(p[1], kids, sizeof kids);
    sleep(3);                     // both are zombies now; we exit without waiting
    exit(0);
  }
  close(p[1]);
  CHECK(read(p[0], kids, sizeof kids) == sizeof kids, "no pids from the middle process");
  close(p[0]);
  int status;
  CHECK(wait(&status) == m && status == 0, "the middle process exited with %d", status);
  sleep(3);
  int n = ps();
  CHECK(n > 0, "no process list");
  for (int i = 0; i < 2; i++)
    CHECK(!find(n, kids[i]), "zombie %d, given to init, was never reaped", kids[i]);
  sleep(2);
  CHECK(free_frames() == f0, "%d frames free after, %d before", (int)free_frames(), (int)f0);
}

// The process list through a buffer not present yet, and what it says.
static void pslist(void) {
  struct procinfo *lazy = (void *)sbrk(2 * 4096);  // untouched: no page there yet
  char *fresh = sbrk(2 * 4096);
  int z = spawn_exit(0), s = fork();
  if (s == 0) {
    sleep(1000);
    exit(0);
  }
  sleep(2);
  struct msg m = {.tag = TAG(PROC_PS, BUF_W, sizeof list)};
  CHECK(ipc_call(EP_PROC, &m, lazy) == 0 && (short)TAG_LABEL(m.tag) == E_NOTPRESENT,
        "PROC_PS into a page not present: label %d, want E_NOTPRESENT", (int)(short)TAG_LABEL(m.tag));
  m = (struct msg){.tag = TAG(PROC_PS, BUF_W, sizeof list)};
  CHECK(ipc_call_buf(EP_PROC, &m, lazy) == 0 && TAG_LABEL(m.tag) == 0, "PROC_PS failed");
  int n = m.w[0];
  memmove(list, lazy, sizeof list);
  struct procinfo *me = find(n, getpid()), *init = find(n, 1), *zp = find(n, z), *sp = find(n, s);
  CHECK(me && me->ppid == 1 && strcmp(me->name, "proctest") == 0 && strcmp(me->state, "run") == 0,
        "our own entry is wrong or missing");
  CHECK(init && init->ppid == 0 && strcmp(init->name, "init") == 0 && strcmp(init->wait, "wait") == 0,
        "init's entry is wrong or missing");
  CHECK(zp && zp->ppid == getpid() && strcmp(zp->state, "zombie") == 0, "the zombie child's entry");
  CHECK(sp && sp->ppid == getpid() && strcmp(sp->wait, "sleep") == 0, "the sleeping child's entry");
  m = (struct msg){.tag = TAG(PROC_PS, BUF_W, sizeof lazy[0])};
  CHECK(ipc_call_buf(EP_PROC, &m, lazy) == 0 && TAG_LABEL(m.tag) == 0 && m.w[0] == 1,
        "a list with room for one entry got %d", (int)m.w[0]);
  kill(s);
  wait(0);
  wait(0);
  // exec's arguments, too, come by bulk copy: a buffer not present is E_NOTPRESENT
  m = (struct msg){.tag = TAG(PROC_EXEC, BUF_R, 100), .w = {1}};
  CHECK(ipc_call(EP_PROC, &m, fresh + 4096) == 0 && (short)TAG_LABEL(m.tag) == E_NOTPRESENT,
        "PROC_EXEC from a page not present: label %d, want E_NOTPRESENT", (int)(short)TAG_LABEL(m.tag));
}

// Forks that fail at their last step (no thread left in the kernel for the child:
// holder processes hold every free one, each as many as a task may, TASK_NTHREAD)
// are undone whole: afterwards every slot of the process table, every frame and
// every kernel page is back.
static uint64 hold_ep;
static char stacks[TASK_NTHREAD][2048] __attribute__((aligned(16)));

static void holder(void *arg) {
  struct msg m;
  ipc_recv(hold_ep, &m);
}

// A child that takes all the threads it may and says how many (besides its own)
// through rep, then holds them until killed; its pid, or -1 if it could not be made (no thread
// left even for it).
static int hold_threads(int rep[2], int *n) {
  int pid = fork();
  if (pid == 0) {
    int k = 0;
    hold_ep = ep_create();
    while (k < TASK_NTHREAD && thread_create(holder, 0, stacks[k], sizeof stacks[k], 4) >= 0)
      k++;
    write(rep[1], &k, sizeof k);
    holder(0);
    exit(0);
  }
  *n = 0;
  return pid > 0 && read(rep[0], n, sizeof *n) == sizeof *n ? pid : -1;
}

static void halfmade(void) {
  memset(stacks, 0, sizeof stacks);   // their pages are ours before we count frames
  sleep(2);
  uint64 f0 = free_frames(), k0 = kstat(STAT_FREEPAGES);
  int rep[2], held[NTHREAD / (TASK_NTHREAD - 1) + 1], nh = 0, n = TASK_NTHREAD - 1, failed = 0;
  pipe(rep);
  while (n == TASK_NTHREAD - 1 && nh < (int)(sizeof held / sizeof *held) && (held[nh] = hold_threads(rep, &n)) > 0)
    nh++;
  close(rep[0]);
  close(rep[1]);
  for (int i = 0; i < 80; i++) {  // more failures than the table has slots
    int pid = fork();
    if (pid == 0)
      exit(0);
    if (pid > 0)
      wait(0);
    else
      failed++;
  }
  for (int i = 0; i < nh; i++) {
    kill(held[i]);
    wait(0);
  }
  CHECK(nh > 1 && nh < (int)(sizeof held / sizeof *held) && failed == 80, "%d holders, %d of 80 forks failed", nh, failed);
  sleep(2);
  int pids[40], k = 0;
  for (; k < 40 && (pids[k] = fork()) >= 0; k++)
    if (pids[k] == 0) {
      sleep(2);
      exit(0);
    }
  CHECK(k == 40, "only %d of 40 processes could be made afterwards", k);
  for (int i = 0; i < k; i++)
    wait(0);
  sleep(2);
  CHECK(free_frames() == f0, "%d frames free after, %d before", (int)free_frames(), (int)f0);
  CHECK(kstat(STAT_FREEPAGES) == k0, "%d kernel pages free after, %d before", (int)kstat(STAT_FREEPAGES), (int)k0);
}

// Several pipelines at once from one shell (a race in an early kernel-hosted process
// subsystem hung this): every line of output comes, and right.
static void pipelines(void) {
  static char out[4096], buf[512];
  static const char line[] = "cat README.md | grep mv6 | wc & cat README.md | wc & echo hi | wc\n";
  int lines = 0, words = 0, bytes = 0, gl = 0, gw = 0, gb = 0, inword = 0, n, fd = open("README.md", 0);
  char cur[256];
  int curn = 0, curw = 0, has = 0;
  CHECK(fd >= 0, "no README.md");
  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (int i = 0; i < n; i++) {
      char ch = buf[i];
      bytes++;
      cur[curn < 255 ? curn++ : 255] = ch;
      if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v') {
        inword = 0;
      } else if (!inword) {
        words++, curw++;
        inword = 1;
      }
      if (ch == '\n') {
        lines++;
        cur[curn < 256 ? curn : 255] = 0;
        for (int k = 0; k + 3 <= curn; k++)
          has |= cur[k] == 'm' && cur[k + 1] == 'v' && cur[k + 2] == '6';
        if (has)
          gl++, gw += curw, gb += curn;
        curn = curw = has = 0;
      }
    }
  close(fd);
  int in[2], o[2];
  pipe(in);
  pipe(o);
  int sh = fork();
  if (sh == 0) {
    close(0), dup(in[0]), close(1), dup(o[1]), close(2), dup(o[1]);
    close(in[0]), close(in[1]), close(o[0]), close(o[1]);
    char *argv[] = {"sh", 0};
    exec("sh", argv);
    exit(1);
  }
  close(in[0]);
  close(o[1]);
  for (int i = 0; i < 3; i++)
    write(in[1], line, sizeof line - 1);
  close(in[1]);
  int got = 0;
  while (got < (int)sizeof out - 1 && (n = read(o[0], out + got, sizeof out - 1 - got)) > 0)
    got += n;
  close(o[0]);
  out[got] = 0;
  int status;
  CHECK(wait(&status) == sh && status == 0, "sh exited with %d", status);
  char want[3][40];
  int count[3] = {0};
  fmt(want[0], "%d %d %d ", gl, gw, gb);
  fmt(want[1], "%d %d %d ", lines, words, bytes);
  fmt(want[2], "1 1 3 ");
  // The output without the prompts ("$ "), line by line.
  char *p = out, *q = out;
  for (; *p; p++)
    if (!(p[0] == '$' && p[1] == ' ' && (p++, 1)))
      *q++ = *p;
  *q = 0;
  for (char *s = out, *e; *s; s = e + 1) {
    for (e = s; *e && *e != '\n'; e++)
      ;
    int end = *e == 0;
    *e = 0;
    int k = 0;
    while (k < 3 && strcmp(s, want[k]) != 0)
      k++;
    if (k < 3)
      count[k]++;
    else
      CHECK(*s == 0, "unexpected output: '%s'", s);
    if (end)
      break;
  }
  for (int k = 0; k < 3; k++)
    CHECK(count[k] == 3, "'%s' came %d times, want 3", want[k], count[k]);
}

// Without a file system (boot group os): fork, exec from the boot image, wait.
static void nofs(void) {
  int pids[3], want[3] = {21, 33, 0};
  pids[0] = spawn_exit(21);
  pids[1] = spawn_exec(30, 3);
  pids[2] = fork();
  if (pids[2] == 0) {
    char *argv[] = {"notelf", 0};
    exit(exec("no-such-program", argv) == -1 && exec("notelf", argv) == -1 ? 0 : 1);
  }
  reap(pids, want, 3, "nofs");
}

// A child asks its pid at once, while its fork is still being finished (in a process
// server with several workers, another worker may take the child's first request
// before the fork's worker has entered it in the table), and while another process
// keeps asking its own: every answer is the pid fork gave the parent (the status
// carries its low bits back), and the asker's never changes. (The window is a few
// hundred instructions: this meets it only when the host delays the fork's worker,
// so a pass does not prove the race handled; a wrong pid fails it whenever it shows.)
static void forkpid(void) {
  int asker = fork();
  if (asker == 0) {
    int me = getpid();
    while (getpid() == me)
      ;
    exit(1);                      // a wrong answer: the parent's kill finds us gone
  }
  for (int round = 0; round < 60; round++) {
    int pid = fork();
    if (pid == 0)
      exit(getpid() & 0x7f);
    int status = -1;
    CHECK(pid > 0 && wait(&status) == pid && status == (pid & 0x7f), "round %d: child %d said %d", round, pid,
          status);
  }
  kill(asker);
  int status = 0;
  CHECK(wait(&status) == asker && status == -1, "the asker's getpid changed (status %d)", status);
}

static struct test_case cases[] = {
  {"forkpid", forkpid}, {"concurrent", concurrent}, {"sleepers", sleepers}, {"killrules", killrules}, {"orphans", orphans},
  {"ps", pslist}, {"halfmade", halfmade}, {"pipelines", pipelines}, {"nofs", nofs},
};

int main(int argc, char *argv[]) {
  if (argc >= 3 && strcmp(argv[1], "exit") == 0)
    exit(atoi(argv[2]) + argc - 3);
  int ran = 0;
  for (int i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (argc < 2 || strcmp(argv[1], cases[i].name) != 0)
      continue;
    cases[i].f();
    ran++;
    if (test_failures)
      printf("proctest: %s: FAIL (%d checks failed)\n", cases[i].name, test_failures);
    else
      verdict("proctest: %s ok", cases[i].name);
  }
  CHECK(ran == 1, "no case named %s", argc > 1 ? argv[1] : "(none)");
  exit(test_failures != 0);
}
