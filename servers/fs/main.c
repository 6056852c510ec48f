// The file server: the file core (bio.c, log.c, inode.c, file.c, fsops.c) in a task
// of its own, on EP_FS, with one worker. The server's way (kernel/kfs.c is the same
// boundary layer in the kernel's way; the two are duplication by design):
//   - a request is a message; the caller's badge is its identity: its fd table is
//     the core's table of that owner, and FS_FORK/EXEC/EXIT come from the process
//     server alone;
//   - a read or write that must wait (an empty or full pipe, no console line yet) is
//     deferred: its caller stays blocked in its call, the server goes on serving and
//     answers it when its pipe changes or the console announces a line; a deferred
//     request of a client that dies is dropped;
//   - paths and data move by bulk copy with the request's token; a failed copy
//     changes nothing (copy in before writing; copy out, then consume); a read's
//     bytes go straight from the cache or the pipe to the client (fsh_copyout);
//     a read or write of at most FS_INLINE bytes without a buffer has them in the
//     message words instead (fsproto.h);
//   - blocks and console lines are messages to the disk and console drivers, whose
//     failures (E_DEAD: the driver is gone) become errors for the client, never a hang;
//   - a request that changes the disk is an operation of a transaction, committed
//     before the reply; two clients writing in turn share commits (group commit);
//   - a socket's fd holds the network server's socket: reads and writes go there (the
//     client's library asks it, FS_SOCKREF), and the last close closes it.
#include "servers/lib/server.h"
#include "servers/fs/fs.h"
#include "servers/disk/disk.h"
#include "servers/console/cons.h"
#include "servers/net/net.h"
#include "kernel/fcntl.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define CHUNK (WRITE_MAX > PIPESIZE ? WRITE_MAX : PIPESIZE)
#define NPARK 64
#define FS_HELD (-101)         // not an error: a write's reply is held (group commit)

// @lab 03 solution: the file server
// A deferred read or write, tried again when what it waits on changes: its pipe (the
// core stamps a pipe at each change) or, for the console, a line.
struct park {
  int used;
  struct req r;
  uint64 done;                 // bytes of a pipe write already moved
  struct pipe *pipe;           // what it waits on; 0: the console
  uint64 seen;                 // the pipe's stamp when it was last tried
};

static struct park parks[NPARK];
static int nparked;            // parks in use (the first free one is taken: they gather at the start)
static char buf[CHUNK];        // one worker: one request at a time

// ---- group commit ----
// Two clients writing files in turn would each wait for a commit of their own (four
// disk writes). Instead, as Linux's jbd2 does for synchronous writers: when this
// client and another both wrote moments ago, the other is likely to write again as
// soon as its reply is out. So this write's last operation leaves its
// transaction open (log_end_open) and its reply is held, deferred, until the next
// operation -- most likely that client's write -- ends and commits both, or about a
// commit's time has passed (an alarm: FS_HOLD_BIT). A lone writer never waits.
static struct req held;          // the held write (token 0: none)
static uint64 held_t, held_until;
static struct { uint64 client, ns; } writers[2];   // the last two clients that wrote, and when
static uint64 commit_ns = 1000000;   // a commit's time, averaged (guest time)
static uint64 timebase;          // rdtime's ticks a second (bootinfo), 0: unknown

// Guest time in ns, without a system call (the kernel lets user code read the time).
static uint64 now_ns(void) {
  uint64 t;
  if (!timebase)
    return time_ns();
  asm volatile("rdtime %0" : "=r"(t));
  return t / timebase * 1000000000 + t % timebase * 1000000000 / timebase;
}

// Do this client and another take turns: did both write moments ago? (A process
// that writes once, as echo does, never waits.) Then remember this write.
static int taking_turns(uint64 client, uint64 now) {
  int me = writers[0].client == client ? 0 : writers[1].client == client ? 1 : -1, turns = 0;
  if (me >= 0) {
    uint64 other = writers[1 - me].client, ns = writers[1 - me].ns;
    turns = other && now - ns < 2 * commit_ns && now - writers[me].ns < 2 * commit_ns;
  }
  if (me != 0)
    writers[1] = writers[0];
  writers[0].client = client;
  writers[0].ns = now;
  return turns;
}

// Ends the operation of r's write; last: the write's last. 1: its reply is held.
static int end_write(struct req *r, int last) {
  uint64 now = now_ns(), commits = log_commits;
  int hold = taking_turns(r->badge, now) && last && !held.token;
  if (hold) {
    held_t = log_end_open();
    held_until = now + commit_ns;
    alarm_ns(EP_FS, FS_HOLD_BIT, commit_ns);
    return 1;
  }
  log_end();                                   // committed before the reply (a held write's too)
  uint64 took = now_ns() - now;
  if (log_commits != commits && took < 10 * commit_ns)
    commit_ns = (7 * commit_ns + took) / 8;
  return 0;
}

// Answers the held write once its transaction is done.
static void answer_held(void) {
  if (held.token && log_committed >= held_t) {
    held.rlabel = log_failed >= held_t ? (uint64)E_INVAL : 0;
    answer(&held);                             // E_NOREPLY if its caller is gone: fine
    held.token = 0;
  }
}

// ---- the disk and the console, by message ----
// A driver the supervisor restarts is called again (call_restartable): its clients
// never see it die; one that does not come back is an error.

int fsh_disk_read(uint blockno, void *dst) {
  struct msg m = {.tag = TAG(DISK_READ, BUF_W, BSIZE), .w = {blockno}};
  int64 e = call_restartable(EP_DISK, &m, dst);
  return e < 0 ? e : (short)TAG_LABEL(m.tag);
}

int fsh_disk_write(const uint *where, void *const *src, int n) {
  static char v[DISK_VHDR + DISK_MAXV * BSIZE];
  for (int i = 0; i < n; i++) {
    ((uint32 *)v)[i] = where[i];
    memmove(v + DISK_VHDR + i * BSIZE, src[i], BSIZE);
  }
  struct msg m = {.tag = TAG(DISK_WRITEV, BUF_R, DISK_VHDR + n * BSIZE), .w = {n}};
  int64 e = call_restartable(EP_DISK, &m, v);
  return e < 0 ? e : (short)TAG_LABEL(m.tag);
}

static int64 cons(uint64 label, uint64 w0, uint64 w1, void *p, uint64 len, int rights, struct msg *m) {
  *m = (struct msg){.tag = TAG(label, rights, len), .w = {w0, w1}};
  int64 e = call_restartable(EP_CONSOLE, m, p);
  return e < 0 ? e : (short)TAG_LABEL(m->tag);
}

// ---- reads and writes: FS_BLOCK means defer ----
// A read or write without a buffer has its bytes in the message words (at most
// FS_INLINE, fsproto.h): the request's w2, w3 for a write, the reply's rw1, rw2 for a
// read. Small transfers (a pipe's byte, a line of the shell) so need no bulk copy.

static uint64 rw_len(struct req *r) { return r->buflen ? r->buflen : r->w[1]; }

// A few bytes: a plain loop (memmove's word-at-a-time set-up costs more).
static void copy_small(char *dst, const char *src, uint64 n) {
  for (uint64 i = 0; i < n; i++)
    dst[i] = src[i];
}

static int64 from_client(struct req *r, uint64 off, void *dst, uint64 n) {
  if (r->buflen)
    return ipc_copy_from(r->token, off, dst, n);
  copy_small(dst, (char *)&r->w[2] + off, n);
  return 0;
}

static int64 to_client(struct req *r, uint64 off, const void *src, uint64 n) {
  if (r->buflen)
    return ipc_copy_to(r->token, off, src, n);
  copy_small((char *)&r->rw[1] + off, src, n);
  return 0;
}

static int64 read_console(struct req *r) {
  struct msg m;
  uint64 n = rw_len(r) < CONS_MAXLINE ? rw_len(r) : CONS_MAXLINE;
  int64 e = cons(CONS_READ, n, 0, buf, n, BUF_W, &m);
  if (e < 0)
    return e == E_DEAD ? E_DEAD : E_INVAL;
  if (m.w[1])
    return FS_BLOCK;                           // no line yet: the console will notify us
  if (m.w[0] > n)
    return E_INVAL;                            // more than we asked for: a bad reply
  if ((e = to_client(r, 0, buf, m.w[0])) < 0)
    return e;                                  // (the line is gone: the console gave it)
  r->rw[0] = m.w[0];
  return 0;
}

static int64 write_console(struct req *r) {
  struct msg m;
  uint64 len = rw_len(r);
  for (uint64 off = 0; off < len;) {
    uint64 n = len - off < CHUNK ? len - off : CHUNK;
    int64 e = from_client(r, off, buf, n);
    if (e < 0 || (e = cons(CONS_WRITE, 0, 0, buf, n, BUF_R, &m)) < 0)
      return off ? (int64)(r->rw[0] = off, 0) : e;
    off += n;
  }
  r->rw[0] = len;
  return 0;
}

// The core delivers a read's bytes straight from its cache or pipe to the client:
// client is the request (file_read(f, r, n)), off the place in its buffer.
int fsh_copyout(void *client, uint64 off, const void *src, uint64 n) {
  int64 e = to_client(client, off, src, n);
  return e < 0 ? e : 0;
}

// An inode's bytes, or a pipe's (FS_BLOCK: empty, its writer open).
static int64 read_file(struct req *r, struct file *f) {
  int64 k = rw_len(r) ? file_read(f, r, rw_len(r)) : 0;
  if (k == FS_BLOCK || k < 0)
    return k;                                  // a failed copy: nothing consumed
  file_consume(f, k);                          // only what the client got
  r->rw[0] = k;
  return 0;
}

// *done: bytes already written (a pipe write that waits goes on where it stopped).
static int64 write_file(struct req *r, struct file *f, uint64 *done) {
  uint64 len = rw_len(r);
  while (*done < len) {
    uint64 n = len - *done < CHUNK ? len - *done : CHUNK;
    if (f->type == FD_INODE && n > WRITE_MAX)
      n = WRITE_MAX;                           // a transaction fits in the log
    int64 k = from_client(r, *done, buf, n);
    if (k < 0)
      return *done ? (int64)(r->rw[0] = *done, 0) : k;
    int held_reply = 0;
    if (f->type == FD_PIPE) {
      k = file_write(f, buf, n);               // a pipe: no disk, no transaction
    } else {
      log_begin();
      k = file_write(f, buf, n);
      held_reply = end_write(r, k == (int64)n && *done + n == len && !fs_ioerror);
    }
    if (k == FS_BLOCK)
      return FS_BLOCK;
    if (k < 0 || fs_ioerror)
      return *done ? (int64)(r->rw[0] = *done, 0) : E_INVAL;
    *done += k;
    if (held_reply)
      return r->rw[0] = *done, FS_HELD;        // answered after the commit
    if (k == 0)
      return *done ? (int64)(r->rw[0] = *done, 0) : E_NOMEM;   // file at its largest, disk full
  }
  r->rw[0] = *done;
  return 0;
}

// f: the file of the request's fd (0: none).
static int64 rw(struct req *r, struct file *f, uint64 *done) {
  int write = r->label == FS_WRITE;
  if (!f || (write ? !f->writable : !f->readable) || (!r->buflen && r->w[1] > FS_INLINE))
    return E_INVAL;
  if (f->type == FD_SOCKET) {                  // the client asks the network server itself
    r->rw[0] = f->sock, r->rw[1] = f->key;
    return FS_SOCKREF;
  }
  if (f->type == FD_DEVICE)
    return write ? write_console(r) : read_console(r);
  return write ? write_file(r, f, done) : read_file(r, f);
}

// ---- deferred requests ----

// What a request on f that got FS_BLOCK waits on: its pipe, or 0 for the console.
static struct pipe *waits_on(struct file *f) { return f->type == FD_PIPE ? f->pipe : 0; }

// 0, or E_NOMEM: too many waiting requests, or FS_MAXWAIT of this client's already.
static int64 park(struct req *r, uint64 done, struct pipe *on) {
  struct park *p = 0;
  int mine = 0;
  for (int i = 0, left = nparked; i < NPARK && (left > 0 || !p); i++) {
    if (!parks[i].used)
      p = p ? p : &parks[i];
    else
      mine += parks[i].r.badge == r->badge, left--;
  }
  if (!p || mine >= FS_MAXWAIT)
    return E_NOMEM;
  defer(r);
  p->r = *r;                                   // (field by field: no struct built first)
  p->done = done;
  p->pipe = on;
  p->seen = p->pipe ? p->pipe->stamp : 0;
  p->used = 1;
  nparked++;
  return 0;
}

// Pipes changed (console 0) or a console line came (1): try again the deferred
// requests whose pipe changed since they last tried, and those on the console.
static void retry(int console) {
  for (int again = 1; again;) {
    again = 0;
    fs_changed = 0;
    for (int i = 0, left = nparked; i < NPARK && left > 0; i++) {
      struct park *p = &parks[i];
      if (!p->used)
        continue;
      left--;
      if (p->pipe ? p->pipe->stamp == p->seen : !console)
        continue;
      fs_ioerror = 0;
      struct file *f = fd_file(fdtab_of(p->r.badge, 0), p->r.w[0]);   // (it may be closed now)
      // (a file there now, opened by another thread of the client's: not what it waited on)
      int64 e = f && f->type == FD_INODE ? E_INVAL : rw(&p->r, f, &p->done);
      if (e == FS_BLOCK) {
        p->pipe = waits_on(f);                 // (its own partial write stamped it too)
        p->seen = p->pipe ? p->pipe->stamp : 0;
        continue;
      }
      p->used = 0;
      nparked--;
      p->r.rlabel = e < 0 ? (uint64)e : 0;
      answer(&p->r);                           // E_NOREPLY if its caller is gone: fine
    }
    again = fs_changed;                        // progress may unblock another
  }
}

// ---- the requests ----

// The path at off in the caller's buffer: its length, or E_INVAL.
static int get_path(struct req *r, uint64 off, char *path) {
  uint64 n = r->buflen - off < MAXPATH ? r->buflen - off : MAXPATH;
  if (off >= r->buflen || ipc_copy_from(r->token, off, path, n) < 0)
    return E_INVAL;
  for (uint64 i = 0; i < n; i++)
    if (path[i] == 0)
      return i;
  return E_INVAL;
}

static int64 do_open(struct req *r, struct fdtab *t) {
  char path[MAXPATH];
  if (get_path(r, 0, path) < 0)
    return E_INVAL;
  struct inode *cwd = t->cwd;
  if (r->w[1] && r->badge == (uint64)ep_owner(EP_PROC)) {
    struct fdtab *of = fdtab_of(r->w[1], 0);   // the process server opens a program for
    cwd = of ? of->cwd : cwd;                  // exec, from that process's directory
  }
  log_begin();
  int64 fd = fs_open(t, cwd, path, r->w[0]);
  log_end();
  r->rw[0] = fd;
  return fd < 0 ? fd : 0;
}

static int64 do_paths(struct req *r, struct fdtab *t) {
  char path[MAXPATH], new[MAXPATH];
  int n = get_path(r, 0, path), e = E_INVAL;
  if (n < 0 || (r->label == FS_LINK && get_path(r, n + 1, new) < 0))
    return E_INVAL;
  log_begin();
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

// FS_SOCKET: the caller's socket becomes ours at the network server (so its death does
// not close it: the last close does), then an fd of the caller's.
static int64 new_socket(struct req *r, struct fdtab *t) {
  struct msg m = {.tag = TAG(NET_ADOPT, 0, 0), .w = {r->w[0], 0, 0, r->w[1]}};
  int64 e = ipc_call(EP_NET, &m, 0);
  if (e < 0 || (e = (short)TAG_LABEL(m.tag)) < 0)
    return e;
  struct file *f = file_alloc();
  if (!f)
    return E_NOMEM;            // (the socket stays the caller's to close)
  *f = (struct file){.type = FD_SOCKET, .ref = 1, .readable = 1, .writable = 1, .sock = r->w[0], .key = r->w[1]};
  int64 fd = fd_alloc(t, f);
  if (fd < 0)
    file_close(f);
  r->rw[0] = fd;
  return fd < 0 ? fd : 0;
}

// From the process server: fork, exec, exit of a process (w0, w1: tasks).
static int64 process(struct req *r) {
  int64 e = 0;
  log_begin();
  switch (r->label) {
  case FS_FORK: e = fdtab_fork(r->w[0], r->w[1]); break;
  case FS_EXEC: e = fdtab_exec(r->w[0], r->w[1]); break;
  case FS_EXIT:
    for (int i = 0; i < NPARK; i++)
      if (parks[i].used && parks[i].r.badge == r->w[0])
        parks[i].used = 0, nparked--;          // its caller is gone: no reply
    fdtab_exit(r->w[0]);                       // every fd closed: its pipes' other ends see it
    break;
  }
  log_end();
  return e;
}

static int64 request(struct req *r, struct fdtab *t) {
  int64 e, fd1;
  uint64 done = 0;
  struct stat st;
  struct file *f;
  switch (r->label) {
  case FS_OPEN: return do_open(r, t);
  case FS_READ:
  case FS_WRITE:
    f = fd_file(t, r->w[0]);
    e = rw(r, f, &done);
    if (e == FS_HELD) {
      defer(r);
      held = *r;
      return 0;
    }
    if (e == FS_BLOCK && (e = park(r, done, waits_on(f))) < 0 && done)
      return r->rw[0] = done, 0;               // no room to wait: what was written
    return e;
  case FS_CLOSE:
    log_begin();
    e = fd_close(t, r->w[0]);
    log_end();
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
    return ipc_copy_to(r->token, 0, &st, sizeof st) < 0 ? E_INVAL : 0;
  case FS_LINK:
  case FS_UNLINK:
  case FS_MKDIR:
  case FS_MKNOD:
  case FS_CHDIR: return do_paths(r, t);
  case FS_STAT:
    r->rw[0] = log_commits;
    r->rw[1] = log_blocks;
    return 0;
  case FS_SOCKET: return new_socket(r, t);
  case FS_SOCKOF:
    f = fd_file(t, r->w[0]);
    if (!f || f->type != FD_SOCKET)
      return E_INVAL;
    r->rw[0] = f->sock, r->rw[1] = f->key;
    return 0;
  }
  return E_INVAL;
}

static void handle(struct req *r) {
  int64 e;
  fs_ioerror = 0;
  if (r->label >= FS_FORK && r->label <= FS_EXIT) {
    e = r->badge == (uint64)ep_owner(EP_PROC) ? process(r) : E_PERM;
  } else {
    struct fdtab *t = fdtab_of(r->badge, 1);
    e = t ? request(r, t) : E_NOMEM;
  }
  if (fs_ioerror && e == 0)
    e = E_INVAL;
  r->rlabel = e < 0 ? (uint64)e : 0;
  if (fs_changed)
    retry(0);                                  // data for readers, room for writers, ends closed
  answer_held();                               // (our operation committed it)
  uint64 sock, key;
  while (file_sock_closed(&sock, &key)) {      // a socket's last fd closed: close the socket
    struct msg m = {.tag = TAG(NET_CLOSE, 0, 0), .w = {sock, 0, 0, key}};
    ipc_call(EP_NET, &m, 0);
  }
}

static void listen_console(void) {
  struct msg m;
  cons(CONS_LISTEN, EP_FS, FS_CONS_BIT, 0, 0, 0, &m);
}

static void notified(uint64 bits) {
  if (bits & FS_RESTART_BIT)
    listen_console();                          // a new console driver: tell it again
  if (bits & (FS_CONS_BIT | FS_RESTART_BIT))
    retry(1);
  if ((bits & FS_HOLD_BIT) && held.token) {
    uint64 now = now_ns();
    if (now < held_until)
      alarm_ns(EP_FS, FS_HOLD_BIT, held_until - now);   // an earlier hold's alarm
    else
      log_commit();                            // nobody came: commit it alone
    answer_held();
  }
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  timebase = get_bootinfo(&bi) < 0 ? 0 : bi.timebase;
  binit();
  iinit();
  log_init();                                  // recovery: a committed log is installed
  listen_console();
  serve(EP_FS, 1, handle, notified);
  return 0;
}
// @lab 03 stub
//: // TODO (lab 03): the file server (README.md, exercise 1; kernel/kfs.c is the same
//: // boundary layer inside the kernel: port it to messages, badges, deferred replies
//: // and bulk copies). The core (fs.h) asks its host for the disk: fsh_disk_read,
//: // fsh_disk_write (DISK_READ, DISK_WRITEV to EP_DISK); and to deliver a read's
//: // bytes to the client: fsh_copyout (ipc_copy_to; or, for a read that came without
//: // a buffer, the reply's words: fsproto.h's FS_INLINE).
//: int fsh_disk_read(uint blockno, void *dst) { return E_DEAD; }
//: int fsh_disk_write(const uint *where, void *const *src, int n) { return E_DEAD; }
//: int fsh_copyout(void *client, uint64 off, const void *src, uint64 n) { return E_DEAD; }
//:
//: int main(int argc, char *argv[]) {
//:   printf("fs: the file server is not written yet (lab 03)\n");
//:   return 1;
//: }
// @lab 03 end
