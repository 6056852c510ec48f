// Open files, pipes and per-owner fd tables: the file layer of the file core, shared
// by both hosts (kernel/kfs.c at stages 1-2, the file server servers/fs/main.c from
// stage 3). Host-independent: an owner is an opaque id (the host uses the client's
// task badge), nothing here waits or answers anyone. An operation that cannot go on
// now returns FS_BLOCK and changes nothing; the host decides how its caller waits
// (sleeping in the kernel, a deferred reply in the server) and tries again when
// fs_changed says pipes moved (or the console says a line came).
#include "servers/fs/fs.h"

#define NFILE 128
#define NTABLE 64
#define NPIPE 32
#define NSOCKCLOSED 64          // > every socket the network server has

static struct file files[NFILE];
static struct fdtab tables[NTABLE];
static struct pipe pipes[NPIPE];
static uint64 closed[NSOCKCLOSED][2];   // sockets closed for good, until the host takes them
static int nclosed;

int fs_changed;
uint64 pipe_changes;

static void pipe_changed(struct pipe *p) {
  p->stamp = ++pipe_changes;
  fs_changed = 1;
}

// ---- fd tables ----

// Per task slot (the low bits of a badge, HANDLE in abi.h): the table its owner's
// lookup found last. Checked before use, so a stale hint only costs the scan; each
// request looks its sender up, and mostly ends here.
static uchar hint[NTABLE];

// fdtab_of's scan (the hint missed): owner's table, or a new one if create.
static __attribute__((noinline)) struct fdtab *fdtab_scan(uint64 owner, int create, uchar *h) {
  struct fdtab *free = 0;
  for (int i = 0; i < NTABLE; i++) {
    if (tables[i].owner == owner)
      return &tables[*h = i];
    if (!free && tables[i].owner == 0)
      free = &tables[i];
  }
  if (!create || !free)
    return 0;
  *free = (struct fdtab){.owner = owner, .cwd = iget(ROOTINO)};
  *h = free - tables;
  return free;
}

struct fdtab *fdtab_of(uint64 owner, int create) {
  if (owner == 0)
    return 0;
  uchar *h = &hint[(owner & 0xffff) % NTABLE];
  return tables[*h].owner == owner ? &tables[*h] : fdtab_scan(owner, create, h);
}

struct file *fd_file(struct fdtab *t, uint64 fd) { return t && fd < NOFILE ? t->fd[fd] : 0; }

struct file *file_alloc(void) {
  for (struct file *f = files; f < files + NFILE; f++) {
    if (f->ref == 0) {
      *f = (struct file){.ref = 1};
      return f;
    }
  }
  return 0;
}

int64 fd_alloc(struct fdtab *t, struct file *f) {
  for (int fd = 0; fd < NOFILE; fd++) {
    if (!t->fd[fd]) {
      t->fd[fd] = f;
      return fd;
    }
  }
  return E_NOMEM;
}

// Drop one reference; the last one closes: a pipe's end (its other end sees it), an
// inode (the caller is in a transaction: iput may free it).
void file_close(struct file *f) {
  if (--f->ref > 0)
    return;
  if (f->type == FD_PIPE) {
    if (f->writable)
      f->pipe->writeopen = 0;
    else
      f->pipe->readopen = 0;
    if (!f->pipe->readopen && !f->pipe->writeopen)
      f->pipe->used = 0;
    pipe_changed(f->pipe);
  } else if (f->type == FD_INODE || f->type == FD_DEVICE) {
    iput(f->ip);
  } else if (f->type == FD_SOCKET && nclosed < NSOCKCLOSED) {
    closed[nclosed][0] = f->sock, closed[nclosed++][1] = f->key;
  }
  f->type = FD_NONE;
}

int file_sock_closed(uint64 *sock, uint64 *key) {
  if (nclosed == 0)
    return 0;
  nclosed--;
  *sock = closed[nclosed][0], *key = closed[nclosed][1];
  return 1;
}

int fd_close(struct fdtab *t, uint64 fd) {
  struct file *f = fd_file(t, fd);
  if (!f)
    return E_INVAL;
  t->fd[fd] = 0;
  file_close(f);
  return 0;
}

int64 fd_dup(struct fdtab *t, uint64 fd) {
  struct file *f = fd_file(t, fd);
  int64 n = f ? fd_alloc(t, f) : E_INVAL;
  if (n >= 0)
    f->ref++;
  return n;
}

// child gets a copy of parent's table (the same open files) and its directory.
// In a transaction (child's old directory is put).
int fdtab_fork(uint64 parent, uint64 child) {
  struct fdtab *a = fdtab_of(parent, 1), *b = a ? fdtab_of(child, 1) : 0;
  if (!b || a == b)
    return E_NOMEM;
  for (int fd = 0; fd < NOFILE; fd++) {
    if (b->fd[fd])
      file_close(b->fd[fd]);
    if ((b->fd[fd] = a->fd[fd]) != 0)
      b->fd[fd]->ref++;
  }
  iput(b->cwd);
  b->cwd = idup(a->cwd);
  return 0;
}

// The table of old (0: none, a first program) now belongs to new.
int fdtab_exec(uint64 old, uint64 new) {
  struct fdtab *a = old ? fdtab_of(old, 0) : 0;
  if (!a)
    return fdtab_of(new, 1) ? 0 : E_NOMEM;
  if (fdtab_of(new, 0))
    return E_INVAL;
  a->owner = new;
  return 0;
}

// owner is gone: every fd closed, its directory put. In a transaction.
void fdtab_exit(uint64 owner) {
  struct fdtab *t = fdtab_of(owner, 0);
  if (!t)
    return;
  for (int fd = 0; fd < NOFILE; fd++)
    if (t->fd[fd])
      fd_close(t, fd);
  iput(t->cwd);
  *t = (struct fdtab){0};
}

// ---- pipes ----

int fs_pipe(struct fdtab *t, int64 *fd0, int64 *fd1) {
  struct pipe *p = 0;
  for (int i = 0; i < NPIPE && !p; i++)
    if (!pipes[i].used)
      p = &pipes[i];
  struct file *rf = p ? file_alloc() : 0, *wf = rf ? file_alloc() : 0;
  *fd0 = wf ? fd_alloc(t, rf) : E_NOMEM;
  *fd1 = *fd0 >= 0 ? fd_alloc(t, wf) : E_NOMEM;
  if (*fd1 < 0) {
    if (*fd0 >= 0)
      t->fd[*fd0] = 0;
    if (rf)
      rf->ref = 0;
    if (wf)
      wf->ref = 0;
    return E_NOMEM;
  }
  *p = (struct pipe){.used = 1, .stamp = ++pipe_changes, .readopen = 1, .writeopen = 1};
  *rf = (struct file){.type = FD_PIPE, .ref = 1, .readable = 1, .pipe = p};
  *wf = (struct file){.type = FD_PIPE, .ref = 1, .writable = 1, .pipe = p};
  return 0;
}

// ---- reading and writing ----

// Up to n bytes at f's position, delivered straight from the cache or the pipe to
// the start of client's buffer (fsh_copyout), without moving the position: bytes (0:
// end of file), FS_BLOCK (an empty pipe whose writer is open), E_INVAL (the console:
// the host reads it), or the error of a failed delivery. The host then
// file_consume()s what was delivered: a failed delivery loses nothing.
int64 file_read(struct file *f, void *client, uint64 n) {
  if (f->type == FD_INODE)
    return readi(f->ip, client, 0, f->off, n);
  if (f->type != FD_PIPE)
    return E_INVAL;
  struct pipe *p = f->pipe;
  if (p->nread == p->nwrite)
    return p->writeopen ? FS_BLOCK : 0;
  uint64 k = p->nwrite - p->nread < n ? p->nwrite - p->nread : n;
  uint at = p->nread % PIPESIZE, first = PIPESIZE - at < k ? PIPESIZE - at : k;
  int e = fsh_copyout(client, 0, p->data + at, first);     // the ring may wrap: two pieces
  if (e == 0 && k > first)
    e = fsh_copyout(client, first, p->data, k - first);
  return e < 0 ? e : (int64)k;
}

void file_consume(struct file *f, uint64 n) {
  if (f->type == FD_PIPE) {
    f->pipe->nread += n;
    pipe_changed(f->pipe);              // room for a waiting writer
  } else {
    f->off += n;
  }
}

// Up to n bytes from src at f's position, moving it: bytes written; FS_BLOCK (a full
// pipe: nothing written); E_INVAL (a pipe without readers, the console: the host
// writes it). A file write takes n <= WRITE_MAX, in one transaction of the caller's;
// it may write less (the file at its largest, the disk full).
int64 file_write(struct file *f, const void *src, uint64 n) {
  const char *s = src;
  if (f->type == FD_INODE) {
    int w = writei(f->ip, src, f->off, n);
    if (w > 0)
      f->off += w;
    return w < 0 ? E_INVAL : w;
  }
  if (f->type != FD_PIPE || !f->pipe->readopen)
    return E_INVAL;
  struct pipe *p = f->pipe;
  uint64 room = PIPESIZE - (p->nwrite - p->nread), k = n < room ? n : room;
  if (n && k == 0)
    return FS_BLOCK;
  for (uint64 i = 0; i < k; i++)
    p->data[(p->nwrite + i) % PIPESIZE] = s[i];
  p->nwrite += k;
  pipe_changed(p);                      // data for a waiting reader
  return k;
}
