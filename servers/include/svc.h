// The host interface of a subsystem core. A core (servers/NAME/NAME.c) is written once
// against this header, free of IPC and of kernel internals, and is hosted either in
// its server (servers/lib/svc_server.c: worker threads, bulk copy by system call) or
// in the kernel behind a kernel-answered endpoint (kernel/ksvc.c, over kernel/host.h).
// Clients use the same messages either way and cannot tell the difference.
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"

struct svc_req {
  uint64 badge;               // the calling task (trustworthy: set by the kernel)
  uint64 label, w[4];         // the request
  uint64 buflen;              // bytes the caller offered with the call
  uint64 rlabel, rw[4];       // the reply the core fills in (rlabel: 0 or an error)
  void *host;                 // the host's handle on the caller
};

typedef void (*svc_handler)(struct svc_req *);

// Copy from/to the caller's offered buffer: bytes copied, or an error
// (E_PERM: not offered that way, E_RANGE: outside it, E_NOTPRESENT, E_BADADDR).
int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len);
int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len);
// Wait: 0, or E_INTR when the caller is being stopped (undo and return at once).
int svc_sleep_ns(uint64 ns);
