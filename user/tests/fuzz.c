// fuzz SEED:N: an ordinary (unprivileged) process throws N random system calls and
// messages at the kernel and the servers, then checks that the system is still whole
// (issue 14). init runs it as prog=fuzz arg=SEED:N (make fuzz).
//
// The calls are made by children, CHUNK calls each, so that a call that blocks for
// good (a read of an empty pipe, a receive nobody answers) or kills its caller (a
// thread started at a random pc) ends only that child: a timer child kills a fuzzing
// child that has not finished within LIMIT ticks. The children's fds 0-2 point at an
// unlinked file, so random writes fill no console. Afterwards: no server died, a file
// written reads back, ps and the shell run, fork works, and the memory server's free
// frames and the kernel's free pages are back to their counts before the fuzzing.
// Only then the verdict "fuzz SEED: ok".
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"
#include "user/tests/testlib.h"
#include "servers/console/cons.h"
#include "servers/disk/disk.h"
#include "servers/fs/fsproto.h"
#include "servers/mem/mem.h"
#include "servers/proc/proc.h"

#define CHUNK 200        // calls per fuzzing child
#define LIMIT 20         // ticks a fuzzing child may take
#define NSYS 40          // system call numbers tried: every one and a few past the end

static uint64 rng;
static int parent_pid;
static char buf[3 * 4096] __attribute__((aligned(4096)));
static uint64 eps[4];    // endpoints this child made
static uint64 tokens[4]; // reply tokens it was given

static uint64 rnd(void) {           // xorshift64*
  rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
  return rng * 2685821657736338717ULL;
}
static uint64 below(uint64 n) { return rnd() % n; }

// Pointers worth trying: good ones, ones that cross into a bad page, and bad ones.
static uint64 some_pointer(void) {
  static const uint64 bad[] = {0, 1, 0x1000, 0x80000000UL, 0x80200000UL, 0x3fffffffffUL,
                               0x4000000000UL, ~0UL, ~0UL - 4095, 1UL << 63};
  switch (below(6)) {
  case 0: return bad[below(sizeof bad / sizeof bad[0])];
  case 1: return (uint64)buf + sizeof buf - below(64);            // runs off the end
  case 2: return (uint64)sbrk(0) + below(3) * 4096;               // above the break
  case 3: return (uint64)&some_pointer;                           // text: read-only
  default: return (uint64)buf + below(sizeof buf / 2);
  }
}

static uint64 some_handle(void) {
  static const uint64 known[] = {EP_PROC, EP_FS, EP_MEM, EP_CONSOLE, EP_DISK, EP_TEST0, EP_KTEST};
  switch (below(5)) {
  case 0: return known[below(sizeof known / sizeof known[0])];
  case 1: return eps[below(4)];
  case 2: return tokens[below(4)];
  case 3: return rnd();
  default: return below(70);                                      // pids, fds, small handles
  }
}

static uint64 some_word(void) {
  switch (below(8)) {
  case 0: return 0;
  case 1: return below(16);
  case 2: return ~0UL - below(4);
  case 3: return some_pointer();
  case 4: return some_handle();
  case 5: return 1UL << below(64);
  case 6: return (uint64)(int64)(int)rnd();
  default: return rnd();
  }
}

static uint64 some_len(void) {
  static const uint64 lens[] = {0, 1, 7, 64, 511, 512, 4096, 4097, sizeof buf, 1 << 20, ~0UL};
  return below(3) ? below(600) : lens[below(sizeof lens / sizeof lens[0])];
}

// The buffer's text: a path the file server may know, or random letters. Never
// uppercase, so that nothing written can look like a test's FAIL line.
static void fill(void) {
  // Not the names of the system's files: any process may unlink /console (as on xv6),
  // and then init's open console is an orphan that fsck reports after QEMU is killed.
  static const char *paths[] = {"f0", "f1", "d0", "d0/f1", "d0/d1", ".", "..", "/", "", "/fz",
                                "d0/../f0", "d0/d1/../../f1", "f0/x"};
  if (below(2)) {
    strcpy(buf, paths[below(sizeof paths / sizeof paths[0])]);
    return;
  }
  uint64 n = below(300);
  for (uint64 i = 0; i < n; i++)
    buf[i] = "abcdefghijklmnopqrstuvwxyz0123456789/.\n"[below(39)];
  buf[n] = below(4) ? 0 : 'x';                                     // sometimes unterminated
}

// A message to a server: a label of its protocol (or not), random words, a buffer.
static void message(void) {
  // The drivers too: they must refuse an ordinary process (only the file server may
  // read and write the disk or take console input).
  static const uint64 eps_[] = {EP_PROC, EP_FS, EP_MEM, EP_CONSOLE, EP_DISK};
  static const int maxlabel[] = {PROC_PS, FS_EXIT, MEM_DMA, CONS_LISTEN, DISK_STAT};
  int s = below(5);
  uint64 label = below(8) ? 1 + below(maxlabel[s]) : below(1 << 12);
  struct msg m = {TAG(label, below(4), some_len() & 0xffff), {some_word(), some_word(), some_word(), some_word()}};
  if (s == 0 && label == PROC_KILL && (m.w[0] == (uint64)parent_pid || m.w[0] == 1))
    m.w[0] = 0;                                                    // not the fuzzer itself, nor init
  if (s == 0 && label == PROC_EXIT && below(20))
    label = PROC_GETPID;                                           // mostly go on: the chunk's other calls
  if (s == 0 && label == PROC_SLEEP && below(20))
    m.w[0] = below(3);
  uint64 len = TAG_LEN(m.tag);
  if (s == 3 && label == CONS_WRITE)
    len &= 7;                                                      // anyone may print: a few bytes
  m.tag = TAG(label, TAG_RIGHTS(m.tag), len);
  fill();
  uint64 b = below(4) ? (uint64)buf : some_pointer();
  if (ipc_call(eps_[s], &m, (void *)b) == 0 && s == 0 && label == PROC_FORK && getpid() != parent_pid &&
      m.w[0] == 0)
    exit(0);                                                       // a random fork's child, somehow alive
}

static void raw_syscall(void) {
  uint64 n = below(NSYS), a[7];
  for (int i = 0; i < 7; i++)
    a[i] = some_word();
  fill();
  switch (n) {
  case SYS_exit:
  case SYS_thread_exit:
    return;                                      // the chunk would end early: nothing to learn
  case SYS_thread_create:
  case SYS_thread_start:
    if (below(20))                               // a thread at a random pc kills the whole child
      return;
    break;
  case SYS_recv:
  case SYS_reply_recv:
    if (eps[0])
      alarm_ns(eps[0], 1, 1000000);              // a receive on our own endpoint ends soon
    break;
  case SYS_debug_dump:
    if (below(50))                               // every task's state: a page of console text
      return;
    break;
  case SYS_debug_write:
    a[1] &= 7;                                   // a few bytes: the console is not the place for more
    break;
  }
  int64 r = syscall7(n, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
  if (n == SYS_ep_create && r > 0)
    eps[below(4)] = r;
  if ((n == SYS_recv || n == SYS_reply_recv) && r > 0)
    tokens[below(4)] = r;
}

static void fuzz_chunk(void) {
  int fd = open("junk", O_CREATE | O_RDWR);      // fds 0-2: a file nobody can see
  unlink("junk");
  close(0), close(1), close(2);
  dup(fd), dup(fd), dup(fd);
  close(fd);
  eps[0] = ep_create();
  for (int i = 0; i < CHUNK; i++)
    below(2) ? message() : raw_syscall();
  exit(0);
}

// How a chunk ended.
enum { DONE, DIED, BLOCKED, NOFORK };

// One chunk in a child, bounded by a timer child.
static int chunk(uint64 seed) {
  int fz = fork();
  if (fz == 0) {
    rng = seed;
    fuzz_chunk();
  }
  if (fz < 0)
    return NOFORK;
  int timer = fork();
  if (timer == 0) {
    sleep(LIMIT);
    exit(0);
  }
  if (timer < 0) {                               // no timer: no chunk without one
    kill(fz);
    wait(0);
    return NOFORK;
  }
  int status = -1, w = wait(&status);
  kill(w == fz ? timer : fz);
  wait(0);
  return w != fz ? BLOCKED : status == 0 ? DONE : DIED;
}

static uint64 free_frames(void) {
  struct msg m = {.tag = TAG(MEM_STAT, 0, 0)};
  return ipc_call(EP_MEM, &m, 0) < 0 ? 0 : m.w[0];
}

// Run prog with stdin from in and stdout and stderr to out (-1: ours); its exit status or -1.
static int run(char *prog, int in, int out) {
  int pid = fork();
  if (pid == 0) {
    if (in >= 0) {
      close(0);
      dup(in);
    }
    if (out >= 0) {
      close(1), close(2);
      dup(out), dup(out);
    }
    char *argv[] = {prog, 0};
    exec(prog, argv);
    exit(99);
  }
  int status = -1;
  return pid > 0 && wait(&status) == pid ? status : -1;
}

static void health(void) {
  static char back[3000];
  chdir("/");
  static const char *servers[] = {"proc", "mem", "fs", "console", "disk"};
  struct stat st;
  if (stat("/fz", &st) == 0 && st.type != T_DIR)
    unlink("/fz");                               // a child removed it while empty, another made a file of it
  mkdir("/fz");                                  // a child may have removed it while empty
  for (int i = 0; i < 5; i++)
    CHECK(task_find(servers[i]) > 0, "the %s server is gone", servers[i]);
  for (uint64 i = 0; i < sizeof back; i++)
    buf[i] = 'a' + i % 23;
  int fd = open("/fz/health", O_CREATE | O_RDWR | O_TRUNC);
  CHECK(fd >= 0 && write(fd, buf, sizeof back) == sizeof back, "cannot write a file");
  close(fd);
  fd = open("/fz/health", O_RDONLY);
  CHECK(fd >= 0 && read(fd, back, sizeof back) == sizeof back && memcmp(back, buf, sizeof back) == 0,
        "the file does not read back");
  close(fd);
  CHECK(run("ps", -1, -1) == 0, "ps does not run");
  fd = open("/fz/script", O_CREATE | O_RDWR | O_TRUNC);
  write(fd, "echo shell-ran > /fz/shout\n", 27);
  close(fd);
  fd = open("/fz/script", O_RDONLY);
  int out = open("/fz/shlog", O_CREATE | O_WRONLY | O_TRUNC);     // its prompts
  run("sh", fd, out);
  close(fd);
  close(out);
  fd = open("/fz/shout", O_RDONLY);
  int n = fd < 0 ? -1 : read(fd, back, sizeof back);
  CHECK(n == 10 && memcmp(back, "shell-ran\n", 10) == 0, "the shell did not run a script");
  close(fd);
}

int main(int argc, char *argv[]) {
  uint64 seed = 1, calls = 10000;
  char *p = argc > 1 ? argv[1] : "1:10000";
  for (seed = 0; *p >= '0' && *p <= '9'; p++)
    seed = seed * 10 + (*p - '0');
  if (*p == ':')
    for (calls = 0, p++; *p >= '0' && *p <= '9'; p++)
      calls = calls * 10 + (*p - '0');
  parent_pid = getpid();
  mkdir("/fz");
  chdir("/fz");
  uint64 chunks = (calls + CHUNK - 1) / CHUNK, ended[4] = {0};
  chunk(seed * 7919 + 1);                          // warm up: the servers' tables touched once
  sleep(5);
  uint64 f0 = free_frames(), k0 = kstat(STAT_FREEPAGES);
  for (uint64 c = 0; c < chunks; c++) {
    ended[chunk(seed * 1000003 + c + 2)]++;
    if (c % 100 == 99)
      printf("fuzz: %d of %d calls\n", (int)((c + 1) * CHUNK), (int)(chunks * CHUNK));
  }
  sleep(10);                                       // orphans of random forks are reaped by init
  uint64 f1 = free_frames(), k1 = kstat(STAT_FREEPAGES);
  printf("fuzz: seed %d, %d calls in %d children: %d ran to the end, %d died (killed, or exited "
         "by a random message), %d blocked until the timer, %d could not be made\n", (int)seed,
         (int)(chunks * CHUNK), (int)chunks, (int)ended[DONE], (int)ended[DIED], (int)ended[BLOCKED],
         (int)ended[NOFORK]);
  CHECK(ended[NOFORK] == 0, "fork failed %d times", (int)ended[NOFORK]);
  CHECK(f1 == f0, "%d frames free after, %d before", (int)f1, (int)f0);
  CHECK(k1 == k0, "%d kernel pages free after, %d before", (int)k1, (int)k0);
  health();
  char name[32];
  strcpy(name, "fuzz ");
  char *q = name + 5;
  char digits[24];
  int nd = 0;
  do
    digits[nd++] = '0' + seed % 10;
  while ((seed /= 10) && nd < 20);
  while (nd)
    *q++ = digits[--nd];
  *q = 0;
  test_done(name, 0);
  return test_failures != 0;
}
