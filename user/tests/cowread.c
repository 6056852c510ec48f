// A server's bulk copy into fresh heap memory and into copy-on-write pages: the
// data lands in the caller's own private pages (the echo server fills them), and a
// forked child's copy leaves the parent's page unchanged.
#include "user/tests/testlib.h"
#include "servers/echosrv/echo.h"

#define LEN (3 * 4096 + 100)

static int64 fill(char *p, int byte, int retry) {
  struct msg m = {.tag = TAG(ECHO_FILL, BUF_W, LEN), .w = {byte}};
  int64 r = retry ? ipc_call_buf(EP_TEST0, &m, p) : ipc_call(EP_TEST0, &m, p);
  return r < 0 ? r : (short)TAG_LABEL(m.tag);
}

static int all(char *p, int byte) {
  for (int i = 0; i < LEN; i++)
    if (p[i] != (char)byte)
      return 0;
  return 1;
}

int main(int argc, char *argv[]) {
  char *p = sbrk(LEN + 8192) + 4000;     // unaligned, over four fresh pages
  EXPECT(fill(p, 0x5a, 0), E_NOTPRESENT); // nothing present yet: the copy fails whole
  EXPECT(fill(p, 0x5a, 1), 0);
  CHECK(all(p, 0x5a), "fresh heap pages do not hold the data");
  int pid = fork();
  if (pid == 0) {
    int ok = fill(p, 0x77, 0) == E_NOTPRESENT && fill(p, 0x77, 1) == 0 && all(p, 0x77);
    exit(ok ? 0 : 1);
  }
  int status = -2;
  CHECK(wait(&status) == pid && status == 0, "child's copy into its copy-on-write pages: status %d", status);
  CHECK(all(p, 0x5a), "the child's copy reached the parent's pages");
  test_done("cowread", 0);
  exit(test_failures != 0);
}
