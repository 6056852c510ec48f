// pong: a tiny IPC server on the well-known endpoint EP_TEST0. It answers each call
// with w0 + 1, echoes w1..w3, and tells the caller its badge in w3 if asked (label 2);
// label 3 copies the caller's buffer in and answers the copy's result in w1.
#include "user/user.h"
#include "user/lib/mv6.h"

static char bulk[65536 + 16];   // label 3 (make bench) copies the caller's buffer here

int main(int argc, char *argv[]) {
  struct msg m;
  int64 tok = ipc_recv(EP_TEST0, &m);
  for (;;) {
    if (tok < 0) {              // no IPC to serve with (e.g. lab 01 not done yet)
      printf("pong: recv failed: %s\n", errstr(tok));
      exit(1);
    }
    m.w[0] += 1;
    if (msg_label(&m) == 2)
      m.w[3] = m.badge;
    if (msg_label(&m) == 3)     // copy w1 bytes of the caller's buffer to offset w2 % 16
      m.w[1] = ipc_copy_from(tok, 0, bulk + m.w[2] % 16, m.w[1] <= 65536 ? m.w[1] : 0);
    m.tag = TAG(0, 0, 0);
    tok = ipc_reply_recv(EP_TEST0, tok, &m);
  }
}
