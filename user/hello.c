// hello: the first boot task of `make qemu`. It prints, then asks the pong server
// (another address space) a few questions over IPC and checks the answers.
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"

int main(int argc, char *argv[]) {
  printf("hello from a user task (badge %p)\n", self_badge());
  int ok = 1;
  for (uint64 i = 1; i <= 3; i++) {
    struct msg m = {.tag = TAG(1, 0, 0), .w = {i, i * i}};
    int64 r = ipc_call(EP_TEST0, &m, 0);
    if (r < 0 || m.w[0] != i + 1 || m.w[1] != i * i) {
      printf("hello: call %d failed: %s\n", (int)i, errstr(r));
      ok = 0;
      continue;
    }
    printf("hello: asked pong %d, it answered %d\n", (int)i, (int)m.w[0]);
  }
  if (ok)
    verdict("hello: ok");
  else
    printf("hello: FAIL\n");
  return 0;
}
