// Inodes, their blocks, directories and path names (xv6's format: kernel/fs.h).
// Every change goes through the log (log_write); callers bracket a request with
// log_begin/log_end.
#include "servers/fs/fs.h"

#define NINODE 64

struct superblock sb;
static struct inode inodes[NINODE];

static void bzero_block(uint b) {
  struct buf *bp = bread(b);
  for (int i = 0; i < BSIZE; i++)
    bp->data[i] = 0;
  log_write(bp);
  brelse(bp);
}

// A free data block, marked used and zeroed; 0 if the disk is full. The bitmap is
// scanned 64 bits at a time (a word of ones is 64 blocks in use); on a little-endian
// machine bit bi of the block is bit bi % 64 of word bi / 64.
static uint balloc(void) {
  for (uint b = 0; b < sb.size; b += BPB) {
    struct buf *bp = bread(BBLOCK(b, sb));
    uint64 *w = (uint64 *)bp->data;
    for (uint wi = 0; wi < BPB / 64 && b + wi * 64 < sb.size; wi++) {
      if (w[wi] == ~0UL)
        continue;
      uint bi = wi * 64;
      while (w[wi] >> (bi % 64) & 1)
        bi++;
      if (b + bi >= sb.size)
        break;
      w[wi] |= 1UL << (bi % 64);
      log_write(bp);
      brelse(bp);
      bzero_block(b + bi);
      return b + bi;
    }
    brelse(bp);
  }
  return 0;
}

static void bfree(uint b) {
  struct buf *bp = bread(BBLOCK(b, sb));
  int m = 1 << (b % BPB % 8);
  bp->data[b % BPB / 8] &= ~m;
  log_write(bp);
  brelse(bp);
}

void iinit(void) {
  struct buf *bp = bread(1);
  sb = *(struct superblock *)bp->data;
  brelse(bp);
}

struct inode *iget(uint inum) {
  struct inode *empty = 0;
  for (struct inode *ip = inodes; ip < inodes + NINODE; ip++) {
    if (ip->ref > 0 && ip->inum == inum) {
      ip->ref++;
      return ip;
    }
    if (!empty && ip->ref == 0)
      empty = ip;
  }
  if (!empty)
    return 0;
  empty->inum = inum;
  empty->ref = 1;
  empty->valid = 0;
  return empty;
}

struct inode *idup(struct inode *ip) {
  ip->ref++;
  return ip;
}

// Load the on-disk fields if they are not in memory yet.
void iload(struct inode *ip) {
  if (ip->valid)
    return;
  struct buf *bp = bread(IBLOCK(ip->inum, sb));
  struct dinode *d = (struct dinode *)bp->data + ip->inum % IPB;
  ip->type = d->type;
  ip->major = d->major;
  ip->minor = d->minor;
  ip->nlink = d->nlink;
  ip->size = d->size;
  for (int i = 0; i < NDIRECT + 2; i++)
    ip->addrs[i] = d->addrs[i];
  brelse(bp);
  ip->valid = 1;
}

void iupdate(struct inode *ip) {
  struct buf *bp = bread(IBLOCK(ip->inum, sb));
  struct dinode *d = (struct dinode *)bp->data + ip->inum % IPB;
  d->type = ip->type;
  d->major = ip->major;
  d->minor = ip->minor;
  d->nlink = ip->nlink;
  d->size = ip->size;
  for (int i = 0; i < NDIRECT + 2; i++)
    d->addrs[i] = ip->addrs[i];
  log_write(bp);
  brelse(bp);
}

struct inode *ialloc(short type) {
  for (uint inum = 1; inum < sb.ninodes; inum++) {
    struct buf *bp = bread(IBLOCK(inum, sb));
    struct dinode *d = (struct dinode *)bp->data + inum % IPB;
    if (d->type == 0) {
      struct inode *ip = iget(inum);
      if (!ip) {
        brelse(bp);
        return 0;
      }
      for (uint i = 0; i < sizeof *d; i++)
        ((char *)d)[i] = 0;
      d->type = type;
      log_write(bp);
      brelse(bp);
      ip->valid = 0;
      iload(ip);
      return ip;
    }
    brelse(bp);
  }
  return 0;                          // no free inode
}

// Free block b and, depth levels down, every block it lists (depth 1: an indirect
// block, 2: a doubly-indirect one). Map blocks are only read: bfree logs the bitmap.
static void bfree_tree(uint b, int depth) {
  if (depth > 0) {
    struct buf *bp = bread(b);
    uint *a = (uint *)bp->data;
    for (uint j = 0; j < NINDIRECT; j++)
      if (a[j])
        bfree_tree(a[j], depth - 1);
    brelse(bp);
  }
  bfree(b);
}

// Free every block of ip (its contents are gone).
void itrunc(struct inode *ip) {
  for (int i = 0; i < NDIRECT + 2; i++) {
    if (ip->addrs[i]) {
      bfree_tree(ip->addrs[i], i < NDIRECT ? 0 : i - NDIRECT + 1);
      ip->addrs[i] = 0;
    }
  }
  ip->size = 0;
  iupdate(ip);
}

// Drop a reference; the last reference to an inode with no links frees it.
void iput(struct inode *ip) {
  if (ip->ref == 1 && ip->valid && ip->nlink == 0) {
    itrunc(ip);
    ip->type = 0;
    iupdate(ip);
    ip->valid = 0;
  }
  ip->ref--;
}

// Entry i of map block *slot (an indirect block), allocating the map block (into
// *slot, which the caller saves) and the entry if alloc; 0 if none (or the disk is full).
static uint mapentry(uint *slot, uint i, int alloc) {
  if (!*slot && (!alloc || (*slot = balloc()) == 0))
    return 0;
  struct buf *bp = bread(*slot);
  uint *a = (uint *)bp->data, addr = a[i];
  if (!addr && alloc && (addr = balloc()) != 0) {
    a[i] = addr;
    log_write(bp);
  }
  brelse(bp);
  return addr;
}

// The disk block holding block bn of ip, allocated if alloc; 0 if none (or full).
// A block may need two map blocks allocated with it: the doubly-indirect block and one
// of its indirect blocks (WRITE_MAX counts them).
static uint bmap(struct inode *ip, uint bn, int alloc) {
  if (bn < NDIRECT) {
    if (!ip->addrs[bn] && alloc && (ip->addrs[bn] = balloc()) == 0)
      return 0;
    return ip->addrs[bn];
  }
  bn -= NDIRECT;
  if (bn < NINDIRECT)
    return mapentry(&ip->addrs[NDIRECT], bn, alloc);
  bn -= NINDIRECT;
  if (bn >= NDINDIRECT)
    return 0;
  // The doubly-indirect block lists indirect blocks; entry bn / NINDIRECT's holds bn.
  uint ind = mapentry(&ip->addrs[NDIRECT + 1], bn / NINDIRECT, alloc);
  if (!ind)
    return 0;
  return mapentry(&ind, bn % NINDIRECT, alloc);
}

// n bytes at src to where readi's caller asked (readi in fs.h): 0 or an error.
static int copyout(void *client, uint64 dst, const void *src, uint n) {
  if (client)
    return fsh_copyout(client, dst, src, n);
  for (uint i = 0; i < n; i++)
    ((char *)dst)[i] = ((const char *)src)[i];
  return 0;
}

// Bytes read (fewer at the end of the file), or the error of a copy that failed.
int readi(struct inode *ip, void *client, uint64 dst, uint off, uint n) {
  static const uchar hole[BSIZE];    // a block never written reads as zeros
  if (off > ip->size || off + n < off)
    return 0;
  if (off + n > ip->size)
    n = ip->size - off;
  for (uint tot = 0, m; tot < n; tot += m, off += m) {
    uint addr = bmap(ip, off / BSIZE, 0);
    m = BSIZE - off % BSIZE < n - tot ? BSIZE - off % BSIZE : n - tot;
    struct buf *bp = addr ? bread(addr) : 0;
    int e = copyout(client, dst + tot, (bp ? bp->data : hole) + off % BSIZE, m);
    if (bp)
      brelse(bp);
    if (e < 0)
      return e;
  }
  return n;
}

// Returns the bytes written: fewer than n when the file reaches MAXFILE or the disk is full.
int writei(struct inode *ip, const void *src, uint off, uint n) {
  if (off > ip->size || off + n < off)
    return -1;
  if (off + n > MAXFILE * BSIZE)
    n = MAXFILE * BSIZE - off;
  uint tot = 0;
  for (uint m; tot < n; tot += m, off += m) {
    uint addr = bmap(ip, off / BSIZE, 1);
    if (!addr)
      break;
    m = BSIZE - off % BSIZE < n - tot ? BSIZE - off % BSIZE : n - tot;
    struct buf *bp = bread(addr);
    for (uint i = 0; i < m; i++)
      bp->data[off % BSIZE + i] = ((const char *)src)[tot + i];
    log_write(bp);
    brelse(bp);
  }
  if (off > ip->size)
    ip->size = off;
  iupdate(ip);                       // bmap may have changed addrs even without growth
  return tot;
}

void stati(struct inode *ip, struct stat *st) {
  st->dev = 1;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

int namecmp(const char *a, const char *b) {
  for (int i = 0; i < DIRSIZ; i++) {
    if (a[i] != b[i])
      return 1;
    if (!a[i])
      return 0;
  }
  return 0;
}

struct inode *dirlookup(struct inode *dp, const char *name, uint *poff) {
  struct dirent de;
  for (uint off = 0; off < dp->size; off += sizeof de) {
    if (readi(dp, 0, (uint64)&de, off, sizeof de) != sizeof de)
      break;
    if (de.inum && namecmp(name, de.name) == 0) {
      if (poff)
        *poff = off;
      return iget(de.inum);
    }
  }
  return 0;
}

int dirlink(struct inode *dp, const char *name, uint inum) {
  struct inode *ip = dirlookup(dp, name, 0);
  if (ip) {
    iput(ip);
    return -1;
  }
  struct dirent de;
  uint off;
  for (off = 0; off < dp->size; off += sizeof de)
    if (readi(dp, 0, (uint64)&de, off, sizeof de) != sizeof de || de.inum == 0)
      break;
  for (int i = 0; i < DIRSIZ; i++) {
    de.name[i] = name[i];
    if (!name[i]) {
      for (; i < DIRSIZ; i++)
        de.name[i] = 0;
      break;
    }
  }
  de.inum = inum;
  return writei(dp, &de, off, sizeof de) == sizeof de ? 0 : -1;
}

// The next element of path into name; returns the rest, or 0 if none is left.
static const char *skipelem(const char *path, char *name) {
  while (*path == '/')
    path++;
  if (!*path)
    return 0;
  const char *s = path;
  while (*path != '/' && *path)
    path++;
  int len = path - s;
  for (int i = 0; i < DIRSIZ; i++)
    name[i] = i < len ? s[i] : 0;
  while (*path == '/')
    path++;
  return path;
}

static struct inode *namex(const char *path, struct inode *cwd, int parent, char *name) {
  struct inode *ip = *path == '/' || !cwd ? iget(ROOTINO) : idup(cwd);
  if (!ip)
    return 0;
  while ((path = skipelem(path, name)) != 0) {
    iload(ip);
    if (ip->type != T_DIR) {
      iput(ip);
      return 0;
    }
    if (parent && *path == '\0')
      return ip;
    struct inode *next = dirlookup(ip, name, 0);
    iput(ip);
    if (!next)
      return 0;
    ip = next;
  }
  if (parent) {
    iput(ip);
    return 0;
  }
  return ip;
}

struct inode *namei(const char *path, struct inode *cwd) {
  char name[DIRSIZ];
  return namex(path, cwd, 0, name);
}

struct inode *nameiparent(const char *path, struct inode *cwd, char *name) {
  return namex(path, cwd, 1, name);
}
