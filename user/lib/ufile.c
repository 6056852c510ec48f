// xv6's file calls as requests to the file server (EP_FS). Any error gives -1. A
// buffer the server found not present yet is faulted in and the request repeated
// (ipc_call_buf). Reads and writes of a socket's fd go on to the network server
// (socket.c). Writes to fds 1 and 2 that the file server cannot take go to the
// kernel's debug output when there is no file server, or the writer is not a process
// (boot tasks, servers: no fds of their own); a process's closed fd 1 fails, as in xv6.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/fs/fsproto.h"

static int64 fs(uint64 label, uint64 w0, uint64 w1, const void *buf, uint64 len, int rights, uint64 *w) {
  struct msg m = {.tag = TAG(label, len ? rights : 0, len), .w = {w0, w1}};
  int64 r = ipc_call_buf(EP_FS, &m, (void *)buf);
  if (r < 0)
    return r;
  if (w)
    for (int i = 0; i < 4; i++)
      w[i] = m.w[i];
  return TAG_LABEL(m.tag) ? (short)TAG_LABEL(m.tag) : 0;
}

int64 sock_read(uint64 s, uint64 key, void *buf, int n);        // socket.c
int64 sock_write(uint64 s, uint64 key, const void *buf, int n);

// A path is read only after our pager said it is our memory (user_strlen): a bad
// pointer gives -1, as in xv6, not our death.
static int path_call(uint64 label, const char *path, uint64 w0, uint64 w1) {
  uint64 w[4];
  int64 n = user_strlen(path, MAXPATH);
  return n < 0 || fs(label, w0, w1, path, n + 1, BUF_R, w) < 0 ? -1 : (int)w[0];
}

int open(const char *path, int mode) { return path_call(FS_OPEN, path, mode, 0); }
int mkdir(const char *path) { return path_call(FS_MKDIR, path, 0, 0) < 0 ? -1 : 0; }
int mknod(const char *path, short major, short minor) { return path_call(FS_MKNOD, path, major, minor) < 0 ? -1 : 0; }
int unlink(const char *path) { return path_call(FS_UNLINK, path, 0, 0) < 0 ? -1 : 0; }
int chdir(const char *path) { return path_call(FS_CHDIR, path, 0, 0) < 0 ? -1 : 0; }

int link(const char *old, const char *new) {
  char buf[2 * MAXPATH];
  int64 a = user_strlen(old, MAXPATH) + 1, b = user_strlen(new, MAXPATH) + 1;
  if (a == 0 || b == 0)
    return -1;
  memmove(buf, old, a);
  memmove(buf + a, new, b);
  return fs(FS_LINK, 0, 0, buf, a + b, BUF_R, 0) < 0 ? -1 : 0;
}

// A read or write of at most FS_INLINE bytes carries them in the message words, with
// no bulk copy (fsproto.h), when its buffer is memory we may touch ourselves: our data
// and bss, or the top page of the stack (present, or a fault our pager serves). Any
// other buffer goes by bulk copy, where the kernel checks it: a bad pointer gets -1,
// never our death.
extern char _data_start[], _bss_end[];    // user.ld

static int small(const void *buf, uint64 n) {
  uint64 a = (uint64)buf;
  return n <= FS_INLINE && ((a >= (uint64)_data_start && a <= (uint64)_bss_end - n) ||
                            (a >= USTACK_TOP - 4096 && a <= USTACK_TOP - n));
}

// A few bytes: a plain loop (memmove's word-at-a-time set-up costs more).
static void copy_small(char *dst, const char *src, uint64 n) {
  for (uint64 i = 0; i < n; i++)
    dst[i] = src[i];
}

// FS_READ or FS_WRITE of n <= FS_INLINE bytes at buf (small) in the words.
static inline int64 fs_words(uint64 label, int fd, char *buf, uint64 n, uint64 *w) {
  struct msg m = {.tag = TAG(label, 0, 0), .w = {fd, n}};
  if (label == FS_WRITE)
    copy_small((char *)&m.w[2], buf, n);
  int64 r = ipc_call(EP_FS, &m, 0);
  if (r < 0)
    return r;
  for (int i = 0; i < 4; i++)
    w[i] = m.w[i];
  if ((r = TAG_LABEL(m.tag) ? (short)TAG_LABEL(m.tag) : 0) < 0)
    return r;
  if (w[0] > n)
    return E_INVAL;                    // more than we asked for: a bad reply
  if (label == FS_READ)
    copy_small(buf, (char *)&m.w[1], w[0]);
  return 0;
}

int read(int fd, void *buf, int n) {
  uint64 w[4];
  if (n < 0)
    return -1;
  int64 e = small(buf, n) ? fs_words(FS_READ, fd, buf, n, w) : fs(FS_READ, fd, 0, buf, n, BUF_W, w);
  if (e == FS_SOCKREF)                 // a socket: the network server has the data
    e = sock_read(w[0], w[1], buf, n), w[0] = e;
  return e < 0 ? -1 : (int)w[0];
}

// The server may stop early at a page of buf that is not present yet: go on from
// there (the next request faults it in), so that a write is whole unless it fails.
int write(int fd, const void *buf, int n) {
  uint64 w[4];
  int done = 0;
  if (n < 0)
    return -1;
  while (done < n) {
    const char *p = (const char *)buf + done;
    int64 e = small(p, n - done) ? fs_words(FS_WRITE, fd, (char *)p, n - done, w)
                                 : fs(FS_WRITE, fd, 0, p, n - done, BUF_R, w);
    if (e == FS_SOCKREF)
      return sock_write(w[0], w[1], buf, n) < 0 ? -1 : n;
    if (e < 0 && done == 0 && (fd == 1 || fd == 2) && (e == E_BADHANDLE || e == E_DEAD ||
                                                       (e == E_INVAL && !task_argv)))
      return debug_write(buf, n) < 0 ? -1 : n;
    if (e < 0 || w[0] == 0)
      return done ? done : -1;
    done += w[0];
  }
  return done;
}

int close(int fd) { return fs(FS_CLOSE, fd, 0, 0, 0, 0, 0) < 0 ? -1 : 0; }

int dup(int fd) {
  uint64 w[4];
  return fs(FS_DUP, fd, 0, 0, 0, 0, w) < 0 ? -1 : (int)w[0];
}

int pipe(int *fds) {
  uint64 w[4];
  if (fault_in(fds, 1) < 0 || fault_in(fds + 1, 1) < 0)
    return -1;                     // fds is not our memory: no pipe, as in xv6
  if (fs(FS_PIPE, 0, 0, 0, 0, 0, w) < 0)
    return -1;
  fds[0] = w[0];
  fds[1] = w[1];
  return 0;
}

int fstat(int fd, struct stat *st) { return fs(FS_FSTAT, fd, 0, st, sizeof *st, BUF_W, 0) < 0 ? -1 : 0; }

int stat(const char *path, struct stat *st) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  int r = fstat(fd, st);
  close(fd);
  return r;
}
