// The file core, shared by both hosts of the file system (kernel/kfs.c at stages 1-2,
// the file server servers/fs/main.c from stage 3): the buffer cache (bio.c), the log
// (log.c), inodes and directories (inode.c), open files, pipes and fd tables
// (file.c), the operations on names (fsops.c). No messages, no waiting: the host
// decodes requests, copies its client's data, makes callers wait and wakes them.
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "servers/fs/fsproto.h"

struct buf {
  int valid;                 // data holds the block
  int refcnt;                // users, plus one while logged and not yet installed
  uint blockno;
  struct buf *prev, *next;   // LRU list
  uchar data[BSIZE];
};

struct inode {
  uint inum;
  int ref;                   // references in memory (open files, cwds, lookups)
  int valid;                 // the fields below are loaded
  short type, major, minor, nlink;
  uint size;
  uint addrs[NDIRECT + 2];
};

extern struct superblock sb;
extern int fs_ioerror;       // a disk request failed during this request

// bio.c
void binit(void);
struct buf *bread(uint blockno);
void brelse(struct buf *b);
int bwrite_many(struct buf **bs, const uint *where, int n);   // to disk, at where[i] (not b->blockno)
int bwrite_one(struct buf *b);

// log.c
void log_init(void);
void log_begin(void);
void log_write(struct buf *b);
void log_end(void);               // commits
uint64 log_end_open(void);        // leaves it open for the next operation (group commit): its number
void log_commit(void);
extern uint64 log_committed, log_failed, log_commits, log_blocks;

// inode.c
void iinit(void);
struct inode *iget(uint inum);
struct inode *idup(struct inode *ip);
void iload(struct inode *ip);
void iput(struct inode *ip);
void iupdate(struct inode *ip);
void itrunc(struct inode *ip);
struct inode *ialloc(short type);
// client 0: dst is an address in the host's memory; else the offset in that client's
// buffer, reached through fsh_copyout (one copy per block, straight from the cache).
int readi(struct inode *ip, void *client, uint64 dst, uint off, uint n);
int writei(struct inode *ip, const void *src, uint off, uint n);
void stati(struct inode *ip, struct stat *st);
struct inode *dirlookup(struct inode *dp, const char *name, uint *poff);
int dirlink(struct inode *dp, const char *name, uint inum);
struct inode *namei(const char *path, struct inode *cwd);
struct inode *nameiparent(const char *path, struct inode *cwd, char *name);
int namecmp(const char *a, const char *b);

// file.c, fsops.c
#define FS_BLOCK (-100)      // not an error (no E_* is this): the operation must wait; nothing changed
#define PIPESIZE 512
// A file write of WRITE_MAX bytes logs at most MAXOPBLOCKS blocks: the inode's block,
// up to 3 map blocks (the indirect, doubly-indirect and one of its indirect blocks; or
// the doubly-indirect and two of its indirect blocks) each with the bitmap block of its
// allocation, WRITE_MAX / BSIZE data blocks and one more when the write is not aligned,
// each with its bitmap block. Must not exceed LOGBLOCKS (kernel/fs.h).
#define MAXOPBLOCKS 15
#define WRITE_MAX (((MAXOPBLOCKS - 1 - 2 * 3 - 2) / 2) * BSIZE)   // 3 KiB

enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE, FD_SOCKET };

struct pipe {
  int used;
  uint64 stamp;              // pipe_changes when it last changed (data, room, an end closed)
  char data[PIPESIZE];
  uint nread, nwrite;
  int readopen, writeopen;
};

struct file {
  int type, ref;
  char readable, writable;
  struct pipe *pipe;
  struct inode *ip;          // FD_INODE, FD_DEVICE (the console: its host reads and writes it)
  uint off;
  uint64 sock, key;          // FD_SOCKET: the network server's socket (its host reads and writes it)
};

// A client's descriptors, keyed by an owner id the host chooses (its task's badge).
struct fdtab {
  uint64 owner;              // 0: free
  struct file *fd[NOFILE];
  struct inode *cwd;
};

// Set when a pipe changed (data, room, an end closed): the host tries its waiting
// callers again and clears it. Each change also stamps the pipe with the count of
// changes so far, so a host tries again only those waiting on a pipe that moved.
extern int fs_changed;
extern uint64 pipe_changes;

struct fdtab *fdtab_of(uint64 owner, int create);   // 0: none (or no room)
int fdtab_fork(uint64 parent, uint64 child);
int fdtab_exec(uint64 old, uint64 new);
void fdtab_exit(uint64 owner);
struct file *fd_file(struct fdtab *t, uint64 fd);
struct file *file_alloc(void);
int64 fd_alloc(struct fdtab *t, struct file *f);
void file_close(struct file *f);
int fd_close(struct fdtab *t, uint64 fd);
int64 fd_dup(struct fdtab *t, uint64 fd);
int fs_pipe(struct fdtab *t, int64 *fd0, int64 *fd1);
int64 file_read(struct file *f, void *client, uint64 n);
void file_consume(struct file *f, uint64 n);
int64 file_write(struct file *f, const void *src, uint64 n);
int64 fs_open(struct fdtab *t, struct inode *cwd, const char *path, int omode);
int fs_link(struct inode *cwd, const char *old, const char *new);
int fs_unlink(struct inode *cwd, const char *path);
int fs_make(struct inode *cwd, const char *path, short type, short major, short minor);
int fs_chdir(struct fdtab *t, const char *path);
int fs_fstat(struct file *f, struct stat *st);
// A socket whose last fd was closed, for the host to close at the network server: 1
// and *sock, *key, or 0 when there is none.
int file_sock_closed(uint64 *sock, uint64 *key);

// ---- what the core needs from its host (fshost: kernel/kfs.c or servers/fs/main.c) ----
// Block blockno into dst (BSIZE bytes): 0, or an error (the disk failed or is gone).
int fsh_disk_read(uint blockno, void *dst);
// n <= DISK_MAXV blocks src[i] to the blocks where[i], all in flight at once: 0 or an error.
int fsh_disk_write(const uint *where, void *const *src, int n);
// n bytes at src to the buffer of client (what the host passed to file_read or readi)
// at off: 0, or an error (nothing of this piece delivered).
int fsh_copyout(void *client, uint64 off, const void *src, uint64 n);
