// One of several client tasks calling the pong server at once. Each checks that
// every reply carries its own values and its own badge (so no reply went to the
// wrong caller), then reports to the collector on EP_TEST1.
#include "user/tests/testlib.h"

#define CALLS 2000

int main(int argc, char *argv[]) {
  uint64 id = task_arg, me = self_badge(), bad = 0;
  for (uint64 i = 0; i < CALLS; i++) {
    struct msg m = {.tag = TAG(2, 0, 0), .w = {id << 32 | i, id, i, 0}};
    int64 r = ipc_call(EP_TEST0, &m, 0);
    if (r != 0 || m.w[0] != (id << 32 | i) + 1 || m.w[1] != id || m.w[2] != i || m.w[3] != me)
      bad++;
  }
  struct msg done = {.tag = TAG(1, 0, 0), .w = {id, CALLS, bad, 0}};
  ipc_call(EP_TEST1, &done, 0);
  return 0;
}
