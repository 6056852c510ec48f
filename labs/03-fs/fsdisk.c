// Lab 03: the disk driver dies under the file server (boot group fsd; this task is
// privileged to kill it). The file server's clients must then get errors at once --
// a read of blocks not cached yet, a write that must commit -- never a hang, and the
// server must go on answering.
#include "user/tests/testlib.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"

static char buf[4 * BSIZE];

int main(int argc, char *argv[]) {
  sleep_ns(200000000);                  // let the system settle
  int fd = open("README.md", O_RDONLY);
  CHECK(fd >= 0 && read(fd, buf, 16) == 16, "README.md before the disk dies");
  int64 disk = task_find("disk");
  CHECK(disk > 0, "no disk driver task: does the kernel still host it?");
  EXPECT(task_kill(disk), 0);
  uint64 t0 = time_ns();
  int64 n = 0, k;
  while ((k = read(fd, buf, sizeof buf)) > 0)   // blocks never read before: the disk is gone
    n += k;
  CHECK(k < 0, "reading README.md with the disk gone: %d bytes, then %d", (int)n, (int)k);
  int w = open("afterdisk", O_CREATE | O_RDWR);   // a commit needs the disk
  CHECK(w < 0 || write(w, buf, BSIZE) < 0, "created and wrote a file with the disk gone");
  CHECK(close(fd) == 0, "the file server stopped answering");
  uint64 ms = (time_ns() - t0) / 1000000;
  CHECK(ms < 2000, "the errors took %d ms", (int)ms);
  if (test_failures == 0)
    verdict("fsdisk: the disk's death is an error for the file server's clients");
  test_done("fsdisk", 1);
  return 0;
}
