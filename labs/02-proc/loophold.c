// The helper of loopcli's defer case: one request that loopsrv holds, from a task
// that loopcli then kills, so that the server's answer() finds its caller gone.
#include "user/lib/mv6.h"
#include "user/user.h"
#include "labs/02-proc/loop.h"

int main(int argc, char *argv[]) {
  struct msg m = {.tag = TAG(LOOP_HOLD, 0, 0)};
  ipc_call(EP_TEST0, &m, 0);
  printf("loop: FAIL: the held request of a killed task was answered\n");
  return 0;
}
