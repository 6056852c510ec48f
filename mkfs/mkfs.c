// mkfs: builds an mv6 file-system image in xv6's on-disk format (kernel/fs.h).
//   mkfs [-s BLOCKS] IMAGE [FILE...]
// -s: an image of BLOCKS blocks instead of FSSIZE (xv6's usertests write a file of
// MAXFILE blocks, about 64 MiB: make xv6-usertests gives them a disk that holds it).
// The image holds a root directory with ".", "..", a "console" device and each
// FILE under its base name (directory part and a leading '_' stripped).
// Runs on the host; assumes a little-endian host, like the RISC-V target.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/types.h"
#include "kernel/fs.h"
#include "kernel/stat.h"

// Layout: boot block, superblock, log, inode blocks, bitmap blocks, data.
#define NINODEBLOCKS ((NINODES + IPB - 1) / IPB)
#define NBITMAP      ((fssize + BPB - 1) / BPB)
#define MAXSIZE      (1u << 20)   // blocks (1 GiB): -s larger is refused
#define NMETA        (2 + NLOG + NINODEBLOCKS + NBITMAP)
#define MAXBYTES     (MAXFILE * BSIZE)

static uint fssize = FSSIZE;      // blocks in the image
static uchar (*img)[BSIZE];       // [fssize]: the whole image, built in memory, written at the end
static struct superblock sb;
static uint nextinode = ROOTINO;  // inodes and data blocks are handed out in order
static uint nextblock;            // NMETA once the size is known
static const char *adding = "the root directory";  // for error messages
static uchar filebuf[MAXBYTES + 1];               // one byte more, to see "too big"

static void die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "mkfs: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(1);
}

// Inodes are copied in and out with memcpy: img is a byte array.
static void rinode(uint inum, struct dinode *d)
{
  memcpy(d, img[IBLOCK(inum, sb)] + (inum % IPB) * sizeof(*d), sizeof(*d));
}

static void winode(uint inum, const struct dinode *d)
{
  memcpy(img[IBLOCK(inum, sb)] + (inum % IPB) * sizeof(*d), d, sizeof(*d));
}

static uint ialloc(short type)
{
  struct dinode d;
  if (nextinode >= NINODES)
    die("too many files: out of inodes (%d) while adding %s", NINODES, adding);
  memset(&d, 0, sizeof(d));
  d.type = type;
  d.nlink = 1;  // every inode made here is named by exactly one entry (see README.md)
  winode(nextinode, &d);
  return nextinode++;
}

static uint balloc(void)
{
  if (nextblock >= fssize)
    die("disk full (%u blocks) while adding %s", fssize, adding);
  return nextblock++;  // img is zeroed, so the block is too
}

// Entry i of map block *slot, allocating the map block (into *slot) and the entry if
// they are not there yet. memcpy: img is a byte array.
static uint entry(uint *slot, uint i)
{
  uint a;
  if (*slot == 0)
    *slot = balloc();
  memcpy(&a, img[*slot] + i * sizeof a, sizeof a);
  if (a == 0) {
    a = balloc();
    memcpy(img[*slot] + i * sizeof a, &a, sizeof a);
  }
  return a;
}

// The disk address of block fbn of the file, allocating it (and the indirect or
// doubly-indirect blocks on the way) if it is not there yet.
static uint bmap(struct dinode *d, uint fbn)
{
  uint ind;
  if (fbn < NDIRECT) {
    if (d->addrs[fbn] == 0)
      d->addrs[fbn] = balloc();
    return d->addrs[fbn];
  }
  fbn -= NDIRECT;
  if (fbn < NINDIRECT)
    return entry(&d->addrs[NDIRECT], fbn);
  fbn -= NINDIRECT;
  ind = entry(&d->addrs[NDIRECT + 1], fbn / NINDIRECT);
  return entry(&ind, fbn % NINDIRECT);
}

static void iappend(uint inum, const void *data, uint n)
{
  const uchar *p = data;
  struct dinode d;
  rinode(inum, &d);
  if (d.size + n > MAXBYTES)
    die("%s: too big (the largest file is %d bytes)", adding, (int)MAXBYTES);
  while (n > 0) {
    uint off = d.size % BSIZE;
    uint m = n < BSIZE - off ? n : BSIZE - off;
    memcpy(img[bmap(&d, d.size / BSIZE)] + off, p, m);
    d.size += m;
    p += m;
    n -= m;
  }
  winode(inum, &d);
}

// Adds entry name -> inum to the root directory, after checking the name.
// The root is read back from img to look for a duplicate name.
static void rootlink(const char *name, uint inum)
{
  struct dinode root;
  struct dirent de;
  uint off;
  if (strlen(name) == 0)
    die("%s: empty name", adding);
  if (strlen(name) > DIRSIZ)
    die("%s: name '%s' is longer than DIRSIZ (%d)", adding, name, DIRSIZ);
  rinode(ROOTINO, &root);
  for (off = 0; off < root.size; off += sizeof(de)) {
    memcpy(&de, img[bmap(&root, off / BSIZE)] + off % BSIZE, sizeof(de));  // present: no holes
    if (strncmp(de.name, name, DIRSIZ) == 0)
      die("%s: the name '%s' is already in the root directory", adding, name);
  }
  memset(&de, 0, sizeof(de));
  de.inum = inum;
  memcpy(de.name, name, strlen(name));  // NUL-padded; not terminated when DIRSIZ long
  iappend(ROOTINO, &de, sizeof(de));
}

// Copies the host file path into the root under its base name.
static void addfile(const char *path)
{
  const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  FILE *f;
  size_t n;
  uint inum;
  if (name[0] == '_')  // xv6 names programs _cat etc. so that make's rules don't clash
    name++;
  adding = path;
  if ((f = fopen(path, "rb")) == NULL) {
    perror(path);
    exit(1);
  }
  n = fread(filebuf, 1, sizeof(filebuf), f);
  if (ferror(f))
    die("%s: read error (a directory?)", path);
  fclose(f);
  if (n > MAXBYTES)
    die("%s: too big (the largest file is %d bytes)", path, (int)MAXBYTES);
  inum = ialloc(T_FILE);
  rootlink(name, inum);
  iappend(inum, filebuf, n);
}

int main(int argc, char *argv[])
{
  struct dinode d;
  struct logheader lh;
  uint one = 1, b, root, console;
  int i;
  FILE *f;

  if (argc > 2 && strcmp(argv[1], "-s") == 0) {
    char *end;
    unsigned long n = strtoul(argv[2], &end, 10);
    if (*argv[2] == 0 || *end != 0 || n <= NMETA || n > MAXSIZE)
      die("-s %s: the size must be a number of blocks above the %d of the metadata and at "
          "most %u", argv[2], (int)NMETA, MAXSIZE);
    fssize = n;
    argv += 2;
    argc -= 2;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: mkfs [-s BLOCKS] IMAGE [FILE...]\n");
    return 2;
  }
  if (*(uchar *)&one != 1)
    die("the host must be little-endian, like the image");
  if ((img = calloc(fssize, BSIZE)) == NULL)
    die("out of memory for an image of %u blocks", fssize);
  nextblock = NMETA;

  sb.magic = FSMAGIC;
  sb.size = fssize;
  sb.nblocks = fssize - NMETA;
  sb.ninodes = NINODES;
  sb.nlog = NLOG;
  sb.logstart = 2;
  sb.inodestart = 2 + NLOG;
  sb.bmapstart = 2 + NLOG + NINODEBLOCKS;
  memcpy(img[1], &sb, sizeof(sb));
  memset(&lh, 0, sizeof(lh));  // n = 0: no committed transaction
  memcpy(img[sb.logstart], &lh, sizeof(lh));

  // The root is its own parent: "." is not counted and ".." is, so nlink 1.
  root = ialloc(T_DIR);
  if (root != ROOTINO)
    die("the root got inode %u, not ROOTINO", root);
  rootlink(".", root);
  rootlink("..", root);

  adding = "console";
  console = ialloc(T_DEVICE);
  rinode(console, &d);
  d.major = CONSOLE;
  d.minor = 0;
  winode(console, &d);
  rootlink("console", console);

  for (i = 2; i < argc; i++)
    addfile(argv[i]);

  // Used: all metadata and every data block handed out (they are contiguous).
  for (b = 0; b < nextblock; b++)
    img[BBLOCK(b, sb)][(b % BPB) / 8] |= 1 << (b % 8);

  if ((f = fopen(argv[1], "wb")) == NULL) {
    perror(argv[1]);
    return 1;
  }
  if (fwrite(img, BSIZE, fssize, f) != fssize || fclose(f) != 0) {
    perror(argv[1]);
    return 1;
  }
  printf("mkfs: %s: %u blocks: nmeta %d (boot, super, nlog %d, ninodeblocks %d, nbitmap %d), "
         "nblocks %d; %u inodes, %u data blocks used\n",
         argv[1], fssize, (int)NMETA, NLOG, (int)NINODEBLOCKS, (int)NBITMAP,
         (int)(fssize - NMETA), nextinode - ROOTINO, nextblock - (uint)NMETA);
  return 0;
}
