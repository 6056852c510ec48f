// Transitional: the host interface of the subsystem cores not yet split into a shared
// core and two boundary layers (as servers/proc/ is). Such a core is written once
// against this header, free of IPC and of kernel internals, and is hosted either in
// its server (servers/lib/svc_server.c, on the server loop) or in the kernel behind a
// kernel-answered endpoint (kernel/ksvc.c, over kernel/khost.h).
//
// A core waits only through this interface: it may block in svc_sleep_ns, or park a
// request and answer it later (the file core does: pipe and console reads), in which
// case its server runs one thread and never blocks on a client.
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"

struct svc_req {
  uint64 badge;               // the calling task (trustworthy: set by the kernel); 0: the kernel
  uint64 label, w[4];         // the request
  uint64 buflen;              // bytes the caller offered with the call
  uint64 rlabel, rw[4];       // the reply the core fills in (rlabel: 0 or an error)
  uint64 host;                // the host's handle on the caller
  int parked;                 // set by svc_park: no reply now
};

typedef void (*svc_handler)(struct svc_req *);

// A message to another subsystem (svc_call).
struct svc_msg {
  uint64 tag, w[4];
};

// Copy from/to the caller's offered buffer: bytes copied, or an error
// (E_PERM: not offered that way, E_RANGE: outside it, E_NOTPRESENT, E_BADADDR).
int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len);
int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len);
// Wait: 0, or E_INTR when the caller is being stopped (undo and return at once).
int svc_sleep_ns(uint64 ns);

// Answer later: the core keeps a copy of *r, and eventually fills in rlabel/rw and
// calls svc_finish(copy). svc_finish returns an error if the caller is gone.
void svc_park(struct svc_req *r);
int svc_finish(struct svc_req *r);

// Call another subsystem: m in, reply out (as ipc_call); buf offered per m->tag.
// Returns 0 or an IPC error; the reply's label is in m->tag.
int64 svc_call(uint64 ep, struct svc_msg *m, void *buf);

// Notifications for the core (its notify handler gets the bits): a one-shot timer
// that sets SVC_TIMER on the core's own endpoint ep after ns.
#define SVC_TIMER (1UL << 63)
void svc_alarm(uint64 ep, uint64 ns);
// Post notification bits to an endpoint (never blocks).
void svc_notify(uint64 ep, uint64 bits);
// A line for the console of last resort (the kernel's debug output).
void svc_log(const char *line);
uint64 svc_now_ns(void);
