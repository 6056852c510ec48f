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
  uint64 badge;               // the calling task, as a server would see it
  uint64 label, w[4];         // the request
  uint64 buflen;              // bytes offered with the call
  uint64 rlabel, rw[4];       // the reply
  struct thread *caller;      // opaque to the subsystem
};

int host_serve(uint64 wk_handle, void (*handler)(struct kreq *));   // answer a well-known endpoint

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
