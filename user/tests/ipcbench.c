// The IPC benchmark: call + reply_recv round trips to the pong server in another
// address space, user stubs included, the cost of the bare loop subtracted.
// mode=icount: guest instructions (instret under -icount) and the fast-path share;
// mode=wall: nanoseconds of real time (run without icount).
#include "user/tests/testlib.h"

#define N 100000

static inline uint64 instret(void) {
  uint64 x;
  asm volatile("rdinstret %0" : "=r"(x));
  return x;
}

static int has(const char *s, const char *word) {
  for (; *s; s++) {
    int i = 0;
    while (word[i] && s[i] == word[i])
      i++;
    if (!word[i])
      return 1;
  }
  return 0;
}

// The same loop as below without the system call, to subtract.
static uint64 __attribute__((noinline)) loop_only(uint64 *sink) {
  uint64 t0 = instret();
  for (uint64 i = 0; i < N; i++) {
    struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
    asm volatile("" : : "r"(&m) : "memory");
    *sink += m.w[0];
  }
  return instret() - t0;
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  get_bootinfo(&bi);
  int wall = has(bi.bootargs, "mode=wall");
  uint64 sink = 0, f0 = kstat(STAT_FASTPATH), s0 = kstat(STAT_SLOWPATH);
  uint64 base = loop_only(&sink);
  uint64 t0 = time_ns(), i0 = instret();
  for (uint64 i = 0; i < N; i++) {
    struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
    ipc_call(EP_TEST0, &m, 0);
    sink += m.w[0];
  }
  uint64 insns = instret() - i0, ns = time_ns() - t0;
  uint64 fast = kstat(STAT_FASTPATH) - f0, slow = kstat(STAT_SLOWPATH) - s0;
  CHECK(sink == 2 * ((uint64)N * (N - 1) / 2) + N, "wrong replies");
  if (wall) {
    printf("bench: ipc_roundtrip_wall %d ns\n", (int)(ns / N));
  } else {
    printf("bench: ipc_roundtrip %d instructions\n", (int)((insns - base) / N));
    printf("bench: ipc_fastpath_share %d.%d percent\n", (int)(fast * 100 / (fast + slow)),
           (int)(fast * 1000 / (fast + slow) % 10));
  }
  test_done("ipcbench", 1);
  return 0;
}
