// The boot table (see boottab.h): the system's own programs. `make qemu` runs group
// "demo"; test images add the test groups of testtab.c.
#include "kernel.h"
#include "boottab.h"

const char BOOT_DEFAULT_GROUP[] = "demo";

const struct bootentry boottab[] = {
  // name       groups  rights (least privilege)  prio serve fault arg
  // the servers, or at early stages the same subsystems hosted in the kernel;
  // proc starts init, which runs the shell (or prog=)
  {"mem",       "demo",   SRV_MEM,                6,  7,    0,    0, KHOST_mem},
  {"proc",      "demo",   SRV_PROC,               5,  5,    0,    0, KHOST_proc},
  {"console",   "demo",   SRV_CONSOLE,            6,  8,    0,    0, KHOST_console},
  {"disk",      "demo",   SRV_DISK,               6,  9,    0,    0, KHOST_disk},
  {"fs",        "demo",   0,                      5,  6,    0,    0, KHOST_fs},
  {"super",     "demo",   SRV_SUPER,              7,  0,    0,    0},
  {0},
};


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
