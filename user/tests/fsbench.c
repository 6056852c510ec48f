// The file-system workload of ../shared/baselines.md: 1 MiB written as 4 files of
// 256 KiB in 512-byte writes, read back the same way, unlinked. Instructions
// (instret: every instruction of the hart, servers and kernel included, idle time
// subtracted (busy.h); run under -icount; one round, they do not vary) or wall time (argument "wall", without
// icount; the median of five rounds).
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/disk/disk.h"
#include "user/tests/busy.h"

#define MAXROUNDS 5
static int ROUNDS = 1;
static char buf[512];

static uint64 now(int wall) { return wall ? time_ns() : busy_insns(); }

static uint64 median(uint64 *v) {
  for (int i = 0; i < ROUNDS; i++)
    for (int j = i + 1; j < ROUNDS; j++)
      if (v[j] < v[i]) {
        uint64 t = v[i];
        v[i] = v[j];
        v[j] = t;
      }
  return v[ROUNDS / 2];
}

int main(int argc, char *argv[]) {
  int wall = argc > 1 && strcmp(argv[1], "wall") == 0, bad = 0;
  uint64 w[MAXROUNDS], r[MAXROUNDS], u[MAXROUNDS];
  if (wall)
    ROUNDS = MAXROUNDS;
  char name[] = "b0";
  for (int k = 0; k < ROUNDS; k++) {
    uint64 t0 = now(wall);
    for (int f = 0; f < 4; f++) {
      name[1] = '0' + f;
      int fd = open(name, O_CREATE | O_WRONLY);
      for (int i = 0; i < 512; i++) {
        buf[0] = i, buf[511] = f;
        if (write(fd, buf, 512) != 512)
          bad++;
      }
      close(fd);
    }
    uint64 t1 = now(wall);
    for (int f = 0; f < 4; f++) {
      name[1] = '0' + f;
      int fd = open(name, O_RDONLY), n, i = 0;
      while ((n = read(fd, buf, 512)) == 512)
        bad += buf[0] != (char)i++ || buf[511] != f;
      bad += i != 512;
      close(fd);
    }
    uint64 t2 = now(wall);
    for (int f = 0; f < 4; f++) {
      name[1] = '0' + f;
      bad += unlink(name) != 0;
    }
    uint64 t3 = now(wall);
    w[k] = t1 - t0, r[k] = t2 - t1, u[k] = t3 - t2;
  }
  const char *unit = wall ? "ms" : "instructions";
  uint64 div = wall ? 1000000 : 1;
  printf("bench: fs_write%s %ld %s\n", wall ? "_wall" : "", (int64)(median(w) / div), unit);
  printf("bench: fs_read%s %ld %s\n", wall ? "_wall" : "", (int64)(median(r) / div), unit);
  printf("bench: fs_unlink%s %ld %s\n", wall ? "_wall" : "", (int64)(median(u) / div), unit);
  if (!wall) {
    struct msg m = {.tag = TAG(DISK_STAT, 0, 0)};
    ipc_call(EP_DISK, &m, 0);
    printf("bench: disk_inflight_max %d requests\n", (int)m.w[0]);
  }
  if (bad)
    printf("fsbench: FAIL: %d wrong\n", bad);
  exit(bad != 0);
}
