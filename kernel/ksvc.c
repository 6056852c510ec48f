// The kernel host of subsystem cores (servers/include/svc.h): runs a core's handler
// on the caller's kernel stack behind a kernel-answered endpoint, over host.h only.
// A parked request keeps its caller asleep here until the core finishes it.
#include "host.h"
#include "ksvc.h"

// With a lock, the core runs one request at a time, as in its one-threaded server;
// a parked request lets go of it while it waits.
void ksvc_run_locked(struct kreq *k, svc_handler handle, struct host_lock *lock) {
  struct svc_req r = {k->badge, k->label, {k->w[0], k->w[1], k->w[2], k->w[3]}, k->buflen, 0, {0}, (uint64)k, 0};
  if (lock && host_lock(lock) < 0) {
    k->rlabel = (uint64)E_INTR;
    return;
  }
  handle(&r);
  if (lock)
    host_unlock(lock);
  if (r.parked) {
    if (host_park_wait(k) < 0)
      k->rlabel = (uint64)E_INTR;    // the caller is being stopped: it gets no reply
    return;
  }
  k->rlabel = r.rlabel;
  for (int i = 0; i < 4; i++)
    k->rw[i] = r.rw[i];
}

void ksvc_run(struct kreq *k, svc_handler handle) { ksvc_run_locked(k, handle, 0); }

// A parked request's caller may have gone (stopped) before the core retries it.
int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
  struct kreq *k = (struct kreq *)r->host;
  return host_req_live(k) ? host_copy_from(k, off, dst, len) : E_NOREPLY;
}

int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
  struct kreq *k = (struct kreq *)r->host;
  return host_req_live(k) ? host_copy_to(k, off, src, len) : E_NOREPLY;
}

int svc_sleep_ns(uint64 ns) { return host_sleep_ns(ns); }

void svc_park(struct svc_req *r) {
  r->parked = 1;
  host_park((struct kreq *)r->host);   // from now on host_finish can find it
}

int svc_finish(struct svc_req *r) { return host_finish((struct kreq *)r->host, r->rlabel, r->rw); }

int64 svc_call(uint64 ep, struct svc_msg *m, void *buf) {
  struct kreq reply;
  int64 e = host_call(ep, TAG_LABEL(m->tag), m->w, buf, TAG_LEN(m->tag), TAG_RIGHTS(m->tag), &reply);
  if (e < 0)
    return e;
  m->tag = TAG(reply.rlabel, 0, 0);
  for (int i = 0; i < 4; i++)
    m->w[i] = reply.rw[i];
  return 0;
}

uint64 svc_now_ns(void) { return host_now_ns(); }

void svc_alarm(uint64 ep, uint64 ns) { host_alarm(ep, SVC_TIMER, ns); }

void svc_notify(uint64 ep, uint64 bits) { host_notify(ep, bits); }

void svc_log(const char *line) { kprintf("%s", line); }
