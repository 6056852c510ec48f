// The loop every server runs (written in lab 02, used by every server after it):
// worker threads receive requests on one endpoint, hand each to the server's handler,
// and reply unless the handler deferred the reply. Everything else -- decoding the
// request, the client's identity (its badge), its buffer (bulk copy with the token),
// calls to other servers, answering a deferred request later -- is the server's own,
// over the IPC calls of user/lib/mv6.h.
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"

#define SERVER_MAXWORKERS 16

// One request as a worker received it.
struct req {
  uint64 token;               // the reply token: names this call (ipc_reply, ipc_copy_*)
  uint64 badge;               // the calling task, set by the kernel: who is asking
  uint64 label, w[4];         // the message
  uint64 buflen;              // bytes of the buffer offered with the call
  uint64 rlabel, rw[4];       // the reply the handler fills in (rlabel: 0 or an error)
  int rights;                 // BUF_R | BUF_W: what the server may do with it
  int deferred;               // set by defer(): no reply now
};

typedef void (*req_handler)(struct req *r);

// Serve ep with nworkers threads (the caller's thread is one of them): never returns.
// handle gets every call; notify, if not 0, the bits of each notification sent to ep.
// With one worker the handler runs one request at a time and must never wait for a
// client (it defers instead); with several, a worker blocked in the handler (on
// another server, or in worker_sleep_ns) leaves the others serving.
void serve(uint64 ep, int nworkers, req_handler handle, void (*notify)(uint64 bits));

// The handler keeps a copy of *r (and with it the token) and answers later.
void defer(struct req *r);
// Answer a deferred request with its rlabel and rw: 0, or E_NOREPLY if its caller
// has gone meanwhile (killed, or its task died).
int answer(struct req *r);

// Block only the calling worker for ns of guest time (an alarm on an endpoint of the
// worker's own): 0, or E_INTR when the worker is being stopped.
int worker_sleep_ns(uint64 ns);

// A call to a server that the supervisor may restart: a call it died in is made again
// to its next instance (restart.c). Only for requests that may be repeated.
struct msg;
int64 call_restartable(uint64 ep, struct msg *m, void *buf);
