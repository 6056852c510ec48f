// A middle server on EP_TEST0 with ten workers of the server loop: SLOW requests are
// passed on to the slow server (the worker waits there), FAST ones are answered at once.
#include "user/tests/testlib.h"
#include "servers/lib/server.h"

static void handle(struct req *r) {
  if (r->label == 1) {
    struct msg m = {.tag = TAG(1, 0, 0), .w = {r->w[0]}};
    int64 e = ipc_call(EP_TEST1, &m, 0);
    r->rlabel = e < 0 ? (uint64)e : 0;
    r->rw[0] = m.w[0];
  } else {
    r->rw[0] = r->w[0] + 1;
  }
}

int main(int argc, char *argv[]) {
  serve(EP_TEST0, 10, handle, 0);
  return 0;
}
