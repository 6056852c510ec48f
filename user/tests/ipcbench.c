// The IPC benchmark: call + reply_recv round trips to the pong server in another
// address space, user stubs included, the cost of the bare loop subtracted.
// mode=icount: guest instructions (instret under -icount) and the fast-path share;
// mode=wall: nanoseconds of real time per round trip (run without icount).
#include "user/tests/testlib.h"
#include "user/tests/busy.h"

#define N 100000

// The same loop as below without the system call, to subtract.
static uint64 __attribute__((noinline)) loop_only(uint64 *sink) {
  uint64 t0 = busy_insns();
  for (uint64 i = 0; i < N; i++) {
    struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
    asm volatile("" : : "r"(&m) : "memory");
    *sink += m.w[0];
  }
  return busy_insns() - t0;
}

// Real time is noisy: the median of 7 rounds of N/10 round trips.
static uint64 wall_ns(void) {
  uint64 t[7], sink = 0;
  for (int k = 0; k < 7; k++) {
    uint64 t0 = time_ns();
    for (uint64 i = 0; i < N / 10; i++) {
      struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
      ipc_call(EP_TEST0, &m, 0);
      sink += m.w[0];
    }
    t[k] = (time_ns() - t0) / (N / 10);
  }
  for (int i = 0; i < 7; i++)
    for (int j = i + 1; j < 7; j++)
      if (t[j] < t[i]) {
        uint64 x = t[i];
        t[i] = t[j];
        t[j] = x;
      }
  CHECK(sink == 7 * ((uint64)(N / 10) * (N / 10 + 1) / 2), "wrong replies");
  return t[3];
}

#define BULK 65536
#define BULK_N 20
static char src[BULK + 16];

// Instructions for one bulk copy of BULK bytes from src + soff into pong's buffer at
// doff (pong's label 3), less the same call copying nothing.
static uint64 bulk_copy(int soff, int doff) {
  uint64 t[2];
  for (int k = 0; k < 2; k++) {
    uint64 len = k ? BULK : 0, t0 = busy_insns();
    for (int i = 0; i < BULK_N; i++) {
      struct msg m = {.tag = TAG(3, BUF_R, len), .w = {0, len, doff}};
      ipc_call(EP_TEST0, &m, src + soff);
      CHECK(m.w[1] == len, "bulk copy answered %d", (int)m.w[1]);
    }
    t[k] = busy_insns() - t0;
  }
  return (t[1] - t[0]) / BULK_N;
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  get_bootinfo(&bi);
  char mode[8];
  if (bootarg(bi.bootargs, "mode", mode, sizeof mode) && strcmp(mode, "wall") == 0) {
    printf("bench: ipc_roundtrip_wall %d ns\n", (int)wall_ns());
    test_done("ipcbench", 1);
    return 0;
  }
  uint64 sink = 0, f0 = kstat(STAT_FASTPATH), s0 = kstat(STAT_SLOWPATH);
  uint64 base = loop_only(&sink);
  uint64 i0 = busy_insns();
  for (uint64 i = 0; i < N; i++) {
    struct msg m = {.tag = TAG(1, 0, 0), .w = {i}};
    ipc_call(EP_TEST0, &m, 0);
    sink += m.w[0];
  }
  uint64 insns = busy_insns() - i0;
  uint64 fast = kstat(STAT_FASTPATH) - f0, slow = kstat(STAT_SLOWPATH) - s0;
  CHECK(sink == 2 * ((uint64)N * (N - 1) / 2) + N, "wrong replies");
  printf("bench: ipc_roundtrip %d instructions\n", (int)((insns - base) / N));
  printf("bench: ipc_fastpath_share %d.%d percent\n", (int)(fast * 100 / (fast + slow)),
         (int)(fast * 1000 / (fast + slow) % 10));
  memset(src, 7, sizeof src);            // every page present before measuring
  bulk_copy(0, 0);
  uint64 aligned = bulk_copy(0, 0), unaligned = bulk_copy(3, 1);
  printf("bench: bulk_copy_64k_aligned %d instructions\n", (int)aligned);
  printf("bench: bulk_copy_64k_unaligned %d instructions\n", (int)unaligned);
  // Byte-wise copying costs 7 times the aligned figure; word-at-a-time about 2.3.
  CHECK(unaligned < 4 * aligned, "unaligned copies are not word at a time");
  test_done("ipcbench", 1);
  return 0;
}
