// host.h: the only kernel API that subsystem code linked into the kernel may use.
//
// A kernel-hosted subsystem answers a well-known endpoint with a handler that runs
// on the caller's kernel stack under the big kernel lock. It reads the request from
// struct kreq, fills in the reply (rlabel, rw), may copy to and from the buffer the
// caller offered, and may sleep. Every sleep returns E_INTR when the caller is being
// stopped: the handler must then undo what it started and return at once.
// The kernel never calls or waits on a user-level server; it may only notify one.
#pragma once
#include "types.h"
#include "abi.h"

struct thread;

struct kreq {
  uint64 badge;               // the calling task, as a server would see it; 0: the kernel
  uint64 label, w[4];         // the request
  uint64 buflen;              // bytes offered with the call
  uint64 rlabel, rw[4];       // the reply
  struct thread *caller;      // opaque to the subsystem
  void *kbuf;                 // the buffer, when the kernel itself calls (host_call)
  int rights;                 // BUF_R | BUF_W, for kbuf
  int done;                   // a parked request was answered (host_finish)
};

int host_serve(uint64 wk_handle, void (*handler)(struct kreq *));   // answer a well-known endpoint
// Notifications to a kernel-answered endpoint run fn(bits) in a kernel thread.
int host_serve_notify(uint64 wk_handle, void (*fn)(uint64 bits));
// Run fn(arg) on a kernel thread of its own (it may sleep, and call host_call).
int host_kthread(void (*fn)(uint64 arg), uint64 arg);
// Call another kernel-answered endpoint (never a user-level server: E_DEAD then).
int64 host_call(uint64 ep, uint64 label, uint64 w[4], void *buf, uint64 len, int rights, struct kreq *reply);
// A parked request: host_park marks it (while the handler runs, on the caller's
// thread), the caller sleeps in host_park_wait until host_finish(r, ...) answers it
// (which may happen before the handler even returns); host_finish fails with
// E_NOREPLY if the caller has gone meanwhile. host_req_live tells whether r may
// still be used (its caller runs it now, or waits on it).
void host_park(struct kreq *r);
int host_req_live(struct kreq *r);
int host_park_wait(struct kreq *r);
int host_finish(struct kreq *r, uint64 rlabel, const uint64 rw[4]);
void host_alarm(uint64 wk_handle, uint64 bits, uint64 ns);   // notify the endpoint after ns
void host_sleep_hard(void *chan);      // not cut short by a stop: a device transfer must end

// A lock held across sleeps: a kernel-hosted core runs one request at a time.
struct host_lock { int held; };
int host_lock(struct host_lock *l);    // 0, or E_INTR (the caller is being stopped)
void host_unlock(struct host_lock *l);

int64 host_copy_from(struct kreq *r, uint64 off, void *dst, uint64 len); // caller's buffer -> dst
int64 host_copy_to(struct kreq *r, uint64 off, const void *src, uint64 len);

int host_sleep(void *chan);            // 0, or E_INTR: unwind
int host_sleep_ns(uint64 ns);          // 0, or E_INTR
void host_wakeup(void *chan);
uint64 host_now_ns(void);

void host_notify(uint64 ep, uint64 bits);             // post to any endpoint, never blocks
int host_irq_handler(int irq, void (*fn)(int irq));   // in-kernel interrupt handler
void host_irq_done(int irq);
void *host_mmio(uint64 pa);                           // device registers

void *kalloc(void);                    // a zeroed page, or 0
void kfree(void *page);
void kprintf(const char *fmt, ...);
void panic(const char *fmt, ...) __attribute__((noreturn));
