// The file core (servers/fs/) hosted in the kernel, at stages 1 and 2: EP_FS is
// answered on the caller's kernel stack, one request at a time (parked requests let
// go of the lock); the mount and the console's line notices run on the subsystem's
// kernel thread.
#include "kernel.h"
#include "ksvc.h"

void fs_init(void);
void fs_handle(struct svc_req *r);
void fs_notify(uint64 bits);

uint64 fsh_proc_badge(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_PROC, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

static void handle(struct kreq *k) { ksvc_handle(k, fs_handle); }

static struct ksub fs = {.name = "fs", .ep = EP_FS, .init = fs_init, .handle = handle, .notify = fs_notify};

void kfs_start(void) { ksub_start(&fs); }

// ---- khost.h: files of processes, for the kernel-hosted process subsystem ----
// Transitional: as messages to the core, until this file is the kernel idiom.
#include "servers/fs/fsproto.h"
#include "stat.h"

static int64 fs_msg(uint64 label, uint64 w0, uint64 w1, void *buf, uint64 len, int rights, uint64 *rw0) {
  struct svc_msg m = {TAG(label, rights, len), {w0, w1, 0, 0}};
  int64 r = svc_call(EP_FS, &m, buf);
  if (r < 0)
    return r;
  if (rw0)
    *rw0 = m.w[0];
  return TAG_LABEL(m.tag) ? (int64)(short)TAG_LABEL(m.tag) : 0;
}

int kfs_fork(uint64 parent, uint64 child) { return fs_msg(FS_FORK, parent, child, 0, 0, 0, 0); }
int kfs_exec(uint64 old, uint64 new) { return fs_msg(FS_EXEC, old, new, 0, 0, 0, 0); }
void kfs_exit(uint64 task) { fs_msg(FS_EXIT, task, 0, 0, 0, 0, 0); }

int64 kfs_read_file(uint64 task, const char *path, uint64 off, void *dst, uint64 n) {
  static char skip[512];
  uint64 fd, got = 0, k;
  int64 e = fs_msg(FS_OPEN, 0, task, (void *)path, strlen(path) + 1, BUF_R, &fd);
  struct stat st;                      // a device or directory is no program: reading the
  if (e == 0 && (fs_msg(FS_FSTAT, fd, 0, &st, sizeof st, BUF_W, 0) < 0 || st.type != T_FILE)) {
    fs_msg(FS_CLOSE, fd, 0, 0, 0, 0, 0);  // console would wait for input
    return E_INVAL;
  }
  if (e < 0)
    return e;
  for (uint64 pos = 0; pos < off; pos += k) {
    uint64 want = off - pos < sizeof skip ? off - pos : sizeof skip;
    if (fs_msg(FS_READ, fd, 0, skip, want, BUF_W, &k) < 0 || k == 0)
      break;
  }
  while (got < n && fs_msg(FS_READ, fd, 0, (char *)dst + got, n - got, BUF_W, &k) == 0 && k > 0)
    got += k;
  fs_msg(FS_CLOSE, fd, 0, 0, 0, 0, 0);
  return got;
}
