// IPC ping-pong: 10,000 call round trips to the pong server in another address
// space, every reply checked; reports the kernel's fast-path share.
#include "user/tests/testlib.h"

int main(int argc, char *argv[]) {
  int n = 10000;
  uint64 f0 = kstat(STAT_FASTPATH), s0 = kstat(STAT_SLOWPATH);
  for (int i = 0; i < n; i++) {
    struct msg m = {.tag = TAG(2, 0, 0), .w = {i, ~(uint64)i, 0x1234, 0}};
    int64 r = ipc_call(EP_TEST0, &m, 0);
    if (r != 0 || m.w[0] != (uint64)i + 1 || m.w[1] != ~(uint64)i || m.w[2] != 0x1234 ||
        m.w[3] != self_badge()) {
      CHECK(0, "round trip %d: r=%s w=%p %p %p %p", i, errstr(r), m.w[0], m.w[1], m.w[2], m.w[3]);
      break;
    }
  }
  uint64 fast = kstat(STAT_FASTPATH) - f0, slow = kstat(STAT_SLOWPATH) - s0;
  printf("pingpong: %d round trips, fast path %d of %d\n", n, (int)fast, (int)(fast + slow));
  test_done("pingpong", 1);
  return 0;
}
