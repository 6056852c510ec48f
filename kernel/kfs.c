// The file core (servers/fs/: bio.c, log.c, inode.c, file.c, fsops.c) hosted in the
// kernel, at stages 1 and 2 (khost.h). EP_FS is answered on the caller's kernel stack
// with the subsystem's lock held, so requests run one at a time. The kernel's way:
//   - the caller is the task r->badge; its fd table is the core's table of that owner;
//   - a read that must wait (an empty pipe, no console line) or a write to a full pipe
//     *sleeps* right here (ksleep lets go of the lock) and tries again when woken; a
//     caller stopped meanwhile (killed) gets E_INTR and we return at once;
//   - paths and data move with kcopyin/kcopyout, the checked copies of the buffer the
//     caller offered; a copy that fails changes nothing (copy in before writing, read
//     then copy out then consume);
//   - blocks come from the kernel-hosted disk (kdisk_read, kdisk_write) and console
//     lines from the kernel-hosted console (kconsole_*), by direct calls;
//   - every request that changes the disk is one transaction, committed (log_end)
//     before the reply;
//   - the kernel-hosted process subsystem calls kfs_fork/exec/exit/read_file directly;
//     a process server (stage 2) sends FS_FORK/EXEC/EXIT, accepted from it alone.
// The file server (servers/fs/main.c) does the same the server's way: messages and
// badges, deferred replies, bulk copies, DISK_* and CONS_* messages that can fail
// with E_DEAD. The two boundary layers are duplication by design.
#include "kernel.h"
#include "khost.h"
#include "servers/fs/fs.h"
#include "servers/console/cons.h"
#include "kernel/fcntl.h"

#define CHUNK (WRITE_MAX > PIPESIZE ? WRITE_MAX : PIPESIZE)

static struct ksub fs;
static int pipes_moved;              // the channel of callers waiting on a pipe
static char buf[CHUNK];              // the lock guards it (never kept across a sleep)

int fsh_disk_read(uint blockno, void *dst) { return kdisk_read(blockno, dst); }
int fsh_disk_write(const uint *where, void *const *src, int n) { return kdisk_write(where, src, n); }

// A pipe changed: its waiting readers and writers try again.
static void wake_pipes(void) {
  if (fs_changed)
    kwakeup(&pipes_moved);
  fs_changed = 0;
}

static uint64 proc_badge(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_PROC, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

// The path at off in the caller's buffer: its length, or E_INVAL (none, too long).
static int get_path(struct kreq *r, uint64 off, char *path) {
  uint64 n = r->buflen - off < MAXPATH ? r->buflen - off : MAXPATH;
  if (off >= r->buflen || kcopyin(r, off, path, n) < 0)
    return E_INVAL;
  for (uint64 i = 0; i < n; i++)
    if (path[i] == 0)
      return i;
  return E_INVAL;
}

// ---- reads and writes ----
// A read or write without a buffer has its bytes in the message words (at most
// FS_INLINE, fsproto.h): the request's w2, w3 for a write, the reply's rw1, rw2 for a
// read.

static uint64 rw_len(struct kreq *r) { return r->buflen ? r->buflen : r->w[1]; }

static int64 from_caller(struct kreq *r, uint64 off, void *dst, uint64 n) {
  if (r->buflen)
    return kcopyin(r, off, dst, n);
  memmove(dst, (char *)&r->w[2] + off, n);
  return n;
}

static int64 to_caller(struct kreq *r, uint64 off, const void *src, uint64 n) {
  if (r->buflen)
    return kcopyout(r, off, src, n);
  memmove((char *)&r->rw[1] + off, src, n);
  return n;
}

static int64 read_console(struct kreq *r) {
  uint64 take, n = rw_len(r) < CONS_MAXLINE ? rw_len(r) : CONS_MAXLINE;
  int64 k;

  while ((k = kconsole_read(buf, n, &take)) == CONS_NONE)
    if (ksleep(&fs, &kconsole_lines, 0) < 0)
      return E_INTR;
  if (k < 0 || (k = to_caller(r, 0, buf, k)) < 0) {
    return k;
  }
  kconsole_take(take);
  r->rw[0] = k;
  return 0;
}

// The core delivers a read's bytes straight into the caller's buffer (file_read).
int fsh_copyout(void *client, uint64 off, const void *src, uint64 n) {
  int64 e = to_caller(client, off, src, n);
  return e < 0 ? e : 0;
}

// An inode or a pipe. The file may change while we sleep (a pipe's only), so it is
// looked up again after each sleep: the caller may have closed it meanwhile.
static int64 read_file(struct kreq *r, struct fdtab *t) {
  for (;;) {
    struct file *f = fd_file(t, r->w[0]);
    if (!f || !f->readable)
      return E_INVAL;
    int64 k = rw_len(r) ? file_read(f, r, rw_len(r)) : 0;
    if (k == FS_BLOCK) {
      if (ksleep(&fs, &pipes_moved, 0) < 0)
        return E_INTR;
      continue;
    }
    if (k < 0)
      return k;                                // nothing consumed
    file_consume(f, k);                        // only what the caller got
    r->rw[0] = k;
    wake_pipes();
    return 0;
  }
}

static int64 write_file(struct kreq *r, struct fdtab *t) {
  uint64 tot = 0, len = rw_len(r);
  while (tot < len) {
    struct file *f = fd_file(t, r->w[0]);
    if (!f || !f->writable)
      return E_INVAL;
    uint64 n = len - tot < CHUNK ? len - tot : CHUNK;
    if (f->type == FD_INODE && n > WRITE_MAX)
      n = WRITE_MAX;
    int64 k = from_caller(r, tot, buf, n);    // copy first: a failed copy changes nothing
    if (k < 0)
      return tot ? (int64)(r->rw[0] = tot, 0) : k;
    if (f->type == FD_DEVICE) {
      kconsole_write(buf, n);
      k = n;
    } else {
      log_begin();
      k = file_write(f, buf, n);
      log_end();                              // committed before the reply
    }
    wake_pipes();
    if (k == FS_BLOCK) {
      if (ksleep(&fs, &pipes_moved, 0) < 0)
        return E_INTR;
      continue;
    }
    if (k < 0 || fs_ioerror)
      return tot ? (int64)(r->rw[0] = tot, 0) : E_INVAL;
    tot += k;
    if (k == 0)
      return tot ? (int64)(r->rw[0] = tot, 0) : E_NOMEM;   // file at its largest, disk full
  }
  r->rw[0] = tot;
  return 0;
}

static int64 do_read(struct kreq *r, struct fdtab *t) {
  struct file *f = fd_file(t, r->w[0]);
  if (!f || !f->readable)
    return E_INVAL;
  return f->type == FD_DEVICE ? read_console(r) : read_file(r, t);
}

// ---- the requests ----

static int64 do_open(struct kreq *r, struct fdtab *t) {
  char path[MAXPATH];
  if (get_path(r, 0, path) < 0)
    return E_INVAL;
  struct inode *cwd = t->cwd;
  if (r->w[1] && r->badge == proc_badge()) {
    struct fdtab *of = fdtab_of(r->w[1], 0);   // the process server opens a program for
    cwd = of ? of->cwd : cwd;                  // exec, from that process's directory
  }
  log_begin();
  int64 fd = fs_open(t, cwd, path, r->w[0]);
  log_end();
  r->rw[0] = fd;
  return fd < 0 ? fd : 0;
}

static int64 do_paths(struct kreq *r, struct fdtab *t) {
  char path[MAXPATH], new[MAXPATH];
  int n = get_path(r, 0, path);
  if (n < 0 || (r->label == FS_LINK && get_path(r, n + 1, new) < 0))
    return E_INVAL;
  log_begin();
  int e = E_INVAL;
  switch (r->label) {
  case FS_LINK: e = fs_link(t->cwd, path, new); break;
  case FS_UNLINK: e = fs_unlink(t->cwd, path); break;
  case FS_MKDIR: e = fs_make(t->cwd, path, T_DIR, 0, 0); break;
  case FS_MKNOD: e = fs_make(t->cwd, path, T_DEVICE, r->w[0], r->w[1]); break;
  case FS_CHDIR: e = fs_chdir(t, path); break;
  }
  log_end();
  return e;
}

static int64 request(struct kreq *r, struct fdtab *t) {
  int64 e, fd1;
  struct stat st;
  switch (r->label) {
  case FS_OPEN: return do_open(r, t);
  case FS_READ:
  case FS_WRITE:
    if (!r->buflen && r->w[1] > FS_INLINE)
      return E_INVAL;
    return r->label == FS_READ ? do_read(r, t) : write_file(r, t);
  case FS_CLOSE:
    log_begin();
    e = fd_close(t, r->w[0]);
    log_end();
    wake_pipes();
    return e;
  case FS_DUP:
    e = fd_dup(t, r->w[0]);
    r->rw[0] = e;
    return e < 0 ? e : 0;
  case FS_PIPE:
    e = fs_pipe(t, (int64 *)&r->rw[0], &fd1);
    r->rw[1] = fd1;
    return e;
  case FS_FSTAT:
    if ((e = fs_fstat(fd_file(t, r->w[0]), &st)) < 0)
      return e;
    return kcopyout(r, 0, &st, sizeof st) < 0 ? E_INVAL : 0;
  case FS_LINK:
  case FS_UNLINK:
  case FS_MKDIR:
  case FS_MKNOD:
  case FS_CHDIR: return do_paths(r, t);
  case FS_STAT:
    r->rw[0] = log_commits;
    r->rw[1] = log_blocks;
    return 0;
  }
  return E_INVAL;
}

// ---- processes: fork, exec and exit (the lock held) ----

static int fork_files(uint64 parent, uint64 child) {
  log_begin();
  int e = fdtab_fork(parent, child);
  log_end();
  return e;
}

static void exit_files(uint64 task) {
  log_begin();
  fdtab_exit(task);                          // every fd closed, its directory put
  log_end();
  wake_pipes();                              // the other ends of its pipes
}

static int64 process(struct kreq *r) {
  switch (r->label) {
  case FS_FORK: return fork_files(r->w[0], r->w[1]);
  case FS_EXEC: return fdtab_exec(r->w[0], r->w[1]);
  case FS_EXIT: exit_files(r->w[0]); return 0;
  }
  return E_INVAL;
}

static void handle(struct kreq *r) {
  int64 e;
  fs_ioerror = 0;
  if (r->label >= FS_FORK && r->label <= FS_EXIT) {
    e = r->badge == proc_badge() ? process(r) : E_PERM;
  } else {
    struct fdtab *t = fdtab_of(r->badge, 1);
    e = t ? request(r, t) : E_NOMEM;
  }
  if (fs_ioerror && e == 0)
    e = E_INVAL;
  r->rlabel = e < 0 ? (uint64)e : 0;
}

// Mount: the superblock and inodes, recovery from the log.
static void init(void) {
  binit();
  iinit();
  log_init();
}

static struct ksub fs = {.name = "fs", .ep = EP_FS, .init = init, .handle = handle};

void kfs_start(void) { ksub_start(&fs); }

// ---- khost.h: files of processes, for the kernel-hosted process subsystem ----

int kfs_fork(uint64 parent, uint64 child) {
  if (kenter(&fs) < 0)
    return E_INTR;
  int e = fork_files(parent, child);
  kunlock(&fs);
  return e;
}

int kfs_exec(uint64 old, uint64 new) {
  if (kenter(&fs) < 0)
    return E_INTR;
  int e = fdtab_exec(old, new);
  kunlock(&fs);
  return e;
}

// A stop does not cut it short: a dead process's files must be closed.
void kfs_exit(uint64 task) {
  kenter_hard(&fs);
  exit_files(task);
  kunlock(&fs);
}

int64 kfs_read_file(uint64 task, const char *path, uint64 off, void *dst, uint64 n) {
  if (kenter(&fs) < 0)
    return E_INTR;
  struct fdtab *t = fdtab_of(task, 0);
  struct inode *ip = namei(path, t ? t->cwd : 0);   // no table yet: from the root
  int64 got = E_INVAL;
  if (ip) {
    iload(ip);
    if (ip->type == T_FILE)
      got = readi(ip, 0, (uint64)dst, off, n);
    log_begin();
    iput(ip);
    log_end();
  }
  kunlock(&fs);
  return got;
}
