// After a crash: report every c<k> file there is, its size, and whether its contents
// are a whole-write prefix of what crashload writes ("ok") or not ("bad").
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[1024];

int main(int argc, char *argv[]) {
  char n[8] = "c000";
  for (int k = 0; k < 1000; k++) {
    n[1] = '0' + k / 100 % 10;
    n[2] = '0' + k / 10 % 10;
    n[3] = '0' + k % 10;
    int fd = open(n, O_RDONLY);
    if (fd < 0)
      continue;
    int size = 0, ok = 1, got;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
      int c = size / 1024;
      for (int i = 0; i < got; i++)
        ok &= buf[i] == (char)((k * 31 + c * 7 + i) & 0xff);
      ok &= got == 1024;                  // every write was one whole 1 KiB
      size += got;
    }
    close(fd);
    printf("file %d %d %s\n", k, size, ok ? "ok" : "bad");
  }
  printf("crashcheck: end\n");
  exit(0);
}
