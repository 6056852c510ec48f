// The boot table: which embedded programs start at boot, with what privilege and
// priority, and which well-known endpoint each one answers. The kernel command line
// `run=GROUP` selects the entries whose groups list names GROUP ("*": always).
#pragma once

struct bootentry {
  const char *name;     // program in the boot image
  const char *groups;   // comma-separated groups
  int priv;             // may use the privileged mechanism
  int prio;             // main thread's priority
  int serve;            // well-known endpoint slot it answers (0: none)
  int fault;            // well-known endpoint slot its faults go to (0: none, faults kill)
  uint64 arg;           // its main thread's a0 (task_arg in user code)
  int hosted;           // at this stage the subsystem runs in the kernel (boot_hosted), not as a task
};

void boot_hosted(const char *name);   // start a kernel-hosted subsystem (boottab.c)

extern const struct bootentry boottab[];
extern const char BOOT_DEFAULT_GROUP[];
