// The boot table (see boottab.h). `make qemu` runs group "demo"; test builds
// (MV6_TEST) add the groups the tests in grade/suites/ select with run=GROUP.
#include "kernel.h"
#include "boottab.h"
#include "host.h"
#include "ksvc.h"

const char BOOT_DEFAULT_GROUP[] = "demo";

const struct bootentry boottab[] = {
  // name       groups                        priv prio serve fault arg
  {"pong",      "os,hello,pingpong,many,preempt,badinput,faults,bench,trace", 0, 4, 1, 0, 0},
  {"hello",     "hello",                       0,  4,  0,    0,    0},
  // the servers, or at early stages the same subsystems hosted in the kernel;
  // proc starts init, which runs prog= (default: hello)
  {"mem",       "demo,os,osecho,dma,fs,fskill,sk", 1,  6,  7,    0,    0, KHOST_mem},
  {"proc",      "demo,os,osecho,fs,fskill,sk",    1,  5,  5,    0,    0, KHOST_proc},
  {"console",   "demo,fs,fskill,sk",              1,  6,  8,    0,    0, KHOST_console},
  {"disk",      "demo,fs,fskill,sk",              1,  6,  9,    0,    0, KHOST_disk},
  {"fs",        "demo,fs,fskill,sk",              0,  5,  6,    0,    0, KHOST_fs},
#ifdef MV6_TEST
  {"pingpong",  "pingpong",                    1,  4,  0,    0,    0},
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
  {"collect",   "many",                        1,  4,  2,    0,    10},
  {"echosrv",   "bulk,osecho",                 0,  4,  1,    0,    EP_TEST0},
  {"bulk",      "bulk",                        1,  4,  0,    0,    EP_TEST0},
  {"bulk",      "kbulk",                       1,  4,  0,    0,    EP_KTEST},
  {"notify",    "notify",                      1,  4,  0,    0,    0},
  {"kwait",     "kstop",                       0,  4,  0,    0,    0},
  {"stopper",   "kstop",                       1,  4,  0,    0,    0},
  {"slowsrv",   "outstanding",                 0,  4,  2,    0,    0},
  {"midsrv",    "outstanding",                 0,  4,  1,    0,    0},
  {"outcli",    "outstanding",                 1,  4,  0,    0,    0},
  {"spinner",   "preempt",                     0,  4,  0,    0,    0},
  {"preempt",   "preempt",                     1,  5,  0,    0,    0},
  {"badinput",  "badinput",                    0,  4,  0,    0,    0},
  {"faulter",   "faults",                      0,  4,  0,    0,    0},
  {"faulter",   "faults",                      0,  4,  0,    0,    1},
  {"faulter",   "faults",                      0,  4,  0,    0,    2},
  {"faulter",   "faults",                      0,  4,  0,    0,    3},
  {"survivor",  "faults",                      1,  4,  0,    0,    0},
  {"tpager",    "pager",                       1,  4,  2,    0,    0},
  {"lazy",      "pager",                       0,  4,  0,    2,    0},
  {"ipcbench",  "bench",                       1,  4,  0,    0,    0},
  {"slowsrv",   "deadserver",                  0,  4,  2,    0,    0},
  {"deadcli",   "deadserver",                  1,  4,  0,    0,    0},
  {"tracer",    "trace",                       1,  4,  0,    0,    0},
  {"dmatest",   "dma",                         1,  4,  0,    0,    0},
  {"fskiller",  "fskill",                      1,  4,  0,    0,    0},
  // the move labs' structure test: stop the server named by kill=
  {"srvkill",   "sk",                          1,  4,  0,    0,    0},
  // lab 01 (labs/01-ipc/): one server, a client per case
  {"ipcsrv",    "ipc0,ipc1,ipc2,ipc3,ipc4,ipc5", 0, 4, 2,    0,    0},
  {"ipclab",    "ipc0",                        1,  4,  0,    0,    0},
  {"ipclab",    "ipc1",                        1,  4,  0,    0,    1},
  {"ipclab",    "ipc2",                        1,  4,  0,    0,    2},
  {"ipclab",    "ipc3",                        1,  4,  0,    0,    3},
  {"ipclab",    "ipc4",                        1,  4,  0,    0,    4},
  {"ipclab",    "ipc5",                        1,  4,  0,    0,    5},
#endif
  {0},
};


#ifdef MV6_TEST
void echo_handle(struct svc_req *r);
static void echo_in_kernel(struct kreq *k) { ksvc_run(k, echo_handle); }
#endif

void kmem_start(void);
void kproc_start(void);
void kfs_start(void);
void kconsole_start(void);
void kdisk_start(void);

// A subsystem of the boot table that runs in the kernel at this stage.
void boot_hosted(const char *name) {
#if KHOST_mem
  if (strncmp(name, "mem", 4) == 0)
    kmem_start();
#endif
#if KHOST_proc
  if (strncmp(name, "proc", 5) == 0)
    kproc_start();
#endif
#if KHOST_console
  if (strncmp(name, "console", 8) == 0)
    kconsole_start();
#endif
#if KHOST_disk
  if (strncmp(name, "disk", 5) == 0)
    kdisk_start();
#endif
#if KHOST_fs
  if (strncmp(name, "fs", 3) == 0)
    kfs_start();
#endif
}

// Test subsystems hosted in the kernel in every boot group of test images.
void boot_subsystems(void) {
#ifdef MV6_TEST
  char buf[16];
  if (bootarg("selftest", buf, sizeof buf, 0) && strncmp(buf, "panic", 6) == 0)
    panic("selftest: %s", buf);     // proves the symbolic backtrace (grade/suites/kernel.py)
  host_serve(EP_KTEST, echo_in_kernel);
#endif
}
