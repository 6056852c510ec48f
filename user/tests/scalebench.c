// Scaling (issue 12): K independent clients, each a process of its own, doing the same
// work; wall time from the first fork to the last wait, without icount. Run at CPUS=1
// and CPUS=2 (mk/bench.py --scale): with K = 2, a system that scales finishes in about
// half the time on two harts. Workloads: getpid loops (the process server), pipe round
// trips between a client and its own child (the file server), file writers each in a
// directory of its own (the file server and the disk), ping pairs (a client calling a
// server of its own: the kernel's IPC and nothing else), and a compute loop with no
// system call at all: what this host's QEMU gives two harts at best.
#include "user/tests/testlib.h"
#include "kernel/fcntl.h"
#include "servers/fs/fsproto.h"

#define GETPIDS 20000
#define TRIPS 2000
#define WRITES 512              // 512-byte writes: 256 KiB per writer
#define PINGS 20000
#define SPINS 20000000

static void getpids(void) {
  int pid = getpid();
  for (int i = 0; i < GETPIDS; i++)
    CHECK(getpid() == pid, "getpid changed");
}

static void pipes(void) {
  int p[2], q[2];
  char c = 0;
  CHECK(pipe(p) == 0 && pipe(q) == 0, "pipes");
  if (fork() == 0) {
    close(p[1]);
    while (read(p[0], &c, 1) == 1 && write(q[1], &c, 1) == 1)
      ;
    exit(0);
  }
  close(p[0]);
  close(q[1]);
  for (int i = 0; i < TRIPS; i++) {
    c = i;
    CHECK(write(p[1], &c, 1) == 1 && read(q[0], &c, 1) == 1 && c == (char)i, "round trip %d", i);
  }
  close(p[1]);
  wait(0);
}

static void writer(int k) {
  static char buf[512];
  char dir[] = "s0", file[] = "s0/f";
  dir[1] = file[1] = '0' + k;
  mkdir(dir);
  int fd = open(file, O_CREATE | O_WRONLY);
  CHECK(fd >= 0, "create %s", file);
  for (int i = 0; i < WRITES; i++)
    CHECK(write(fd, buf, sizeof buf) == sizeof buf, "write %d", i);
  close(fd);
  CHECK(unlink(file) == 0 && unlink(dir) == 0, "unlink");
}

// A ping pair: this process serves an endpoint of its own to its child, which calls it
// PINGS times and then says it is done (label 2).
static void pingpair(void) {
  int64 ep = ep_create();
  CHECK(ep > 0, "ep_create: %s", errstr(ep));
  if (fork() == 0) {
    for (int i = 0; i < PINGS; i++) {
      struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
      CHECK(ipc_call(ep, &m, 0) == 0 && m.w[0] == (uint64)i + 1, "ping %d", i);
    }
    struct msg m = {.tag = TAG(2, 0, 0)};
    CHECK(ipc_call(ep, &m, 0) == 0, "last ping");
    exit(test_failures ? 1 : 0);
  }
  struct msg m;
  int64 token = ipc_recv(ep, &m);
  while (token > 0 && TAG_LABEL(m.tag) == 1) {
    m.w[0]++;
    token = ipc_reply_recv(ep, token, &m);
  }
  CHECK(token > 0, "pong: %s", errstr(token));
  ipc_reply(token, &m);
  int status = -1;
  wait(&status);
  CHECK(status == 0, "the pinging child failed");
}

static void spin(void) {
  volatile uint64 x = 0;
  for (uint64 i = 0; i < SPINS; i++)
    x += i;
}

struct counts {
  int fast, slow, ipi;          // IPC fast and general paths, IPIs sent
  int commits;                  // the file server's log commits
};

// The file server's log commits so far (FS_STAT).
static int commits(void) {
  struct msg m = {.tag = TAG(FS_STAT, 0, 0)};
  return ipc_call(EP_FS, &m, 0) == 0 ? (int)m.w[0] : -1;
}

// Wall nanoseconds for k clients running work at once; what the kernel counted
// meanwhile goes in *n.
static uint64 run(int k, int work, struct counts *n) {
  uint64 f0 = kstat(STAT_FASTPATH), s0 = kstat(STAT_SLOWPATH), i0 = kstat(STAT_IPI);
  int c0 = commits();
  uint64 t0 = time_ns();
  for (int i = 0; i < k; i++) {
    if (fork() == 0) {
      if (work == 0)
        getpids();
      else if (work == 1)
        pipes();
      else if (work == 2)
        writer(i);
      else if (work == 3)
        pingpair();
      else
        spin();
      exit(test_failures ? 1 : 0);
    }
  }
  for (int i = 0; i < k; i++) {
    int status = -1;
    wait(&status);
    CHECK(status == 0, "a client failed");
  }
  uint64 t = time_ns() - t0;
  n->fast = kstat(STAT_FASTPATH) - f0;
  n->slow = kstat(STAT_SLOWPATH) - s0;
  n->ipi = kstat(STAT_IPI) - i0;
  n->commits = commits() - c0;
  return t;
}

int main(int argc, char *argv[]) {
  static const char *names[] = {"getpid", "pipe", "fswrite", "ping", "compute"};
  int ncpu = kstat(STAT_NCPU);
  struct counts a, b;
  for (int work = 0; work < 5; work++) {
    run(1, work, &a);                      // warm: caches, the first faults
    uint64 one = run(1, work, &a), two = run(2, work, &b);
    printf("bench: scale_%s_cpus%d %d us for 1 client, %d us for 2 (fast/slow/ipi 1: %d %d %d, 2: %d %d %d) "
           "commits 1: %d, 2: %d\n", names[work], ncpu, (int)(one / 1000), (int)(two / 1000), a.fast, a.slow,
           a.ipi, b.fast, b.slow, b.ipi, a.commits, b.commits);
  }
  test_done("scalebench", 0);
  exit(0);
}
