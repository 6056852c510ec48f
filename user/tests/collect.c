// Collects the reports of the manycli clients (boot argument: how many), checks
// each client reported once with no bad replies, and powers off.
#include "user/tests/testlib.h"

int main(int argc, char *argv[]) {
  int n = task_arg, seen[16] = {0};
  uint64 calls = 0, bad = 0;
  for (int got = 0; got < n;) {
    struct msg m;
    int64 tok = ipc_recv(EP_TEST1, &m);
    if (tok <= 0)
      continue;
    uint64 id = m.w[0];
    CHECK(id < 16 && !seen[id], "client %d reported twice or is unknown", (int)id);
    if (id < 16)
      seen[id]++;
    calls += m.w[1];
    bad += m.w[2];
    got++;
    m.tag = TAG(0, 0, 0);
    ipc_reply(tok, &m);
  }
  CHECK(bad == 0, "%d replies were wrong", (int)bad);
  printf("manyclients: %d clients, %d calls, %d wrong replies\n", n, (int)calls, (int)bad);
  test_done("manyclients", 1);
  return 0;
}
