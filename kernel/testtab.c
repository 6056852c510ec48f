// The test image's boot groups (linked into kernel-test only, after the boot table):
// test programs selected with run=GROUP by the tests in grade/suites/ and labs/, and
// a test subsystem hosted in the kernel on EP_KTEST.
#include "kernel.h"
#include "boottab.h"
#include "khost.h"
#include "servers/echosrv/echo.h"

const struct bootentry testtab[] = {
  // name       groups                        rights prio serve fault arg (test programs: R_ALL)
  // the servers (or the kernel's subsystems), for the test groups that use them
  {"mem",       "os,osecho,dma,fs,fskill,fsd,sk,skm,mp,rs", SRV_MEM, 6, 7, 0, 0, KHOST_mem},
  {"proc",      "os,osecho,fs,fskill,fsd,sk,rs", SRV_PROC, 5, 5, 0,    0, KHOST_proc},
  {"console",   "fs,fskill,fsd,sk,rs",         SRV_CONSOLE, 6, 8, 0,   0, KHOST_console},
  {"disk",      "fs,fskill,fsd,sk,rs",         SRV_DISK, 6, 9,   0,    0, KHOST_disk},
  {"fs",        "fs,fskill,fsd,sk,rs",         0,  5,  6,    0,    0, KHOST_fs},
  {"super",     "rs",                          SRV_SUPER, 7, 0,  0,    0},
  {"pong",      "os,hello,pingpong,many,preempt,badinput,faults,bench,trace,rtask,rmap,rrespawn,rrespawned", 0, 4, 1, 0, 0},
  {"hello",     "hello",                       0,  4,  0,    0,    0},
  {"pingpong",  "pingpong",                    R_ALL,  4,  0,    0,    0},
  {"manycli",   "many",                        0,  4,  0,    0,    0},
  {"manycli",   "many",                        0,  4,  0,    0,    1},
  {"manycli",   "many",                        0,  4,  0,    0,    2},
  {"manycli",   "many",                        0,  4,  0,    0,    3},
  {"manycli",   "many",                        0,  4,  0,    0,    4},
  {"manycli",   "many",                        0,  4,  0,    0,    5},
  {"manycli",   "many",                        0,  4,  0,    0,    6},
  {"manycli",   "many",                        0,  4,  0,    0,    7},
  {"manycli",   "many",                        0,  4,  0,    0,    8},
  {"manycli",   "many",                        0,  4,  0,    0,    9},
  {"collect",   "many",                        R_ALL,  4,  2,    0,    10},
  {"echosrv",   "bulk,osecho",                 0,  4,  1,    0,    EP_TEST0},
  {"bulk",      "bulk",                        R_ALL,  4,  0,    0,    EP_TEST0},
  {"bulk",      "kbulk",                       R_ALL,  4,  0,    0,    EP_KTEST},
  {"notify",    "notify",                      R_ALL,  4,  0,    0,    0},
  {"kwait",     "kstop",                       0,  4,  0,    0,    0},
  {"stopper",   "kstop",                       R_ALL,  4,  0,    0,    0},
  {"slowsrv",   "outstanding",                 0,  4,  2,    0,    0},
  {"midsrv",    "outstanding",                 0,  4,  1,    0,    0},
  {"outcli",    "outstanding",                 R_ALL,  4,  0,    0,    0},
  {"spinner",   "preempt",                     0,  4,  0,    0,    0},
  {"preempt",   "preempt",                     R_ALL,  5,  0,    0,    0},
  {"badinput",  "badinput",                    0,  4,  0,    0,    0},
  {"faulter",   "faults",                      0,  4,  0,    0,    0},
  {"faulter",   "faults",                      0,  4,  0,    0,    1},
  {"faulter",   "faults",                      0,  4,  0,    0,    2},
  {"faulter",   "faults",                      0,  4,  0,    0,    3},
  {"survivor",  "faults",                      R_ALL,  4,  0,    0,    0},
  {"tpager",    "pager",                       R_ALL,  4,  2,    0,    0},
  {"lazy",      "pager",                       0,  4,  0,    2,    0},
  {"ipcbench",  "bench",                       R_ALL,  4,  0,    0,    0},
  {"slowsrv",   "deadserver",                  0,  4,  2,    0,    0},
  {"deadcli",   "deadserver",                  R_ALL,  4,  0,    0,    0},
  {"tracer",    "trace",                       R_ALL,  4,  0,    0,    0},
  {"profhot",   "profhot",                     R_ALL,  4,  0,    0,    0},
  {"dmatest",   "dma",                         R_ALL,  4,  0,    0,    0},
  {"fskiller",  "fskill",                      R_ALL,  4,  0,    0,    0},
  {"rskiller",  "rs",                          R_ALL,  4,  0,    0,    0},   // kills servers for the supervisor
  // the rights table: each group's task lacks the one right its case needs
  {"rights",    "rtask",                       R_THREAD | R_POWER,  4, 0, 0, 0},
  {"rights",    "rmap",                        R_MAPSELF | R_POWER, 4, 0, 0, 1},
  {"rights",    "rthread",                     R_TASK | R_POWER,    4, 0, 0, 2},
  {"rights",    "ruart",                       R_VIRTIO | R_POWER,  4, 0, 0, 3},
  {"rights",    "rvirtio",                     R_UART | R_POWER,    4, 0, 0, 4},
  {"rights",    "rrespawn",                    R_THREAD | R_POWER,  4, 0, 0, 5},
  {"rights",    "rrespawned",                  R_RESPAWN | R_TASK | R_POWER, 4, 0, 0, 6},
  // lab 03 (labs/03-fs/): the disk driver killed under the file server
  {"fsdisk",    "fsd",                         R_ALL,  4,  0,    0,    0},
  // the move labs' structure test: stop the server named by kill=
  {"srvkill",   "sk,skm",                      R_ALL,  4,  0,    0,    0},   // skm: the memory server alone
  // lab 04 (labs/04-mem/): memproc stands in for the process server (it owns EP_PROC)
  {"memproc",   "mp",                          R_ALL,  5,  5,    0,    0},
  // lab 01 (labs/01-ipc/): one server, a client case per group
  {"ipcsrv",    "ipcping,ipcbulk,ipcnotify,ipcdefer,ipcdead,ipcrights,ipctrace,ipcspeed,ipcqueue,ipcfast",
                                               0,  4,  2,    0,    0},
  {"ipcsrv",    "ipcfault",                    R_ALL,  4,  2,    0,    0},   // also the client's pager
  {"ipclab",    "ipcping",                     R_ALL,  4,  0,    0,    0},
  {"ipclab",    "ipcbulk",                     R_ALL,  4,  0,    0,    1},
  {"ipclab",    "ipcnotify",                   R_ALL,  4,  0,    0,    2},
  {"ipclab",    "ipcdefer",                    R_ALL,  4,  0,    0,    3},
  {"ipclab",    "ipcdead",                     R_ALL,  4,  0,    0,    4},
  {"ipclab",    "ipcrights",                   R_ALL,  4,  0,    0,    5},
  {"ipclab",    "ipcrights",                   0,  4,  0,    0,    6},   // the thief
  {"ipclab",    "ipctrace",                    R_ALL,  4,  0,    0,    7},
  {"ipclab",    "ipcspeed",                    R_ALL,  4,  0,    0,    8},
  {"ipclab",    "ipcfault",                    R_ALL,  4,  0,    2,    9},
  {"ipcorder",  "ipcqueue",                    R_ALL,  4,  0,    0,    0},
  {"ipcorder",  "ipcfast",                     R_ALL,  4,  0,    0,    1},
  // lab 02 (labs/02-proc/): the server loop, through a fixture server on it and its
  // judge; loopcli's arg is case | workers << 8 (loop.h), loopsrv's the workers
  {"loopsrv",   "loopw",                       0,  4,  1,    0,    3},
  {"loopcli",   "loopw",                       R_ALL,  4,  0,    0,    0x301},
  {"loopsrv",   "loopw5",                      0,  4,  1,    0,    5},
  {"loopcli",   "loopw5",                      R_ALL,  4,  0,    0,    0x501},
  {"loopsrv",   "loops",                       0,  4,  1,    0,    4},
  {"loopcli",   "loops",                       R_ALL,  4,  0,    0,    0x402},
  {"loopsrv",   "loopd,loopn",                 0,  4,  1,    0,    2},
  {"loopcli",   "loopd",                       R_ALL,  4,  0,    0,    0x203},
  {"loophold",  "loopd",                       0,  4,  0,    0,    0},
  {"loopcli",   "loopn",                       R_ALL,  4,  0,    0,    0x204},
  {0},
};

// The in-kernel test subsystem on EP_KTEST: the echo protocol (servers/echosrv/echo.h)
// the kernel's way, as the echo server does it the server's way: the caller's buffer
// through kcopyin and kcopyout, the delay by sleeping (a stopped caller unwinds).
static struct ksub echo;

// Copy the buffer in pieces; XFORM transforms each byte, FILL writes w0, SUM only
// reads. rw0 = bytes, rw1 = the sum of what was read.
static void kecho_pieces(struct kreq *r, int read, int write) {
  unsigned char buf[ECHO_CHUNK];
  uint64 sum = 0;
  for (uint64 off = 0; off < r->buflen; off += ECHO_CHUNK) {
    uint64 n = r->buflen - off < ECHO_CHUNK ? r->buflen - off : ECHO_CHUNK;
    int64 e = read ? kcopyin(r, off, buf, n) : 0;
    for (uint64 i = 0; i < n; i++) {
      sum += read ? buf[i] : 0;
      buf[i] = read ? echo_xform(buf[i], off + i) : (unsigned char)r->w[0];
    }
    if (e >= 0 && write)
      e = kcopyout(r, off, buf, n);
    if (e < 0) {
      r->rlabel = e;
      return;
    }
  }
  r->rw[0] = r->buflen;
  r->rw[1] = sum;
}

static void kecho_handle(struct kreq *r) {
  uint64 until = know_ns() + r->w[0];
  r->rlabel = 0;
  switch (r->label) {
  case ECHO_XFORM:
    while (know_ns() < until)
      if (ksleep(&echo, &until, until) < 0) {
        r->rlabel = E_INTR;            // the caller is being stopped: it gets no reply
        return;
      }
    kecho_pieces(r, 1, 1);
    return;
  case ECHO_FILL: kecho_pieces(r, 0, 1); return;
  case ECHO_SUM: kecho_pieces(r, 1, 0); return;
  case ECHO_WHO: r->rw[0] = r->badge; return;
  }
  r->rlabel = E_INVAL;
}

static struct ksub echo = {.name = "echo", .ep = EP_KTEST, .handle = kecho_handle};

void boot_tests(void) {
  char buf[16];
  if (bootarg("selftest", buf, sizeof buf, 0) && strncmp(buf, "panic", 6) == 0)
    panic("selftest: %s", buf);     // proves the symbolic backtrace (grade/suites/kernel.py)
  ksub_start(&echo);
}
