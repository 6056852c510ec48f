// The file core's internal interfaces: the buffer cache (bio.c), the log (log.c),
// inodes and directories (inode.c). file.c serves requests on top of them.
#pragma once
#include "servers/include/svc.h"
#include "kernel/stat.h"
#include "kernel/fs.h"

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
  uint addrs[NDIRECT + 1];
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
void log_end(void);
extern uint64 log_commits, log_blocks;

// inode.c
void iinit(void);
struct inode *iget(uint inum);
struct inode *idup(struct inode *ip);
void iload(struct inode *ip);
void iput(struct inode *ip);
void iupdate(struct inode *ip);
void itrunc(struct inode *ip);
struct inode *ialloc(short type);
int readi(struct inode *ip, void *dst, uint off, uint n);
int writei(struct inode *ip, const void *src, uint off, uint n);
void stati(struct inode *ip, struct stat *st);
struct inode *dirlookup(struct inode *dp, const char *name, uint *poff);
int dirlink(struct inode *dp, const char *name, uint inum);
struct inode *namei(const char *path, struct inode *cwd);
struct inode *nameiparent(const char *path, struct inode *cwd, char *name);
int namecmp(const char *a, const char *b);
