// The server loop (server.h): each worker receives on the served endpoint, runs the
// handler and answers with reply_recv in the same system call. Per-worker state (its
// private endpoint for timed waits) is found through the tp register, which each
// worker sets when it starts.
#include "servers/lib/server.h"
#include "user/lib/mv6.h"
#include "user/user.h"

// @lab 02 solution: the server loop
struct worker {
  uint64 ep;                  // the served endpoint
  uint64 wait_ep;             // private endpoint for worker_sleep_ns
  req_handler handle;
  void (*notify)(uint64 bits);
};

static struct worker workers[SERVER_MAXWORKERS];
static char stacks[SERVER_MAXWORKERS][8192] __attribute__((aligned(16)));

static struct worker *me(void) {
  struct worker *w;
  asm volatile("mv %0, tp" : "=r"(w));
  return w;
}

void defer(struct req *r) { r->deferred = 1; }

int answer(struct req *r) {
  struct msg m = {.tag = TAG(r->rlabel, 0, 0), .w = {r->rw[0], r->rw[1], r->rw[2], r->rw[3]}};
  return ipc_reply(r->token, &m) < 0 ? E_NOREPLY : 0;
}

int worker_sleep_ns(uint64 ns) {
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
      fprintf(2, "server: recv failed: %s\n", errstr(tok));
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    if (tok == 0) {          // a one-way message or notification: nothing to answer
      if (msg_label(&m) == L_NOTIFY && w->notify)
        w->notify(m.w[0]);
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    struct req r = {.token = tok, .badge = m.badge, .label = TAG_LABEL(m.tag),
                    .w = {m.w[0], m.w[1], m.w[2], m.w[3]}, .buflen = TAG_LEN(m.tag),
                    .rights = TAG_RIGHTS(m.tag)};
    w->handle(&r);
    if (r.deferred) {        // answered later
      tok = ipc_recv(w->ep, &m);
      continue;
    }
    m.tag = TAG(r.rlabel, 0, 0);
    for (int i = 0; i < 4; i++)
      m.w[i] = r.rw[i];
    tok = ipc_reply_recv(w->ep, tok, &m);
  }
}

void serve(uint64 ep, int nworkers, req_handler handle, void (*notify)(uint64 bits)) {
  if (nworkers < 1)
    nworkers = 1;
  if (nworkers > SERVER_MAXWORKERS)
    nworkers = SERVER_MAXWORKERS;
  for (int i = 0; i < nworkers; i++) {
    workers[i] = (struct worker){ep, ep_create(), handle, notify};
    if (i > 0 && thread_create(worker_loop, &workers[i], stacks[i], sizeof stacks[i], 7) < 0)
      fprintf(2, "server: could not start worker %d\n", i);
  }
  worker_loop(&workers[0]);
}
// @lab 02 stub
//: // TODO (lab 02): the server loop that every server runs (server.h), over the IPC
//: // calls of user/lib/mv6.h. Until it is written, a server says so and stops, and its
//: // clients get E_DEAD.
//:
//: // TODO: a deferred request gets no reply when the handler returns ...
//: void defer(struct req *r) { (void)r; }
//:
//: // ... but later, from its copy: its token, rlabel and rw.
//: int answer(struct req *r) {
//:   (void)r;
//:   return E_NOREPLY;
//: }
//:
//: // TODO: block only the calling worker: an alarm on an endpoint of the worker's own,
//: // found through per-worker state (the tp register is free for it), then receive there.
//: int worker_sleep_ns(uint64 ns) {
//:   (void)ns;
//:   return E_INTR;
//: }
//:
//: // TODO: nworkers threads (this one and nworkers - 1 more, each with a stack of its
//: // own), each receiving on ep: a notification goes to notify (no reply), a call
//: // becomes a struct req for handle, then its reply (ipc_reply_recv: answer and receive
//: // the next in one system call) unless the handler deferred it.
//: void serve(uint64 ep, int nworkers, req_handler handle, void (*notify)(uint64 bits)) {
//:   (void)ep, (void)nworkers, (void)handle, (void)notify;
//:   printf("server: the server loop is not written yet (lab 02)\n");
//:   sys1(SYS_exit, 1);             // not exit(), which asks the process server: maybe us
//:   for (;;)
//:     ;
//: }
// @lab 02 end
