// The file server's protocol (EP_FS). Replies: rlabel 0 or an error (the user
// library turns any error into -1); E_NOTPRESENT means the server could not copy
// into or out of the caller's buffer because a page is not present yet: the
// library faults it in and asks again (nothing was consumed or changed).
//   label       request                                   reply
//   FS_OPEN     w0 = omode, w1 = on behalf of (proc only); rw0 = fd
//               buffer R: path\0
//   FS_READ     w0 = fd; buffer W                          rw0 = bytes (0: end of file)
//               or, no buffer: w1 = n <= FS_INLINE         rw0 = bytes, rw1, rw2: the bytes
//   FS_WRITE    w0 = fd; buffer R                          rw0 = bytes
//               or, no buffer: w1 = n <= FS_INLINE,        rw0 = bytes
//               w2, w3: the bytes
//   FS_CLOSE    w0 = fd                                    -
//   FS_DUP      w0 = fd                                    rw0 = new fd
//   FS_PIPE     -                                          rw0 = read fd, rw1 = write fd
//   FS_FSTAT    w0 = fd; buffer W: struct stat             -
//   FS_LINK     buffer R: old\0new\0                       -
//   FS_UNLINK   buffer R: path\0                           -
//   FS_MKDIR    buffer R: path\0                           -
//   FS_MKNOD    w0 = major, w1 = minor; buffer R: path\0   -
//   FS_CHDIR    buffer R: path\0                           -
//   FS_STAT     -                                          rw0 = log commits, rw1 = blocks written
//   FS_SOCKET   w0 = network socket, w1 = its key          rw0 = fd (the file server adopts the
//                                                          socket: it closes it at the last close)
//   FS_SOCKOF   w0 = fd                                    rw0, rw1 = the fd's socket and key
// FS_READ and FS_WRITE on a socket's fd answer FS_SOCKREF with rw0, rw1 = its socket
// and key: the library asks the network server (servers/net/net.h), one copy.
// From the process server only:
//   FS_FORK     w0 = parent task, w1 = child task          the child gets a copy of the fd table
//   FS_EXEC     w0 = old task (0: new), w1 = new task      the table moves to the new task
//   FS_EXIT     w0 = task                                  its files are closed, its waits dropped
#pragma once

#define FS_OPEN   1
#define FS_READ   2
#define FS_WRITE  3
#define FS_CLOSE  4
#define FS_DUP    5
#define FS_PIPE   6
#define FS_FSTAT  7
#define FS_LINK   8
#define FS_UNLINK 9
#define FS_MKDIR  10
#define FS_MKNOD  11
#define FS_CHDIR  12
#define FS_STAT   13
#define FS_SOCKET 14
#define FS_SOCKOF 15
#define FS_SOCKREF (-20)         // not an error: "a socket, ask the network server"
#define FS_FORK   20
#define FS_EXEC   21
#define FS_EXIT   22

#define FS_CONS_BIT (1UL << 0)   // notification: the console has a line
#define FS_RESTART_BIT (1UL << 1) // notification (the supervisor): the console driver was restarted
#define FS_HOLD_BIT (1UL << 2)   // notification (its own alarm): a held write has waited long enough
#define MAXPATH   128
#define NOFILE    16             // open files per process
#define FS_INLINE 16             // bytes a read or write may carry in the message words
#define FS_MAXWAIT 8             // a client's reads and writes waiting at once; one more: E_NOMEM
