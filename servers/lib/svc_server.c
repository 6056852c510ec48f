// Transitional: servers/include/svc.h for the cores not yet split into a shared core
// and two boundary layers, run on the server loop (server.h). A svc.h request is
// built from each struct req; a parked one is deferred and finished with its token.
#include "servers/lib/svc_server.h"
#include "servers/lib/server.h"
#include "user/lib/mv6.h"
#include "user/user.h"

static svc_handler core;

static void handle(struct req *r) {
  struct svc_req s = {r->badge, r->label, {r->w[0], r->w[1], r->w[2], r->w[3]}, r->buflen, 0, {0}, r->token, 0};
  core(&s);
  if (s.parked) {
    defer(r);
    return;
  }
  r->rlabel = s.rlabel;
  for (int i = 0; i < 4; i++)
    r->rw[i] = s.rw[i];
}

void svc_serve(uint64 ep, int nworkers, svc_handler h, void (*notify)(uint64 bits)) {
  core = h;
  serve(ep, nworkers, handle, notify);
}

int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
  return ipc_copy_from(r->host, off, dst, len);
}

int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
  return ipc_copy_to(r->host, off, src, len);
}

void svc_park(struct svc_req *r) { r->parked = 1; }

int svc_finish(struct svc_req *r) {
  struct req q = {.token = r->host, .rlabel = r->rlabel, .rw = {r->rw[0], r->rw[1], r->rw[2], r->rw[3]}};
  return answer(&q);
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

int svc_sleep_ns(uint64 ns) { return worker_sleep_ns(ns); }
