// A slow server on EP_TEST1: it keeps every SLOW call waiting (deferred reply) until
// told to RELEASE them; COUNT answers at once with how many wait.
#include "user/tests/testlib.h"

#define SLOW 1
#define COUNT 2
#define RELEASE 3

int main(int argc, char *argv[]) {
  uint64 waiting[32], arg[32];
  int n = 0;
  struct msg m;
  for (;;) {
    int64 tok = ipc_recv(EP_TEST1, &m);
    if (tok <= 0)
      continue;
    switch (msg_label(&m)) {
    case SLOW:
      if (n < 32) {
        arg[n] = m.w[0];
        waiting[n++] = tok;
        continue;          // no reply now
      }
      break;
    case COUNT:
      m.w[0] = n;
      break;
    case RELEASE:
      for (int i = 0; i < n; i++) {
        struct msg r = {.tag = TAG(0, 0, 0), .w = {arg[i] + 1000}};
        ipc_reply(waiting[i], &r);
      }
      m.w[0] = n;
      n = 0;
      break;
    }
    m.tag = TAG(0, 0, 0);
    ipc_reply(tok, &m);
  }
}
