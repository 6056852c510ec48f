// The echo test subsystem's core: bulk copies both ways and a wait, written once
// against servers/include/svc.h and hosted in the echo server or in the kernel.
#include "servers/include/svc.h"
#include "servers/echosrv/echo.h"

#define CHUNK 512

static void xform(struct svc_req *r, int fill) {
  unsigned char buf[CHUNK];
  uint64 sum = 0;
  if (!fill && r->w[0] && svc_sleep_ns(r->w[0]) < 0) {
    r->rlabel = (uint64)E_INTR;
    return;
  }
  for (uint64 off = 0; off < r->buflen; off += CHUNK) {
    uint64 n = r->buflen - off < CHUNK ? r->buflen - off : CHUNK;
    int64 k = fill ? (int64)n : svc_copy_from(r, off, buf, n);
    if (k < 0) {
      r->rlabel = k;
      return;
    }
    for (uint64 i = 0; i < n; i++) {
      sum += buf[i];
      buf[i] = fill ? (unsigned char)r->w[0] : echo_xform(buf[i], off + i);
    }
    if ((k = svc_copy_to(r, off, buf, n)) < 0) {
      r->rlabel = k;
      return;
    }
  }
  r->rw[0] = r->buflen;
  r->rw[1] = fill ? 0 : sum;
}

static void sum(struct svc_req *r) {
  unsigned char buf[CHUNK];
  uint64 s = 0;
  for (uint64 off = 0; off < r->buflen; off += CHUNK) {
    uint64 n = r->buflen - off < CHUNK ? r->buflen - off : CHUNK;
    int64 k = svc_copy_from(r, off, buf, n);
    if (k < 0) {
      r->rlabel = k;
      return;
    }
    for (uint64 i = 0; i < n; i++)
      s += buf[i];
  }
  r->rw[0] = r->buflen;
  r->rw[1] = s;
}

void echo_handle(struct svc_req *r) {
  r->rlabel = 0;
  switch (r->label) {
  case ECHO_XFORM: xform(r, 0); break;
  case ECHO_FILL: xform(r, 1); break;
  case ECHO_SUM: sum(r); break;
  case ECHO_WHO: r->rw[0] = r->badge; break;
  default: r->rlabel = (uint64)E_INVAL;
  }
}
