// fsck: an independent consistency checker for mv6 file-system images (xv6's
// on-disk format, kernel/fs.h).
//   fsck IMAGE
// Written from the format alone and sharing no code with mkfs.c, so that it
// does not share its bugs. A committed log is replayed in memory first, as the
// kernel's recovery would. Each problem is one line "fsck: ..." on stdout;
// exit status 1 if there was any, else 0. The rules are in README.md.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/types.h"
#include "kernel/fs.h"
#include "kernel/stat.h"

static uchar *img;           // the image (with the log replayed into it)
static uint nblk;            // blocks in the image file
static struct superblock sb;
static uint datastart;       // first data block: sb.size - sb.nblocks
static int problems;

static struct dinode *ino;   // [sb.ninodes] copies of the on-disk inodes
static uchar *readable;      // [inum] every block its size needs is present and in range
static uint *refs;           // [inum] entries naming it, "." entries excluded
static uint *nparents;       // [inum] entries other than "." and ".." naming this directory
static uint *parent;         // [inum] the directory of the last such entry
static uint *dotdot;         // [inum] what this directory's ".." names
static uint *owner;          // [block] the inode that references it, 0 if none

// Directory edges other than "." and "..", for the reachability pass.
static struct edge { uint dir, inum; } *edges;
static size_t nedges, capedges;

static void bad(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  printf("fsck: ");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  problems++;
}

static void *zalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size);
  if (p == NULL) {
    fprintf(stderr, "fsck: out of memory\n");
    exit(2);
  }
  return p;
}

static uchar *blk(uint b) { return img + (size_t)b * BSIZE; }
static uint64 roundup(uint64 n, uint64 d) { return (n + d - 1) / d; }

// Word i of block b (memcpy: img is a byte array).
static uint word(uint b, uint i)
{
  uint w;
  memcpy(&w, blk(b) + i * sizeof(uint), sizeof(w));
  return w;
}

static const char *tname(short type)
{
  return type == T_DIR ? "directory" : type == T_FILE ? "file" : type == T_DEVICE ? "device" : "bad type";
}

// The superblock must be right for anything else to be checked.
static int checksb(void)
{
  int before = problems;
  uint64 ninodeblocks, nbitmap;
  memcpy(&sb, blk(1), sizeof(sb));
  if (sb.magic != FSMAGIC) {
    bad("superblock: magic %#x, not %#x", sb.magic, FSMAGIC);
    return 0;
  }
  if (sb.size != nblk)
    bad("superblock: size %u blocks, but the image has %u", sb.size, nblk);
  if (sb.nblocks > sb.size) {
    bad("superblock: %u data blocks in a %u-block image", sb.nblocks, sb.size);
    return 0;
  }
  datastart = sb.size - sb.nblocks;
  ninodeblocks = roundup(sb.ninodes, IPB);
  nbitmap = roundup(sb.size, BPB);
  if (sb.ninodes <= ROOTINO)
    bad("superblock: %u inodes leaves no room for the root (inode %d)", sb.ninodes, ROOTINO);
  if (sb.nlog < 1)
    bad("superblock: nlog 0: no room for the log header");
  if (sb.logstart < 2)
    bad("superblock: log at block %u, on the boot block or superblock", sb.logstart);
  if ((uint64)sb.logstart + sb.nlog > sb.inodestart)
    bad("superblock: log [%u, %llu) runs into the inodes at %u", sb.logstart,
        (unsigned long long)sb.logstart + sb.nlog, sb.inodestart);
  if (sb.inodestart + ninodeblocks > sb.bmapstart)
    bad("superblock: %u inodes at block %u run into the bitmap at %u", sb.ninodes,
        sb.inodestart, sb.bmapstart);
  if (sb.bmapstart + nbitmap > datastart)
    bad("superblock: bitmap at block %u (%llu blocks) runs into the data at %u", sb.bmapstart,
        (unsigned long long)nbitmap, datastart);
  return problems == before;
}

// A committed transaction (n > 0) is installed as recovery would: log block i
// goes to block[i]. Nothing is installed if the header is not valid.
static void replay(void)
{
  struct logheader lh;
  int i, ok = 1;
  memcpy(&lh, blk(sb.logstart), sizeof(lh));
  if (lh.n == 0)
    return;
  if (lh.n < 0 || lh.n > LOGBLOCKS || (uint)lh.n > sb.nlog - 1) {
    bad("log: header says %d blocks, but at most %d fit", lh.n,
        sb.nlog - 1 < LOGBLOCKS ? (int)sb.nlog - 1 : LOGBLOCKS);
    return;
  }
  for (i = 0; i < lh.n; i++) {
    int b = lh.block[i];
    if (b < 0 || (uint)b >= sb.size) {
      bad("log: block[%d] = %d is outside the image (%u blocks)", i, b, sb.size);
      ok = 0;
    } else if ((uint)b < sb.logstart + sb.nlog) {
      // The log, superblock and boot block are never logged.
      bad("log: block[%d] = %d is not an inode, bitmap or data block", i, b);
      ok = 0;
    }
  }
  if (!ok) {
    printf("fsck: not replaying the log; checking the image as it is\n");
    return;
  }
  printf("fsck: replaying %d logged blocks\n", lh.n);
  for (i = 0; i < lh.n; i++)
    memcpy(blk(lh.block[i]), blk(sb.logstart + 1 + i), BSIZE);
}

// Block address b in slot what[j] of inode inum, which the size does or does
// not need. Claims b for inum. Returns 0 if the slot cannot be read (a hole, or
// outside the data region).
static int useblock(uint inum, const char *what, uint j, uint b, int needed)
{
  if (b == 0) {
    if (needed)
      bad("inode %u: %s[%u] is 0, but size %u needs it (a hole)", inum, what, j, ino[inum].size);
    return !needed;
  }
  if (!needed)
    bad("inode %u: %s[%u] = %u is beyond what size %u needs", inum, what, j, b, ino[inum].size);
  if (b < datastart || b >= sb.size) {
    bad("inode %u: %s[%u] = %u is outside the data region [%u, %u)", inum, what, j, b,
        datastart, sb.size);
    return 0;
  }
  if (owner[b])
    bad("block %u is referenced twice: by inode %u and by inode %u", b, owner[b], inum);
  else
    owner[b] = inum;
  return 1;
}

// Slot what[j] of inode inum holds b, the root of a tree depth levels deep (0: a data
// block, 1: an indirect block, 2: a doubly-indirect block) that maps the file's
// blocks from first on. Claims every block in it; 0 if some block cannot be read.
static int usetree(uint inum, const char *what, uint j, uint b, int depth, uint64 first, uint64 need)
{
  static const char *const names[] = {"", "indirect", "doubly-indirect"};
  uint64 span = depth == 2 ? NINDIRECT : 1;  // file blocks each entry of b maps
  uint i;
  int ok = 1;
  if (!useblock(inum, what, j, b, first < need))
    return 0;
  if (b == 0 || depth == 0)
    return 1;
  for (i = 0; i < NINDIRECT; i++)
    ok &= usetree(inum, names[depth], i, word(b, i), depth - 1, first + i * span, need);
  return ok;
}

static void checkinode(uint inum)
{
  struct dinode *d = &ino[inum];
  uint64 need;
  uint i;
  int ok = 1;
  if (d->type != T_DIR && d->type != T_FILE && d->type != T_DEVICE) {
    bad("inode %u: bad type %d", inum, d->type);
    return;
  }
  if (d->type == T_DEVICE && d->size != 0)
    bad("inode %u: a device with size %u, not 0", inum, d->size);
  need = roundup(d->size, BSIZE);
  if (d->size > MAXFILE * BSIZE) {
    bad("inode %u: size %u is more than the largest file (%d bytes)", inum, d->size,
        (int)(MAXFILE * BSIZE));
    need = MAXFILE;  // still claim its blocks, to not report them as leaked too
  }
  for (i = 0; i < NDIRECT; i++)
    ok &= usetree(inum, "addrs", i, d->addrs[i], 0, i, need);
  ok &= usetree(inum, "addrs", NDIRECT, d->addrs[NDIRECT], 1, NDIRECT, need);
  ok &= usetree(inum, "addrs", NDIRECT + 1, d->addrs[NDIRECT + 1], 2, NDIRECT + NINDIRECT, need);
  readable[inum] = ok;
}

// The disk block holding block fbn of a readable inode.
static uint fileblock(const struct dinode *d, uint fbn)
{
  if (fbn < NDIRECT)
    return d->addrs[fbn];
  fbn -= NDIRECT;
  if (fbn < NINDIRECT)
    return word(d->addrs[NDIRECT], fbn);
  fbn -= NINDIRECT;
  return word(word(d->addrs[NDIRECT + 1], fbn / NINDIRECT), fbn % NINDIRECT);
}

static void checkdir(uint inum)
{
  struct dinode *d = &ino[inum];
  struct dirent de;
  char name[DIRSIZ + 1];
  uint off, ndot = 0, ndotdot = 0;
  int i;
  if (d->size % sizeof(de))
    bad("directory %u: size %u is not a multiple of %d", inum, d->size, (int)sizeof(de));
  if (!readable[inum])
    return;  // already reported
  for (off = 0; off + sizeof(de) <= d->size; off += sizeof(de)) {
    memcpy(&de, blk(fileblock(d, off / BSIZE)) + off % BSIZE, sizeof(de));
    if (de.inum == 0)
      continue;
    memcpy(name, de.name, DIRSIZ);
    name[DIRSIZ] = 0;
    if (name[0] == 0)
      bad("directory %u: the entry at offset %u has an empty name", inum, off);
    for (i = strlen(name); i < DIRSIZ; i++)
      if (de.name[i] != 0) {
        bad("directory %u: entry '%s' is not NUL-padded", inum, name);
        break;
      }
    if (strchr(name, '/'))
      bad("directory %u: entry '%s' has a '/' in its name", inum, name);
    if (de.inum >= sb.ninodes) {
      bad("directory %u: entry '%s' names inode %u, beyond the %u inodes", inum, name,
          de.inum, sb.ninodes);
      continue;
    }
    if (ino[de.inum].type == 0) {
      bad("directory %u: entry '%s' names free inode %u", inum, name, de.inum);
      continue;
    }
    if (strcmp(name, ".") == 0) {  // not counted in nlink
      ndot++;
      if (de.inum != inum)
        bad("directory %u: '.' names inode %u, not itself", inum, de.inum);
      continue;
    }
    refs[de.inum]++;
    if (strcmp(name, "..") == 0) {  // counted in the parent's nlink
      ndotdot++;
      dotdot[inum] = de.inum;
      continue;
    }
    if (ino[de.inum].type == T_DIR) {
      nparents[de.inum]++;
      parent[de.inum] = inum;
    }
    if (nedges == capedges) {
      capedges = capedges ? 2 * capedges : 256;
      if ((edges = realloc(edges, capedges * sizeof(*edges))) == NULL) {
        fprintf(stderr, "fsck: out of memory\n");
        exit(2);
      }
    }
    edges[nedges].dir = inum;
    edges[nedges++].inum = de.inum;
  }
  if (ndot != 1)
    bad("directory %u: %u '.' entries, not 1", inum, ndot);
  if (ndotdot != 1)
    bad("directory %u: %u '..' entries, not 1", inum, ndotdot);
  else if (ino[dotdot[inum]].type != T_DIR)
    bad("directory %u: '..' names inode %u, a %s", inum, dotdot[inum], tname(ino[dotdot[inum]].type));
}

// The directories form a tree rooted at ROOTINO that reaches every inode.
static void checktree(void)
{
  uchar *reached = zalloc(sb.ninodes, 1);
  uint inum;
  size_t e;
  int changed = 1;
  if (ino[ROOTINO].type != T_DIR) {
    bad("the root (inode %d) is a %s, not a directory", ROOTINO, tname(ino[ROOTINO].type));
  } else {
    reached[ROOTINO] = 1;
    if (nparents[ROOTINO])
      bad("the root is named by %u entries other than its own '.' and '..'", nparents[ROOTINO]);
    if (dotdot[ROOTINO] != 0 && dotdot[ROOTINO] != ROOTINO)  // 0: no '..', reported
      bad("the root's '..' names inode %u, not the root", dotdot[ROOTINO]);
  }
  while (changed) {  // a fixpoint: fine for a few hundred inodes
    changed = 0;
    for (e = 0; e < nedges; e++)
      if (reached[edges[e].dir] && !reached[edges[e].inum])
        reached[edges[e].inum] = changed = 1;
  }
  for (inum = 1; inum < sb.ninodes; inum++) {
    if (ino[inum].type == 0)
      continue;
    if (!reached[inum])
      bad("inode %u (%s) is not reachable from the root (an orphan)", inum, tname(ino[inum].type));
    if (ino[inum].type != T_DIR || inum == ROOTINO)
      continue;
    if (nparents[inum] > 1)
      bad("directory %u is named by %u entries (a hard link to a directory)", inum, nparents[inum]);
    else if (nparents[inum] == 1 && dotdot[inum] != 0 && dotdot[inum] != parent[inum])
      bad("directory %u: '..' names inode %u, but its parent is inode %u", inum, dotdot[inum],
          parent[inum]);
  }
  free(reached);
}

static void checkbitmap(void)
{
  uint b;
  for (b = 0; b < sb.size; b++) {
    int used = blk(BBLOCK(b, sb))[(b % BPB) / 8] >> (b % 8) & 1;
    if (b < datastart && !used)
      bad("block %u is metadata but marked free in the bitmap", b);
    else if (b >= datastart && owner[b] && !used)
      bad("block %u is used by inode %u but marked free in the bitmap", b, owner[b]);
    else if (b >= datastart && !owner[b] && used)
      bad("block %u is marked used in the bitmap but no inode uses it", b);
  }
}

int main(int argc, char *argv[])
{
  FILE *f;
  long len;
  uint inum, b, ninuse = 0, nbinuse = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: fsck IMAGE\n");
    return 2;
  }
  if ((f = fopen(argv[1], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
    perror(argv[1]);
    return 2;
  }
  if (len % BSIZE != 0 || len < 2 * BSIZE) {
    printf("fsck: %s: %ld bytes is not a whole number (at least 2) of %d-byte blocks\n",
           argv[1], len, BSIZE);
    return 1;
  }
  nblk = len / BSIZE;
  img = zalloc(nblk, BSIZE);
  rewind(f);
  if (fread(img, BSIZE, nblk, f) != nblk) {
    perror(argv[1]);
    return 2;
  }
  fclose(f);

  if (!checksb() || problems) {
    printf("fsck: %s: bad superblock; nothing else checked\n", argv[1]);
    return 1;
  }
  replay();

  ino = zalloc(sb.ninodes, sizeof(*ino));
  readable = zalloc(sb.ninodes, 1);
  refs = zalloc(sb.ninodes, sizeof(uint));
  nparents = zalloc(sb.ninodes, sizeof(uint));
  parent = zalloc(sb.ninodes, sizeof(uint));
  dotdot = zalloc(sb.ninodes, sizeof(uint));
  owner = zalloc(sb.size, sizeof(uint));
  for (inum = 0; inum < sb.ninodes; inum++)
    memcpy(&ino[inum], blk(IBLOCK(inum, sb)) + (inum % IPB) * sizeof(struct dinode),
           sizeof(struct dinode));
  if (ino[0].type != 0)
    bad("inode 0 is allocated (type %d), but inode number 0 means none", ino[0].type);
  for (inum = 1; inum < sb.ninodes; inum++)
    if (ino[inum].type != 0) {
      ninuse++;
      checkinode(inum);
    }
  for (inum = 1; inum < sb.ninodes; inum++)
    if (ino[inum].type == T_DIR)
      checkdir(inum);
  checktree();
  checkbitmap();
  // nlink counts the entries naming the inode, "." entries excluded (README.md).
  for (inum = 1; inum < sb.ninodes; inum++)
    if (ino[inum].type != 0 && ino[inum].nlink != (int)refs[inum])
      bad("inode %u: nlink %d, expected %u (entries naming it, '.' not counted)", inum,
          ino[inum].nlink, refs[inum]);

  if (problems) {
    printf("fsck: %s: %d problem%s\n", argv[1], problems, problems == 1 ? "" : "s");
    return 1;
  }
  for (b = datastart; b < sb.size; b++)
    nbinuse += owner[b] != 0;
  printf("fsck: %s: clean (%u inodes in use, %u data blocks in use)\n", argv[1], ninuse, nbinuse);
  return 0;
}
