// khost.h: how a subsystem runs inside the kernel (the labs' starting points).
//
// A kernel-hosted subsystem (kernel/k<name>.c over its shared core in servers/<name>/)
// answers its well-known endpoint with a handler that runs on the caller's own kernel
// stack, with the subsystem's lock held: it runs one request at a time, by
// construction. It works the kernel's way:
//   - it waits by sleeping (ksleep), which lets go of its lock until it wakes up, as
//     xv6's sleep(chan, lk) does; a caller that is being stopped (killed) makes every
//     sleep return E_INTR, and the handler must undo what it started and return;
//   - it reaches the caller's memory with the kernel's checked copies of the buffer
//     the caller offered with its call (kcopyin, kcopyout);
//   - it reaches other kernel-hosted subsystems by calling their functions (below).
// Nothing here parks a request: a caller that must wait sleeps where it is.
// The kernel never calls or waits for a user-level server; it only posts
// notifications to servers (and makes fault calls for a faulting thread).
#pragma once
#include "types.h"
#include "abi.h"

struct thread;

// A call to a kernel-answered endpoint, on the caller's kernel stack.
struct kreq {
  struct thread *caller;      // the calling thread
  uint64 badge;               // its task's badge: what a server would see
  uint64 label, w[4];         // the message
  uint64 buflen;              // length of the buffer offered with the call (0: none)
  uint64 rlabel, rw[4];       // the reply: rlabel 0 or an error
};

// A kernel-hosted subsystem.
struct ksub {
  const char *name;
  uint64 ep;                          // the well-known endpoint it answers
  void (*init)(void);                 // run once, lock held, before the first request
  void (*handle)(struct kreq *r);     // a call to ep, lock held
  void (*notify)(uint64 bits);        // bits posted to ep, on a kernel thread, lock held
  // the host's own
  struct thread *holder;              // the thread inside the subsystem (its lock)
  struct ksub *outer;                 // the subsystem holder was in before (nested calls)
  int ready;                          // init has run
};

int ksub_start(struct ksub *s);       // answer s->ep from now on (init runs first)
int klock(struct ksub *s);            // 0, or E_INTR without the lock (the caller is being stopped)
void kunlock(struct ksub *s);
// klock for a direct call from another subsystem: first wait until s's init has run.
int kenter(struct ksub *s);
void kenter_hard(struct ksub *s);     // the same, not cut short by a stop
// Let go of s's lock, sleep until kwakeup(chan) or the deadline (ns of guest time,
// 0: none), take the lock back. 0, or E_INTR: the caller is being stopped (the lock is
// held again either way). ksleep_hard: a stop does not cut it short (a device transfer
// in progress must finish).
int ksleep(struct ksub *s, void *chan, uint64 deadline);
void ksleep_hard(struct ksub *s, void *chan);
void kwakeup(void *chan);
// The buffer the caller offered: bytes copied, or E_PERM (not offered that way),
// E_RANGE (outside it), E_NOTPRESENT or E_BADADDR (its pages).
int64 kcopyin(struct kreq *r, uint64 off, void *dst, uint64 len);
int64 kcopyout(struct kreq *r, uint64 off, const void *src, uint64 len);
// A kernel thread running fn(arg): it may sleep and call other subsystems.
int kthread(void (*fn)(uint64 arg), uint64 arg);
void knotify(uint64 ep, uint64 bits);   // post bits to any endpoint; never blocks
uint64 know_ns(void);                   // guest time
void *kdevice(uint64 pa);               // a device's registers, in the kernel's map
int kirq(int irq, void (*fn)(int irq)); // run fn in the kernel when irq fires
void kirq_done(int irq);                // fn has dealt with it: let the next one come

void *kalloc(void);                     // a zeroed page of the kernel pool, or 0
void kfree(void *page);
void kprintf(const char *fmt, ...);
void panic(const char *fmt, ...) __attribute__((noreturn));

// ---- what kernel-hosted subsystems offer each other (direct calls) ----
// Each is defined by the subsystem's kernel host and exists at the stages that host
// it (labs/*/stage.mk); the Makefile refuses a stage where a kernel-hosted subsystem
// would need one that is not hosted.

// kmem.c (stages 1-3): address spaces, for the kernel-hosted process subsystem.
int64 kmem_newas(const char *name);                      // an empty space: its task's badge
int kmem_region(uint64 task, uint64 va, uint64 len, int flags);   // MEM_R/W/X, MEM_HEAP, MEM_STACK
int kmem_write(uint64 task, uint64 va, const void *src, uint64 len);
int64 kmem_fork(uint64 parent, const char *name);        // a copy-on-write copy: its badge
void kmem_free(uint64 task);                             // kill the task, free its memory

// kfs.c (stages 1-2): files of processes, for the kernel-hosted process subsystem.
int kfs_fork(uint64 parent, uint64 child);               // child gets parent's fds and cwd
int kfs_exec(uint64 old, uint64 new);                    // new takes over old's fds and cwd
void kfs_exit(uint64 task);                              // close every fd of task
// n bytes at off of the file at path (looked up from task's working directory) into
// dst: bytes read, or an error (E_INVAL: no such file; E_DEAD: no file system here).
int64 kfs_read_file(uint64 task, const char *path, uint64 off, void *dst, uint64 n);

// kdisk.c (stages 1-2): the disk, for the kernel-hosted file system. 0 or an error.
int kdisk_read(uint blockno, void *dst);                 // BSIZE bytes
int kdisk_write(const uint *where, void *const *src, int n);   // n <= DISK_MAXV blocks at once

// kconsole.c (stages 1-2): the console, for the kernel-hosted file system.
// kconsole_read: the next line into dst without taking it (console.c's cons_read):
// bytes, or CONS_NONE: wait on kconsole_lines (woken by each new line) and try again.
extern int kconsole_lines;
int64 kconsole_read(char *dst, uint64 n, uint64 *take);
void kconsole_take(uint64 take);              // the bytes were delivered
void kconsole_write(const char *src, uint64 n);
