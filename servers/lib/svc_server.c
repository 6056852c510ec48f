// The server host (see svc_server.h): each worker loops reply_recv -> handler.
// Per-worker state (its private endpoint for timed waits) is found through tp.
#include "servers/lib/svc_server.h"
#include "user/lib/mv6.h"
#include "user/user.h"

struct worker {
  uint64 ep;          // the served endpoint
  uint64 wait_ep;     // private endpoint for svc_sleep_ns
  svc_handler handle;
};

static struct worker workers[SVC_MAXWORKERS];
static char stacks[SVC_MAXWORKERS][8192] __attribute__((aligned(16)));

static struct worker *me(void) {
  struct worker *w;
  asm volatile("mv %0, tp" : "=r"(w));
  return w;
}

int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
  return ipc_copy_from((uint64)r->host, off, dst, len);
}

int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
  return ipc_copy_to((uint64)r->host, off, src, len);
}

int svc_sleep_ns(uint64 ns) {
  struct worker *w = me();
  struct msg m;
  if (alarm_ns(w->wait_ep, 1, ns) < 0)
    return E_INVAL;
  int64 r = ipc_recv(w->wait_ep, &m);
  return r < 0 ? (int)r : 0;
}

static void worker_loop(void *arg) {
  struct worker *w = arg;
  asm volatile("mv tp, %0" :: "r"(w));
  struct msg m;
  int64 tok = ipc_recv(w->ep, &m);
  for (;;) {
    if (tok < 0) {
      fprintf(2, "svc: recv failed: %s\n", errstr(tok));
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    if (tok == 0) {          // a one-way message or notification: nothing to answer
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    struct svc_req r = {m.badge, TAG_LABEL(m.tag), {m.w[0], m.w[1], m.w[2], m.w[3]}, TAG_LEN(m.tag), 0, {0}, (void *)tok};
    w->handle(&r);
    m.tag = TAG(r.rlabel, 0, 0);
    for (int i = 0; i < 4; i++)
      m.w[i] = r.rw[i];
    tok = ipc_reply_recv(w->ep, tok, &m);
  }
}

void svc_serve(uint64 ep, int nworkers, svc_handler handle) {
  if (nworkers > SVC_MAXWORKERS)
    nworkers = SVC_MAXWORKERS;
  for (int i = 0; i < nworkers; i++) {
    workers[i] = (struct worker){ep, ep_create(), handle};
    if (i > 0 && thread_create(worker_loop, &workers[i], stacks[i], sizeof stacks[i], 7) < 0)
      fprintf(2, "svc: could not start worker %d\n", i);
  }
  worker_loop(&workers[0]);
}
