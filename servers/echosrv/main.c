// The echo server (echo.h) on the server loop: the endpoint named by its boot
// argument, four workers. The caller's buffer through bulk copies with the request's
// token; the delay by worker_sleep_ns, which blocks only this worker.
#include "servers/lib/server.h"
#include "servers/echosrv/echo.h"
#include "user/lib/mv6.h"

// Copy the buffer in pieces; XFORM transforms each byte, FILL writes w0, SUM only
// reads. rw0 = bytes, rw1 = the sum of what was read.
static void pieces(struct req *r, int read, int write) {
  unsigned char buf[ECHO_CHUNK];
  uint64 sum = 0;
  for (uint64 off = 0; off < r->buflen; off += ECHO_CHUNK) {
    uint64 n = r->buflen - off < ECHO_CHUNK ? r->buflen - off : ECHO_CHUNK;
    int64 e = read ? ipc_copy_from(r->token, off, buf, n) : 0;
    for (uint64 i = 0; i < n; i++) {
      sum += read ? buf[i] : 0;
      buf[i] = read ? echo_xform(buf[i], off + i) : (unsigned char)r->w[0];
    }
    if (e >= 0 && write)
      e = ipc_copy_to(r->token, off, buf, n);
    if (e < 0) {
      r->rlabel = e;
      return;
    }
  }
  r->rw[0] = r->buflen;
  r->rw[1] = sum;
}

static void handle(struct req *r) {
  switch (r->label) {
  case ECHO_XFORM:
    if (r->w[0] && worker_sleep_ns(r->w[0]) < 0)
      r->rlabel = E_INTR;
    else
      pieces(r, 1, 1);
    return;
  case ECHO_FILL: pieces(r, 0, 1); return;
  case ECHO_SUM: pieces(r, 1, 0); return;
  case ECHO_WHO: r->rw[0] = r->badge; return;
  }
  r->rlabel = E_INVAL;
}

int main(int argc, char *argv[]) {
  serve(task_arg, 4, handle, 0);
  return 0;
}
