// The kernel host of subsystem cores (servers/include/svc.h): runs a core's handler
// on the caller's kernel stack behind a kernel-answered endpoint, over host.h only.
#include "host.h"
#include "servers/include/svc.h"

void ksvc_run(struct kreq *k, svc_handler handle) {
  struct svc_req r = {k->badge, k->label, {k->w[0], k->w[1], k->w[2], k->w[3]}, k->buflen, 0, {0}, (uint64)k, 0};
  handle(&r);
  k->rlabel = r.rlabel;
  for (int i = 0; i < 4; i++)
    k->rw[i] = r.rw[i];
}

int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
  return host_copy_from((struct kreq *)r->host, off, dst, len);
}

int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
  return host_copy_to((struct kreq *)r->host, off, src, len);
}

int svc_sleep_ns(uint64 ns) { return host_sleep_ns(ns); }
