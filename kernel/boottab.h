// The boot table: which embedded programs start at boot, with what rights and
// priority, and which well-known endpoint each one answers. The kernel command line
// `run=GROUP` selects the entries whose groups list names GROUP ("*": always).
#pragma once

struct bootentry {
  const char *name;     // program in the boot image
  const char *groups;   // comma-separated groups
  int rights;           // R_* (abi.h): the privileged calls it may make; 0: none
  int prio;             // main thread's priority
  int serve;            // well-known endpoint slot it answers (0: none)
  int fault;            // well-known endpoint slot its faults go to (0: none, faults kill)
  uint64 arg;           // its main thread's a0 (task_arg in user code)
  int hosted;           // at this stage the subsystem runs in the kernel (boot_hosted), not as a task
};

// The rights table: each server's rights, the same in every boot table. The pager maps
// frames into other tasks and makes and kills their tasks (address spaces, at the
// process server's request); the process server starts their threads and watches them
// die, and maps only the boot image into itself; each driver its device; the file
// server nothing; the supervisor watches the boot tasks and starts them again.
#define SRV_MEM     (R_MAP | R_TASK)
#define SRV_PROC    (R_MAPSELF | R_THREAD)
#define SRV_CONSOLE R_UART
#define SRV_DISK    R_VIRTIO
#define SRV_SUPER   R_RESPAWN

void boot_hosted(const char *name);   // start a kernel-hosted subsystem (boottab.c)

extern const struct bootentry boottab[];
extern const char BOOT_DEFAULT_GROUP[];
