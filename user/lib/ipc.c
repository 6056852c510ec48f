// ipc_call_buf: a call offering a buffer that the server may find not present yet
// (a lazy heap page, a copy-on-write page): the kernel's copy then fails with
// E_NOTPRESENT and nothing is copied. We ask our pager to make the buffer's pages
// present (and private, for writes) and try again; if it refuses (the buffer is not
// our memory), the call fails with E_NOTPRESENT, as xv6 fails a bad buffer with -1.
// We never touch the buffer ourselves: a bad one would kill us.
#include "user/lib/mv6.h"

static int64 bring_in(const char *p, uint64 len, int write) {
  for (uint64 a = (uint64)p & ~4095UL; len && a < (uint64)p + len; a += 4096)
    if (fault_in((void *)(a < (uint64)p ? (uint64)p : a), write) < 0)
      return E_INVAL;
  return 0;
}

int64 ipc_call_buf(uint64 ep, struct msg *m, void *buf) {
  if (TAG_LEN(m->tag) == 0)
    return ipc_call(ep, m, buf);             // no buffer: nothing to fault in (getpid...)
  struct msg req = *m;
  for (int tries = 0;; tries++) {
    int64 r = ipc_call(ep, m, buf);
    if (r < 0 || (short)TAG_LABEL(m->tag) != E_NOTPRESENT || tries == 1 ||
        (uint64)buf + TAG_LEN(req.tag) < (uint64)buf ||
        bring_in(buf, TAG_LEN(req.tag), TAG_RIGHTS(req.tag) & BUF_W) < 0)
      return r;
    *m = req;
  }
}

int64 user_strlen(const char *s, uint64 max) {
  for (uint64 n = 0; n < max; n++) {
    if ((n == 0 || ((uint64)(s + n) & 4095) == 0) && fault_in(s + n, 0) < 0)
      return -1;                         // not our memory
    if (s[n] == 0)
      return n;
  }
  return -1;
}
