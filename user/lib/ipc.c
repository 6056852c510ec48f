// ipc_call_buf: a call offering a buffer that the server may find not present yet
// (a lazy heap page, a copy-on-write page): the kernel's copy then fails with
// E_NOTPRESENT and nothing is copied. We touch the buffer's pages, so that our pager
// makes them present (and private, for writes), and try again.
#include "user/lib/mv6.h"

static void touch(volatile char *p, uint64 len, int write) {
  if (len == 0)
    return;
  for (uint64 a = (uint64)p & ~4095UL; a < (uint64)p + len; a += 4096) {
    volatile char *q = (char *)(a < (uint64)p ? (uint64)p : a);
    char c = *q;
    if (write)
      *q = c;
  }
}

int64 ipc_call_buf(uint64 ep, struct msg *m, void *buf) {
  struct msg req = *m;
  for (int tries = 0;; tries++) {
    int64 r = ipc_call(ep, m, buf);
    if (r < 0 || (short)TAG_LABEL(m->tag) != E_NOTPRESENT || tries == 1)
      return r;
    touch(buf, TAG_LEN(req.tag), TAG_RIGHTS(req.tag) & BUF_W);
    *m = req;
  }
}
