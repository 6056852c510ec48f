// Lab 01's test server on EP_TEST1, written on the raw IPC system calls (no server
// library): echo, bulk copy both ways, deferred replies in reverse order,
// notification bits, one-way sends, and a death that leaves a call unanswered.
#include "user/tests/testlib.h"
#include "labs/01-ipc/ipclab.h"

static unsigned char buf[LAB_BUFMAX];

// XFORM: copy the caller's buffer in, transform it, copy it back.
static uint64 xform(uint64 tok, struct msg *m) {
  uint64 len = TAG_LEN(m->tag);
  int64 r = ipc_copy_from(tok, 0, buf, len);
  if (r < 0)
    return r;
  for (uint64 i = 0; i < len; i++)
    buf[i] = lab_xform(buf[i], i);
  r = ipc_copy_to(tok, 0, buf, len);
  m->w[0] = len;
  return r < 0 ? r : 0;
}

int main(int argc, char *argv[]) {
  struct msg m;
  uint64 bits = 0, held[2], nheld = 0, notes = 0;
  int64 tok = ipc_recv(EP_TEST1, &m);
  for (;;) {
    if (tok < 0) {
      printf("ipcsrv: recv failed: %s\n", errstr(tok));
      exit(1);
    }
    uint64 status = 0;
    if (msg_label(&m) == L_NOTIFY) {          // bits accumulate until LAB_BITS asks
      bits |= m.w[0];
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    }
    if (tok == 0) {                           // a send: nothing to answer
      notes += msg_label(&m) == LAB_NOTE;
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    }
    switch (msg_label(&m)) {
    case LAB_ECHO:
      m.w[3] = m.badge;
      break;
    case LAB_XFORM:
      status = xform(tok, &m);
      break;
    case LAB_SENT:
      m.w[0] = notes;
      break;
    case LAB_BITS:
      m.w[0] = bits;
      bits = 0;
      break;
    case LAB_HOLD:                            // answer the second first, then the first
      held[nheld++] = tok;
      if (nheld < 2) {
        tok = ipc_recv(EP_TEST1, &m);
        continue;
      }
      for (int i = 1; i >= 0; i--) {
        struct msg r = {.tag = TAG(0, 0, 0), .w = {i}};
        if (ipc_reply(held[i], &r) < 0)
          printf("ipcsrv: FAIL: a held call could not be answered\n");
      }
      struct msg again = {.tag = TAG(0, 0, 0)};
      if (ipc_reply(held[0], &again) != E_NOREPLY)
        printf("ipcsrv: FAIL: a token answered twice\n");
      nheld = 0;
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    case LAB_DIE:                             // leave the caller waiting, and die
      exit(0);
    default:
      status = E_INVAL;
    }
    m.tag = TAG(status, 0, 0);
    tok = ipc_reply_recv(EP_TEST1, tok, &m);
  }
}
