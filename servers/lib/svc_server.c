// The server host (see svc_server.h): each worker loops reply_recv -> handler.
// Per-worker state (its private endpoint for timed waits) is found through tp.
#include "servers/lib/svc_server.h"
#include "user/lib/mv6.h"
#include "user/user.h"

// @lab 02 solution: the server host
struct worker {
  uint64 ep;          // the served endpoint
  uint64 wait_ep;     // private endpoint for svc_sleep_ns
  svc_handler handle;
  void (*notify)(uint64 bits);
};

static struct worker workers[SVC_MAXWORKERS];
static char stacks[SVC_MAXWORKERS][8192] __attribute__((aligned(16)));

static struct worker *me(void) {
  struct worker *w;
  asm volatile("mv %0, tp" : "=r"(w));
  return w;
}

int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
  return ipc_copy_from(r->host, off, dst, len);
}

int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
  return ipc_copy_to(r->host, off, src, len);
}

void svc_park(struct svc_req *r) { r->parked = 1; }

int svc_finish(struct svc_req *r) {
  struct msg m = {.tag = TAG(r->rlabel, 0, 0), .w = {r->rw[0], r->rw[1], r->rw[2], r->rw[3]}};
  return ipc_reply(r->host, &m) < 0 ? E_NOREPLY : 0;
}

int64 svc_call(uint64 ep, struct svc_msg *sm, void *buf) {
  struct msg m = {.tag = sm->tag, .w = {sm->w[0], sm->w[1], sm->w[2], sm->w[3]}};
  int64 r = ipc_call(ep, &m, buf);
  sm->tag = m.tag;
  for (int i = 0; i < 4; i++)
    sm->w[i] = m.w[i];
  return r;
}

void svc_alarm(uint64 ep, uint64 ns) { alarm_ns(ep, SVC_TIMER, ns); }

void svc_notify(uint64 ep, uint64 bits) { ipc_notify(ep, bits); }

void svc_log(const char *line) { debug_write(line, strlen(line)); }

uint64 svc_now_ns(void) { return time_ns(); }

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
      if (msg_label(&m) == L_NOTIFY && w->notify)
        w->notify(m.w[0]);
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    struct svc_req r = {m.badge, TAG_LABEL(m.tag), {m.w[0], m.w[1], m.w[2], m.w[3]}, TAG_LEN(m.tag), 0, {0}, tok, 0};
    w->handle(&r);
    if (r.parked) {          // answered later by svc_finish
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    m.tag = TAG(r.rlabel, 0, 0);
    for (int i = 0; i < 4; i++)
      m.w[i] = r.rw[i];
    tok = ipc_reply_recv(w->ep, tok, &m);
  }
}

void svc_serve(uint64 ep, int nworkers, svc_handler handle, void (*notify)(uint64 bits)) {
  if (nworkers > SVC_MAXWORKERS)
    nworkers = SVC_MAXWORKERS;
  for (int i = 0; i < nworkers; i++) {
    workers[i] = (struct worker){ep, ep_create(), handle, notify};
    if (i > 0 && thread_create(worker_loop, &workers[i], stacks[i], sizeof stacks[i], 7) < 0)
      fprintf(2, "svc: could not start worker %d\n", i);
  }
  worker_loop(&workers[0]);
}
// @lab 02 stub
//: // TODO (lab 02): the server side of svc.h. A core calls these from inside its
//: // handler; here each becomes IPC (user/lib/mv6.h) on the request's reply token
//: // (r->host) or on the served endpoint. Until they are written, a server says so
//: // and stops, and its clients get E_DEAD.
//: int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
//:   // TODO: copy from the caller's offered buffer (ipc_copy_from with the token)
//:   (void)r, (void)off, (void)dst, (void)len;
//:   return E_BADSYS;
//: }
//:
//: int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
//:   // TODO: copy into the caller's offered buffer
//:   (void)r, (void)off, (void)src, (void)len;
//:   return E_BADSYS;
//: }
//:
//: // TODO: a parked request is answered later, by svc_finish (a deferred reply).
//: void svc_park(struct svc_req *r) { (void)r; }
//:
//: int svc_finish(struct svc_req *r) {
//:   (void)r;
//:   return E_NOREPLY;
//: }
//:
//: int64 svc_call(uint64 ep, struct svc_msg *sm, void *buf) {
//:   (void)ep, (void)sm, (void)buf;
//:   return E_BADSYS;
//: }
//:
//: void svc_alarm(uint64 ep, uint64 ns) { (void)ep, (void)ns; }
//:
//: void svc_notify(uint64 ep, uint64 bits) { (void)ep, (void)bits; }
//:
//: void svc_log(const char *line) { debug_write(line, strlen(line)); }
//:
//: uint64 svc_now_ns(void) { return time_ns(); }
//:
//: // TODO: block this worker for ns (an alarm on an endpoint of its own, then recv);
//: // E_INTR when it is being stopped.
//: int svc_sleep_ns(uint64 ns) {
//:   (void)ns;
//:   return E_INTR;
//: }
//:
//: // TODO: the dispatch loop. Receive on ep; a notification goes to notify; a call
//: // becomes a struct svc_req for handle(); then reply with its rlabel/rw, unless the
//: // core parked it. Serve with nworkers threads (thread_create), so that a worker
//: // blocked inside the core leaves the others serving.
//: void svc_serve(uint64 ep, int nworkers, svc_handler handle, void (*notify)(uint64 bits)) {
//:   (void)ep, (void)nworkers, (void)handle, (void)notify;
//:   svc_log("svc_serve: the server host is not written yet (lab 02)\n");
//:   exit(1);
//: }
// @lab 02 end
