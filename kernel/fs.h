// The on-disk file-system format (xv6's), shared by the file server, mkfs, the
// independent checker (mkfs/fsck.c) and user programs such as ls.
//
// Disk layout, in blocks of BSIZE bytes:
//   [ boot block | superblock | log (header + nlog-1 blocks) | inodes | free bitmap | data ]
// All integers are little-endian (the host and RISC-V agree).
#pragma once

#define ROOTINO  1            // root i-number
#define BSIZE    1024         // block size
#define FSMAGIC  0x10203040

struct superblock {
  uint magic;        // FSMAGIC
  uint size;         // size of the image (blocks)
  uint nblocks;      // number of data blocks
  uint ninodes;      // number of inodes
  uint nlog;         // number of log blocks (header included)
  uint logstart;     // block number of the log header
  uint inodestart;   // block number of the first inode block
  uint bmapstart;    // block number of the first free-map block
};

// A file's blocks: NDIRECT listed in the inode, NINDIRECT more listed in its indirect
// block, and NDINDIRECT more through its doubly-indirect block (a block listing
// NINDIRECT indirect blocks). The inode's addrs[] are the direct blocks, then the
// indirect block (addrs[NDIRECT]), then the doubly-indirect one (addrs[NDIRECT + 1]).
#define NDIRECT    11
#define NINDIRECT  (BSIZE / sizeof(uint))
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE    (NDIRECT + NINDIRECT + NDINDIRECT)   // blocks: 65803, about 64 MiB

// On-disk inode. type 0 = free; T_DIR, T_FILE, T_DEVICE as in stat.h.
struct dinode {
  short type;
  short major;       // device number (T_DEVICE)
  short minor;
  short nlink;       // directory entries that refer to it
  uint size;         // bytes
  uint addrs[NDIRECT + 2];   // data blocks, the indirect block, the doubly-indirect block
};                           // 64 bytes: IPB inodes fill a block exactly

#define IPB           (BSIZE / sizeof(struct dinode))   // inodes per block
#define IBLOCK(i, sb) ((i) / IPB + (sb).inodestart)     // block holding inode i
#define BPB           (BSIZE * 8)                        // bitmap bits per block
#define BBLOCK(b, sb) ((b) / BPB + (sb).bmapstart)      // bitmap block holding bit for block b

// A directory is a file of these. inum 0 = a free entry.
#define DIRSIZ 14
struct dirent {
  ushort inum;
  char name[DIRSIZ];  // not NUL-terminated when DIRSIZ long
};

// The log header, at logstart: n blocks are committed, block[i] is where log block
// logstart+1+i belongs. n = 0: nothing to install.
#define LOGBLOCKS 30
struct logheader {
  int n;
  int block[LOGBLOCKS];
};

// Sizes of the image mkfs builds.
#define FSSIZE   4000         // blocks
#define NINODES  400
#define NLOG     (LOGBLOCKS + 1)

// Devices (T_DEVICE major numbers).
#define CONSOLE  1
