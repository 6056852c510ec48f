// The disk driver's protocol (EP_DISK). Blocks are BSIZE (1024) bytes.
//   label        request                                       reply (rlabel 0 or an error)
//   DISK_READ    w0 = block; buffer W of BSIZE                 the block's bytes
//   DISK_WRITE   w0 = block; buffer R of BSIZE                 written (on the disk when the reply comes)
//   DISK_WRITEV  w0 = n <= DISK_MAXV; buffer R: n uint32       all n written, issued at once
//                block numbers, padded to 64 bytes, then n blocks
//   DISK_STAT    -                                             rw0 = most requests in flight at once,
//                                                              rw1 = requests done, rw2 = disk blocks
#pragma once

#define DISK_READ   1
#define DISK_WRITE  2
#define DISK_WRITEV 3
#define DISK_STAT   4

#define DISK_MAXV   8
#define DISK_VHDR   64      // bytes before the data in a DISK_WRITEV buffer
