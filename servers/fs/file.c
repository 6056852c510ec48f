// The file server's requests: per-process fd tables, open files, pipes, the console
// device, and the xv6 system calls on top of inode.c. Requests that must wait (an
// empty pipe, a full one, a console line) are parked and retried when things change.
#include "servers/fs/fs.h"
#include "servers/fs/fsproto.h"
#include "servers/console/cons.h"
#include "kernel/fcntl.h"

#define NFILE 128
#define NPROCS 64
#define NPIPE 32
#define PIPESIZE 512
#define NPARK 64
#define CHUNK 1024
#define MAXOPBLOCKS 10                                        // blocks one request may log
#define WRITE_MAX (((MAXOPBLOCKS - 1 - 1 - 2) / 2) * BSIZE)   // file bytes per transaction

enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE };

struct pipe {
  int used;
  char data[PIPESIZE];
  uint nread, nwrite;
  int readopen, writeopen;
};

struct file {
  int type, ref;
  char readable, writable;
  struct pipe *pipe;
  struct inode *ip;
  uint off;
};

struct ptable {
  uint64 task;               // 0: free
  struct file *fd[NOFILE];
  struct inode *cwd;
};

// A parked read or write, tried again whenever a pipe or the console changes.
struct park {
  int used;
  struct svc_req r;
  struct ptable *pt;
  uint64 done;               // bytes of a pipe write already moved
};

static struct file files[NFILE];
static struct ptable tables[NPROCS];
static struct pipe pipes[NPIPE];
static struct park parks[NPARK];

uint64 fsh_proc_badge(void);

static struct ptable *table_of(uint64 task, int create) {
  struct ptable *free = 0;
  for (int i = 0; i < NPROCS; i++) {
    if (tables[i].task == task)
      return &tables[i];
    if (!free && tables[i].task == 0)
      free = &tables[i];
  }
  if (!create || !free)
    return 0;
  *free = (struct ptable){.task = task, .cwd = iget(ROOTINO)};
  return free;
}

static struct file *falloc(void) {
  for (struct file *f = files; f < files + NFILE; f++) {
    if (f->ref == 0) {
      *f = (struct file){.ref = 1};
      return f;
    }
  }
  return 0;
}

static void wake_parked(void);

static void fclose(struct file *f) {
  if (--f->ref > 0)
    return;
  if (f->type == FD_PIPE) {
    if (f->writable)
      f->pipe->writeopen = 0;
    else
      f->pipe->readopen = 0;
    if (!f->pipe->readopen && !f->pipe->writeopen)
      f->pipe->used = 0;
    wake_parked();
  } else if (f->type == FD_INODE || f->type == FD_DEVICE) {
    log_begin();
    iput(f->ip);
    log_end();
  }
  f->type = FD_NONE;
}

static int fdalloc(struct ptable *pt, struct file *f) {
  for (int fd = 0; fd < NOFILE; fd++) {
    if (!pt->fd[fd]) {
      pt->fd[fd] = f;
      return fd;
    }
  }
  return -1;
}

static struct file *fd_file(struct ptable *pt, uint64 fd) {
  return fd < NOFILE ? pt->fd[fd] : 0;
}

// The path in the request's buffer, NUL-terminated and at most MAXPATH bytes.
static int get_path(struct svc_req *r, uint64 off, char *path) {
  uint64 n = r->buflen - off < MAXPATH ? r->buflen - off : MAXPATH;
  if (off >= r->buflen || svc_copy_from(r, off, path, n) < 0)
    return -1;
  for (uint64 i = 0; i < n; i++)
    if (path[i] == 0)
      return i;
  return -1;                                   // too long, or not terminated
}

static struct inode *create(const char *path, struct inode *cwd, short type, short major, short minor) {
  char name[DIRSIZ];
  struct inode *dp = nameiparent(path, cwd, name), *ip;
  if (!dp)
    return 0;
  iload(dp);
  if ((ip = dirlookup(dp, name, 0)) != 0) {
    iput(dp);
    iload(ip);
    if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
      return ip;
    iput(ip);
    return 0;
  }
  if ((ip = ialloc(type)) == 0) {
    iput(dp);
    return 0;
  }
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;
  iupdate(ip);
  if (type == T_DIR) {
    if (dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
      goto fail;
    dp->nlink++;                               // for ".."
    iupdate(dp);
  }
  if (dirlink(dp, name, ip->inum) < 0)
    goto fail;
  iput(dp);
  return ip;
fail:
  ip->nlink = 0;
  iupdate(ip);
  iput(ip);
  iput(dp);
  return 0;
}

static int64 do_open(struct svc_req *r, struct ptable *pt) {
  char path[MAXPATH];
  int omode = r->w[0];
  if (get_path(r, 0, path) < 0)
    return E_INVAL;
  struct inode *cwd = pt->cwd;
  if (r->w[1] && r->badge == fsh_proc_badge()) {
    struct ptable *of = table_of(r->w[1], 0);   // the process server opens a program for exec,
    cwd = of ? of->cwd : 0;                     // looked up from that process's directory
  }
  log_begin();
  struct inode *ip;
  if (omode & O_CREATE) {
    ip = create(path, cwd, T_FILE, 0, 0);
  } else if ((ip = namei(path, cwd)) != 0) {
    iload(ip);
    if (ip->type == T_DIR && omode != O_RDONLY) {
      iput(ip);
      ip = 0;
    }
  }
  if (ip && ip->type == T_DEVICE && ip->major != CONSOLE) {
    iput(ip);
    ip = 0;
  }
  struct file *f = ip ? falloc() : 0;
  int fd = f ? fdalloc(pt, f) : -1;
  if (!ip || fd < 0) {
    if (f)
      f->ref = 0;
    if (ip)
      iput(ip);
    log_end();
    return E_INVAL;
  }
  f->type = ip->type == T_DEVICE ? FD_DEVICE : FD_INODE;
  f->ip = ip;
  f->readable = !(omode & O_WRONLY);
  f->writable = (omode & O_WRONLY) || (omode & O_RDWR);
  if ((omode & O_TRUNC) && ip->type == T_FILE)
    itrunc(ip);
  log_end();
  r->rw[0] = fd;
  return 0;
}

// ---- reads and writes: pipes and the console may park the request ----

#define PARKED 1     // not an error: the request waits (park[] holds it)

// The core runs one request at a time (both hosts make sure), so buffers can be
// static: kernel stacks are small.
static char buf[WRITE_MAX > CHUNK ? WRITE_MAX : CHUNK];

static int64 pipe_read(struct svc_req *r, struct pipe *p) {
  if (p->nread == p->nwrite)
    return p->writeopen ? PARKED : 0;          // empty: wait, or end of file
  uint64 n = 0;
  while (n < r->buflen && p->nread + n < p->nwrite) {
    buf[n] = p->data[(p->nread + n) % PIPESIZE];
    n++;
  }
  int64 k = svc_copy_to(r, 0, buf, n);         // copy first: no data is lost if it fails
  if (k < 0)
    return k;
  p->nread += n;
  r->rw[0] = n;
  return 0;
}

static int64 pipe_write(struct svc_req *r, struct pipe *p, uint64 *done) {
  while (*done < r->buflen) {
    if (!p->readopen)
      return E_INVAL;                          // no reader will ever come
    uint64 room = PIPESIZE - (p->nwrite - p->nread);
    if (room == 0)
      return PARKED;
    uint64 n = r->buflen - *done < room ? r->buflen - *done : room;
    int64 k = svc_copy_from(r, *done, buf, n);
    if (k < 0)
      return k;
    for (uint64 i = 0; i < n; i++)
      p->data[(p->nwrite + i) % PIPESIZE] = buf[i];
    p->nwrite += n;
    *done += n;
  }
  r->rw[0] = *done;
  return 0;
}

static int64 cons_read(struct svc_req *r) {
  uint64 n = r->buflen < 256 ? r->buflen : 256;
  struct svc_msg m = {TAG(CONS_READ, BUF_W, n), {n, 0, 0, 0}};
  if (svc_call(EP_CONSOLE, &m, buf) < 0 || TAG_LABEL(m.tag) != 0)
    return E_INVAL;
  if (m.w[1])
    return PARKED;                             // no line yet: the console will notify us
  int64 k = svc_copy_to(r, 0, buf, m.w[0]);
  if (k < 0)
    return k;                                  // (the line is gone: the console cannot take it back)
  r->rw[0] = m.w[0];
  return 0;
}

static int64 cons_write(struct svc_req *r) {
  for (uint64 off = 0; off < r->buflen;) {
    uint64 n = r->buflen - off < CHUNK ? r->buflen - off : CHUNK;
    int64 k = svc_copy_from(r, off, buf, n);
    if (k < 0)
      return k;
    struct svc_msg m = {TAG(CONS_WRITE, BUF_R, n), {0}};
    if (svc_call(EP_CONSOLE, &m, buf) < 0)
      return E_INVAL;
    off += n;
  }
  r->rw[0] = r->buflen;
  return 0;
}

static int64 inode_read(struct svc_req *r, struct file *f) {
  uint64 tot = 0;
  while (tot < r->buflen) {
    uint64 n = r->buflen - tot < CHUNK ? r->buflen - tot : CHUNK;
    int got = readi(f->ip, buf, f->off, n);
    if (got <= 0)
      break;
    int64 k = svc_copy_to(r, tot, buf, got);
    if (k < 0)
      return tot ? (int64)(r->rw[0] = tot, 0) : k;
    f->off += got;
    tot += got;
    if ((uint64)got < n)
      break;
  }
  r->rw[0] = tot;
  return 0;
}

// Each transaction writes at most WRITE_MAX bytes, so it fits in the log.
static int64 inode_write(struct svc_req *r, struct file *f) {
  uint64 tot = 0;
  while (tot < r->buflen) {
    uint64 n = r->buflen - tot < WRITE_MAX ? r->buflen - tot : WRITE_MAX;
    int64 k = svc_copy_from(r, tot, buf, n);   // copy first: a failed copy changes no file
    if (k < 0)
      return tot ? (int64)(r->rw[0] = tot, 0) : k;
    log_begin();
    int w = writei(f->ip, buf, f->off, n);
    log_end();

    if (w > 0)
      f->off += w;
    tot += w > 0 ? w : 0;
    if ((uint64)w != n)
      break;                                   // file at its largest, or the disk full
  }
  r->rw[0] = tot;
  return tot == 0 && r->buflen ? E_NOMEM : 0;
}

// A read or write on fd; PARKED if it must wait.
static int64 rw(struct svc_req *r, struct ptable *pt, uint64 *done) {
  struct file *f = fd_file(pt, r->w[0]);
  int write = r->label == FS_WRITE;
  if (!f || (write ? !f->writable : !f->readable))
    return E_INVAL;
  switch (f->type) {
  case FD_PIPE: return write ? pipe_write(r, f->pipe, done) : pipe_read(r, f->pipe);
  case FD_DEVICE: return write ? cons_write(r) : cons_read(r);
  case FD_INODE: return write ? inode_write(r, f) : inode_read(r, f);
  }
  return E_INVAL;
}

static void park(struct svc_req *r, struct ptable *pt, uint64 done) {
  for (int i = 0; i < NPARK; i++) {
    if (!parks[i].used) {
      svc_park(r);
      parks[i] = (struct park){1, *r, pt, done};
      return;
    }
  }
  r->rlabel = E_NOMEM;                         // too many waiting requests
}

// Something changed (pipe data or space, a closed end, a console line): retry.
static void wake_parked(void) {
  for (int again = 1; again;) {
    again = 0;
    for (int i = 0; i < NPARK; i++) {
      struct park *p = &parks[i];
      if (!p->used)
        continue;
      int64 e = rw(&p->r, p->pt, &p->done);
      if (e == PARKED)
        continue;
      p->used = 0;
      p->r.rlabel = e < 0 ? (uint64)e : 0;
      svc_finish(&p->r);
      again = 1;                               // its progress may unblock another
    }
  }
}

// ---- processes: fork, exec and exit, told by the process server ----

static void drop_table(struct ptable *pt) {
  for (int i = 0; i < NPARK; i++)
    if (parks[i].used && parks[i].pt == pt)
      parks[i].used = 0;                       // its caller is gone: no reply
  for (int fd = 0; fd < NOFILE; fd++) {
    if (pt->fd[fd]) {
      fclose(pt->fd[fd]);
      pt->fd[fd] = 0;
    }
  }
  if (pt->cwd) {
    log_begin();
    iput(pt->cwd);
    log_end();
  }
  pt->task = 0;
}

static int64 process(struct svc_req *r) {
  struct ptable *a = r->w[0] ? table_of(r->w[0], r->label == FS_FORK) : 0, *b;
  switch (r->label) {
  case FS_FORK:
    if (!a || !(b = table_of(r->w[1], 1)))
      return E_NOMEM;
    for (int fd = 0; fd < NOFILE; fd++)
      if ((b->fd[fd] = a->fd[fd]) != 0)
        b->fd[fd]->ref++;
    log_begin();
    iput(b->cwd);
    log_end();
    b->cwd = idup(a->cwd);
    return 0;
  case FS_EXEC:
    if (!a)
      return table_of(r->w[1], 1) ? 0 : E_NOMEM;
    a->task = r->w[1];
    return 0;
  case FS_EXIT:
    if (a)
      drop_table(a);
    return 0;
  }
  return E_INVAL;
}

// ---- the requests ----

static int64 do_pipe(struct svc_req *r, struct ptable *pt) {
  struct pipe *p = 0;
  for (int i = 0; i < NPIPE && !p; i++)
    if (!pipes[i].used)
      p = &pipes[i];
  struct file *rf = p ? falloc() : 0, *wf = rf ? falloc() : 0;
  int fd0 = wf ? fdalloc(pt, rf) : -1, fd1 = fd0 >= 0 ? fdalloc(pt, wf) : -1;
  if (fd1 < 0) {
    if (fd0 >= 0)
      pt->fd[fd0] = 0;
    if (rf)
      rf->ref = 0;
    if (wf)
      wf->ref = 0;
    return E_NOMEM;
  }
  *p = (struct pipe){.used = 1, .readopen = 1, .writeopen = 1};
  *rf = (struct file){FD_PIPE, 1, 1, 0, p, 0, 0};
  *wf = (struct file){FD_PIPE, 1, 0, 1, p, 0, 0};
  r->rw[0] = fd0;
  r->rw[1] = fd1;
  return 0;
}

static int64 do_link(struct svc_req *r, struct ptable *pt) {
  char old[MAXPATH], new[MAXPATH], name[DIRSIZ];
  int n = get_path(r, 0, old);
  if (n < 0 || get_path(r, n + 1, new) < 0)
    return E_INVAL;
  struct inode *ip = namei(old, pt->cwd), *dp = 0;
  if (!ip)
    return E_INVAL;
  iload(ip);
  int64 e = E_INVAL;
  log_begin();
  if (ip->type != T_DIR && (dp = nameiparent(new, pt->cwd, name)) != 0) {
    ip->nlink++;
    iupdate(ip);
    if (dirlink(dp, name, ip->inum) == 0) {
      e = 0;
    } else {
      ip->nlink--;
      iupdate(ip);
    }
  }
  if (dp)
    iput(dp);
  iput(ip);
  log_end();
  return e;
}

static int isdirempty(struct inode *dp) {
  struct dirent de;
  for (uint off = 2 * sizeof de; off < dp->size; off += sizeof de)
    if (readi(dp, &de, off, sizeof de) != sizeof de || de.inum != 0)
      return 0;
  return 1;
}

static int64 do_unlink(struct svc_req *r, struct ptable *pt) {
  char path[MAXPATH], name[DIRSIZ];
  uint off;
  if (get_path(r, 0, path) < 0)
    return E_INVAL;
  log_begin();
  struct inode *dp = nameiparent(path, pt->cwd, name), *ip = 0;
  int64 e = E_INVAL;
  if (dp && namecmp(name, ".") != 0 && namecmp(name, "..") != 0 && (ip = dirlookup(dp, name, &off)) != 0) {
    iload(dp);
    iload(ip);
    if (ip->type != T_DIR || isdirempty(ip)) {
      struct dirent de = {0};
      if (writei(dp, &de, off, sizeof de) == sizeof de) {
        if (ip->type == T_DIR) {
          dp->nlink--;                         // its ".." is gone
          iupdate(dp);
        }
        ip->nlink--;
        iupdate(ip);
        e = 0;
      }
    }
  }
  if (ip)
    iput(ip);
  if (dp)
    iput(dp);
  log_end();
  return e;
}

static int64 do_make(struct svc_req *r, struct ptable *pt, short type) {
  char path[MAXPATH];
  if (get_path(r, 0, path) < 0)
    return E_INVAL;
  log_begin();
  struct inode *ip = create(path, pt->cwd, type, r->w[0], r->w[1]);
  if (ip)
    iput(ip);
  log_end();
  return ip ? 0 : E_INVAL;
}

static int64 do_chdir(struct svc_req *r, struct ptable *pt) {
  char path[MAXPATH];
  if (get_path(r, 0, path) < 0)
    return E_INVAL;
  struct inode *ip = namei(path, pt->cwd);
  if (!ip)
    return E_INVAL;
  iload(ip);
  log_begin();
  if (ip->type != T_DIR) {
    iput(ip);
    log_end();
    return E_INVAL;
  }
  iput(pt->cwd);
  log_end();
  pt->cwd = ip;
  return 0;
}

void fs_handle(struct svc_req *r) {
  int64 e;
  fs_ioerror = 0;
  r->rlabel = 0;
  if (r->label >= FS_FORK && r->label <= FS_EXIT) {
    e = r->badge == fsh_proc_badge() ? process(r) : E_PERM;
    r->rlabel = e < 0 ? (uint64)e : 0;
    return;
  }
  struct ptable *pt = table_of(r->badge, 1);
  if (!pt) {
    r->rlabel = E_NOMEM;
    return;
  }
  struct file *f;
  uint64 done = 0;
  switch (r->label) {
  case FS_OPEN: e = do_open(r, pt); break;
  case FS_READ:
  case FS_WRITE:
    e = rw(r, pt, &done);
    if (e == PARKED)
      park(r, pt, done);
    if (r->label == FS_WRITE || e == 0)
      wake_parked();                           // data for readers, or room for writers
    if (e == PARKED)
      return;
    break;
  case FS_CLOSE:
    if ((f = fd_file(pt, r->w[0])) == 0) {
      e = E_INVAL;
      break;
    }
    pt->fd[r->w[0]] = 0;
    fclose(f);
    e = 0;
    break;
  case FS_DUP: {
    int fd = (f = fd_file(pt, r->w[0])) ? fdalloc(pt, f) : -1;
    if (fd < 0) {
      e = E_INVAL;
      break;
    }
    f->ref++;
    r->rw[0] = fd;
    e = 0;
    break;
  }
  case FS_PIPE: e = do_pipe(r, pt); break;
  case FS_FSTAT: {
    struct stat st;
    if ((f = fd_file(pt, r->w[0])) == 0 || f->type == FD_PIPE) {
      e = E_INVAL;
      break;
    }
    iload(f->ip);
    stati(f->ip, &st);
    e = svc_copy_to(r, 0, &st, sizeof st) < 0 ? E_INVAL : 0;
    break;
  }
  case FS_LINK: e = do_link(r, pt); break;
  case FS_UNLINK: e = do_unlink(r, pt); break;
  case FS_MKDIR: e = do_make(r, pt, T_DIR); break;
  case FS_MKNOD: e = do_make(r, pt, T_DEVICE); break;
  case FS_CHDIR: e = do_chdir(r, pt); break;
  case FS_STAT:
    r->rw[0] = log_commits;
    r->rw[1] = log_blocks;
    e = 0;
    break;
  default: e = E_INVAL;
  }
  if (fs_ioerror && e == 0)
    e = E_INVAL;
  r->rlabel = e < 0 ? (uint64)e : 0;
}

void fs_notify(uint64 bits) {
  if (bits & FS_CONS_BIT)
    wake_parked();
}

// Mount: the superblock, recovery from the log, and the console's line notices.
void fs_init(void) {
  binit();
  iinit();
  log_init();
  struct svc_msg m = {TAG(CONS_LISTEN, 0, 0), {EP_FS, FS_CONS_BIT, 0, 0}};
  svc_call(EP_CONSOLE, &m, 0);
}

