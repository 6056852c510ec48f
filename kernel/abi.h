// The kernel's whole system-call surface, shared by the kernel and user code.
//
// Registers at `ecall`:  a7 = system call number, a0..a6 = arguments.
// IPC messages travel in registers:  a0 = endpoint handle (or reply token),
// a1 = tag, a2..a5 = four message words, a6 = offered buffer (call) or reply
// token (reply_recv).  A received message comes back as:
//   a0 = reply token (> 0 if the sender waits for a reply, 0 if not) or error (< 0),
//   a1 = tag, a2..a5 = words, a6 = badge (the sender task's identity, set by the kernel).
// A system call may change t1..t6 (the kernel does not save them on ecall); every
// other register except a0..a6 keeps its value. After a call's reply, a6 holds
// nothing of use (the fast path leaves the call's token there).
#pragma once

// ---- system call numbers ----
// IPC (any task)
#define SYS_send        1   // (ep, tag, w0..w3)            -> 0 | err
#define SYS_recv        2   // (ep)                         -> message
#define SYS_call        3   // (ep, tag, w0..w3, buf)       -> reply message
#define SYS_reply       4   // (token, tag, w0..w3)         -> 0 | err
#define SYS_reply_recv  5   // (ep, tag, w0..w3, token)     -> next message
#define SYS_notify      6   // (ep, bits)  own ep, or privileged -> 0 | err
#define SYS_copy_from   7   // (token, off, dst, len)  copy from caller's buffer -> bytes | err
#define SYS_copy_to     8   // (token, off, src, len)  copy into caller's buffer -> bytes | err
#define SYS_ep_create   9   // ()                           -> handle | err
#define SYS_ep_destroy  10  // (ep)                         -> 0 | err
#define SYS_alarm       11  // (ep, bits, ns)  notify ep with bits after ns of guest time
// threads and misc (any task, on itself)
#define SYS_thread_create 12 // (pc, sp, arg, prio)          -> thread id | err
#define SYS_thread_exit 13  // ()                           -> does not return
#define SYS_exit        14  // (status)  the whole task     -> does not return
#define SYS_yield       15  // ()
#define SYS_debug_write 16  // (buf, len <= 64 KiB) through SBI -> len | err
#define SYS_debug_dump  17  // ()  print every task and what it waits on
#define SYS_trace       18  // (on)  log each IPC message (privileged)
#define SYS_time        19  // ()                           -> guest time in ns
#define SYS_self        20  // ()                           -> own badge
#define SYS_bootinfo    21  // (dst, len)  copy struct bootinfo -> bytes | err
// privileged mechanism (tasks marked privileged in the boot table)
#define SYS_task_create 22  // (name, fault_ep)             -> task badge | err
#define SYS_task_kill   23  // (task)  its endpoints die, its threads stop -> 0 | err
#define SYS_map         24  // (task, va, pa, perm)         -> 0 | err
#define SYS_unmap       25  // (task, va)                   -> 0 | err
#define SYS_thread_start 26 // (task, pc, sp, arg, prio)    -> thread id | err
#define SYS_thread_stop 27  // (thread id)  the thread exits -> 0 | err
#define SYS_irq_route   28  // (irq, ep, bits)              -> 0 | err
#define SYS_irq_ack     29  // (irq)                        -> 0 | err
#define SYS_mmio_map    30  // (va, pa, len)  device registers into own space -> 0 | err
#define SYS_task_find   31  // (name)  any task may ask     -> task badge | err
#define SYS_poweroff    32  // (code)
#define SYS_stat        33  // (what)  kernel counters (see STAT_*) -> value
#define SYS_task_watch  34  // (task, ep, bits)  notify ep when task dies (privileged) -> 0 | err
#define SYS_task_alive  35  // (task)  any task may ask     -> 0 | E_DEAD | E_BADHANDLE
#define SYS_ep_owner    36  // (ep)  the owner's badge (0: answered in the kernel) -> badge | err
#define SYS_fault_in    37  // (va, write)  have own pager make the page present -> 0 | E_INVAL
#define SYS_respawn     38  // (name)  start a dead boot task again from its image (the supervisor) -> badge | err
#define NSYSCALL        39

#define DEBUG_WRITE_MAX 65536
// The first byte of every line the kernel prints for itself ("\x01[kernel] ..."). No
// user task can print it: debug_write and the console driver print '?' instead, so
// the grader knows the kernel's own lines (grade/testlib.py, console_line).
#define KLINE_MARK 0x01

// ---- errors: every system call returns one of these (< 0) on failure ----
#define E_BADSYS     -1   // unknown system call number
#define E_BADHANDLE  -2   // not an endpoint/task/token the kernel ever issued
#define E_DEAD       -3   // stale handle: the endpoint's or task's owner is gone
#define E_BADADDR    -4   // address outside the user space, or not allowed (kernel, read-only)
#define E_NOTPRESENT -5   // the page is not present yet: fault it in (touch it) and retry
#define E_RANGE      -6   // length or offset out of bounds
#define E_PERM       -7   // not privileged, or not the endpoint's owner
#define E_NOMEM      -8   // out of kernel objects or kernel memory
#define E_INVAL      -9   // bad argument
#define E_NOREPLY    -10  // reply token unknown, already used, or not for this task
#define E_INTR       -11  // interrupted: the calling thread is being stopped
#define E_BUSY       -12  // not now: the object is still in use (try again later)

// ---- message tag: label (16 bits) | buffer rights (2 bits) | buffer length (32 bits) ----
#define TAG(label, rights, len)  ((uint64)(label) & 0xffff) | ((uint64)(rights) << 16) | ((uint64)(len) << 32)
#define TAG_LABEL(t)   ((t) & 0xffff)
#define TAG_RIGHTS(t)  (((t) >> 16) & 3)
#define TAG_LEN(t)     ((t) >> 32)
#define BUF_R  1        // the server may read the caller's buffer
#define BUF_W  2        // the server may write the caller's buffer
#define L_NOTIFY  0xffff // label of a notification: words[0] = the pending bits
#define L_FAULT   0xfffe // a fault call made for a faulting thread: words = stval, scause, pc;
                         // reply label 0 resumes the thread, FAULT_MAP maps then resumes,
                         // any other label kills its task
#define FAULT_MAP 2      // reply to L_FAULT: w0 = va, w1 = pa, w2 = MAP_* mapped in the faulting
                         // task as SYS_map would for the replier, then resume (a system call
                         // fewer for a pager); a mapping refused kills the task

// ---- handles: slot | generation << 16; well-known endpoints are created at boot ----
#define HANDLE(slot, gen) ((uint64)(slot) | ((uint64)(gen) << 16))
#define WK(n)        HANDLE(n, 1)   // generation 1 for good: a restarted server answers it again
#define EP_TEST0     WK(1)   // test servers (boot-table entries name them)
#define EP_TEST1     WK(2)
#define EP_TEST2     WK(3)
#define EP_KTEST     WK(4)   // in-kernel test subsystem (test builds)
#define EP_PROC      WK(5)   // process server
#define EP_FS        WK(6)   // file server
#define EP_MEM       WK(7)   // memory server
#define EP_CONSOLE   WK(8)   // console driver
#define EP_DISK      WK(9)   // disk driver
#define EP_NETDRV    WK(10)  // network device driver
#define EP_NET       WK(11)  // network server
#define NWK          12      // slots 1..NWK-1 are well-known

// ---- the user address space ----
#define MAXUVA      0x80000000UL   // user addresses are below this
#define USTACK_TOP  0x7ffff000UL   // stacks grow down from here; the page above is never mapped

// A new thread of a boot task or an exec'd program starts with a0 pointing to this
// (at the top of its stack).
#ifndef __ASSEMBLER__
struct start_info {
  unsigned long argc;
  char **argv;
  unsigned long arg;               // the boot table's argument (0 for programs)
};
#endif

// ---- rights: what each boot task may do (its boot table row; kernel/boottab.c) ----
// Each privileged call needs its own right; a task holding none is unprivileged.
#define R_MAP     (1 << 0)   // map and unmap frames in any task (the pager)
#define R_MAPSELF (1 << 1)   // map frames into itself, read-only (the boot image)
#define R_TASK    (1 << 2)   // task_create, task_kill (the pager makes address spaces)
#define R_THREAD  (1 << 3)   // thread_start, thread_stop, task_watch (the process server)
#define R_UART    (1 << 4)   // the UART's registers and interrupt (the console driver)
#define R_VIRTIO  (1 << 5)   // the virtio-mmio slots and interrupts but the NIC's (the disk driver)
#define R_POWER   (1 << 6)   // poweroff
#define R_RESPAWN (1 << 7)   // watch boot tasks die, start them again (the supervisor)
#define R_NET     (1 << 8)   // the virtio network device's slot and interrupt (the network driver)
#define R_ALL     0x1ff      // the test programs of the test image

// ---- map permissions (SYS_map) ----
#define MAP_R    (1 << 1)
#define MAP_W    (1 << 2)
#define MAP_X    (1 << 3)
#define MAP_COW  (1 << 8)    // read-only but copy-on-write: a bulk copy into it gets E_NOTPRESENT

// ---- SYS_stat counters ----
#define STAT_FASTPATH   1   // call/reply_recv that switched directly
#define STAT_SLOWPATH   2   // call/reply_recv that took the general path
#define STAT_FREEPAGES  3   // kernel pool pages free
#define STAT_NCPU       4   // harts running
#define STAT_IDLE       5   // instret counted while harts idled in wfi (all harts)
#define STAT_IPI        6   // inter-hart interrupts sent (wake-ups, preemptions, the lock)

// ---- boot information, readable with SYS_bootinfo ----
#ifndef __ASSEMBLER__
struct bootinfo {
  uint64 mem_start, mem_end;   // physical memory free for user tasks (given to the pager)
  uint64 ncpu;
  uint64 timebase;             // timer ticks per second
  uint64 bootimg_pa, bootimg_len; // the boot image (programs), mappable read-only by privileged tasks
  char   bootargs[128];        // kernel command line
};

// The boot image starts with this table, ended by an entry with name 0. Addresses
// are physical (the boot image's own, as the kernel sees it).
struct bootimg_entry {
  uint64 name, start, end;
};
#endif
