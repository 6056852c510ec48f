// Sizes of the kernel's fixed tables and of its memory regions.
#pragma once

#define NCPU        8           // most harts the kernel drives
#define NTASK       128         // tasks (address spaces); also the ASID range
#define NTHREAD     256         // threads over all tasks
#define NEP         256         // endpoints, including the well-known ones
#define TASK_NTHREAD 32         // threads one task may hold, and endpoints it may create:
#define TASK_NEP    32          //   no task can take a whole table from the others
#define NPRIO       8           // scheduling priorities, 0 (lowest) .. 7
#define KSTACK_SIZE 8192        // each thread's kernel stack (trap frame at its top)
#define BOOTSTACK   4096        // each hart's stack for boot and idle
#define TICK_HZ     100         // scheduler tick
#define PROF_HZ     10000       // tick while profiling (prof.c)
#define KPOOL_SIZE  (16UL << 20) // kernel memory (page tables) after the kernel image
#define NIRQ        64          // PLIC sources the kernel can route
#define NBOOTRUN    24          // boot tasks (boot.c: each one's frames, for SYS_respawn)

// Names xv6's programs use (its param.h), with the values of the mv6 servers that own
// them, so that xv6's user programs compile unchanged. A file that sees both
// definitions gets an error if they ever differ (C allows only an identical one).
#define MAXARG      32          // exec's arguments (servers/proc/proc.h)
#define MAXPATH     128         // a path's bytes (servers/fs/fsproto.h)
#define MAXOPBLOCKS 15          // blocks one file request may log (servers/fs/file.c)
#define NINODE      64          // the file server's inode cache (servers/fs/inode.c)
