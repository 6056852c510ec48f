// Calls the kernel-hosted echo subsystem with a long wait and must never get an
// answer: the stopper task stops it while it sleeps inside the kernel.
#include "user/tests/testlib.h"
#include "servers/echosrv/echo.h"

static unsigned char buf[64 * 1024];

int main(int argc, char *argv[]) {
  struct msg m = {.tag = TAG(ECHO_XFORM, BUF_R | BUF_W, sizeof buf), .w = {30000000000UL}};
  printf("kwait: calling the kernel echo with a 30 s wait\n");
  int64 r = ipc_call(EP_KTEST, &m, buf);
  printf("kwait: FAIL: the call returned %s\n", errstr(r));
  return 0;
}
