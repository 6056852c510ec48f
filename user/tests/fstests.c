// File-system tests through the file server: many files, the largest file, big
// directories, links, concurrent writers, running out of inodes and blocks, pipes
// (large transfers, either end closing, blocked ends killed), bad input, exec of files
// that are not programs, bad pointers, whose descriptors are whose (the badge), what
// a dying process leaves behind, and an unlinked working directory. Each case checks the data read back; one line
// per case.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/elf.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/tests/testlib.h"
#include "servers/fs/fsproto.h"
#include "servers/disk/disk.h"
#include "servers/console/cons.h"

static char buf[8192];
static uint64 seed;

static char rnd(uint64 *s) {
  *s = *s * 6364136223846793005UL + 1442695040888963407UL;
  return *s >> 56;
}

static void name(char *n, char c, int i) {
  n[0] = c;
  n[1] = '0' + i / 100;
  n[2] = '0' + i / 10 % 10;
  n[3] = '0' + i % 10;
  n[4] = 0;
}

static void manyfiles(void) {
  char n[8];
  for (int i = 0; i < 100; i++) {
    name(n, 'f', i);
    int fd = open(n, O_CREATE | O_RDWR);
    CHECK(fd >= 0, "create %s", n);
    for (int k = 0; k < 100; k++)
      buf[k] = i + k;
    CHECK(write(fd, buf, 100 + i) == 100 + i, "write %s", n);
    close(fd);
  }
  for (int i = 0; i < 100; i++) {
    name(n, 'f', i);
    int fd = open(n, O_RDONLY);
    int got = read(fd, buf, sizeof buf);
    CHECK(got == 100 + i && buf[7] == (char)(i + 7), "read %s: %d bytes", n, got);
    close(fd);
    CHECK(unlink(n) == 0, "unlink %s", n);
    CHECK(open(n, O_RDONLY) < 0, "%s still there", n);
  }
}

// A file through the doubly-indirect block: more than 1 MiB, ending mid-block.
static void bigfile(void) {
  int fd = open("big", O_CREATE | O_RDWR);
  uint64 s = seed;
  int total = (1024 + 5) * 1024 + 3;
  for (int off = 0; off < total; off += sizeof buf) {
    int n = total - off < (int)sizeof buf ? total - off : (int)sizeof buf;
    for (int i = 0; i < n; i++)
      buf[i] = rnd(&s);
    CHECK(write(fd, buf, n) == n, "write at %d", off);
  }
  close(fd);
  struct stat st;
  CHECK(stat("big", &st) == 0 && st.size == (uint64)total, "size %d", (int)st.size);
  fd = open("big", O_RDONLY);
  s = seed;
  int bad = 0, got, tot = 0;
  while ((got = read(fd, buf, sizeof buf)) > 0) {
    for (int i = 0; i < got; i++)
      bad += buf[i] != rnd(&s);
    tot += got;
  }
  close(fd);
  CHECK(tot == total && bad == 0, "read back %d bytes, %d wrong", tot, bad);
  CHECK(unlink("big") == 0, "unlink big");
}

static void bigdir(void) {
  char n[8];
  CHECK(mkdir("dd") == 0 && chdir("dd") == 0, "mkdir dd");
  for (int i = 0; i < 300; i++) {
    name(n, 'e', i);
    int fd = open(n, O_CREATE | O_WRONLY);
    CHECK(fd >= 0, "create dd/%s", n);
    close(fd);
  }
  int fd = open(".", O_RDONLY), entries = 0;
  struct dirent de;
  while (read(fd, &de, sizeof de) == sizeof de)
    entries += de.inum != 0;
  close(fd);
  CHECK(entries == 302, "%d entries, want 302", entries);
  CHECK(unlink("/dd") < 0, "removed a non-empty directory");
  for (int i = 0; i < 300; i++) {
    name(n, 'e', i);
    CHECK(unlink(n) == 0, "unlink dd/%s", n);
  }
  CHECK(chdir("/") == 0 && unlink("dd") == 0, "rmdir dd");
}

static void links(void) {
  int fd = open("la", O_CREATE | O_RDWR);
  write(fd, "link", 4);
  close(fd);
  struct stat st;
  CHECK(link("la", "lb") == 0, "link");
  CHECK(stat("la", &st) == 0 && st.nlink == 2, "nlink %d, want 2", st.nlink);
  CHECK(link("la", "lb") < 0, "a second link with the same name");
  CHECK(link("/", "lroot") < 0, "linked a directory");
  CHECK(unlink("la") == 0, "unlink la");
  fd = open("lb", O_RDONLY);
  CHECK(fd >= 0 && read(fd, buf, 10) == 4 && memcmp(buf, "link", 4) == 0, "lb lost the data");
  CHECK(fstat(fd, &st) == 0 && st.nlink == 1, "nlink %d, want 1", st.nlink);
  close(fd);
  unlink("lb");
}

static void writers(void) {
  char n[8];
  for (int c = 0; c < 4; c++) {
    if (fork() == 0) {
      name(n, 'w', c);
      int fd = open(n, O_CREATE | O_WRONLY);
      for (int k = 0; k < 20; k++) {
        memset(buf, 'a' + c, 1000);
        if (write(fd, buf, 1000) != 1000)
          exit(1);
      }
      exit(0);
    }
  }
  for (int c = 0; c < 4; c++) {
    int st;
    wait(&st);
    CHECK(st == 0, "a writer failed");
  }
  for (int c = 0; c < 4; c++) {
    name(n, 'w', c);
    int fd = open(n, O_RDONLY), got, tot = 0, bad = 0;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
      for (int i = 0; i < got; i++)
        bad += buf[i] != 'a' + c;
      tot += got;
    }
    close(fd);
    CHECK(tot == 20000 && bad == 0, "%s: %d bytes, %d wrong", n, tot, bad);
    unlink(n);
  }
}

static void exhaust(void) {
  char n[8];
  int made = 0;
  for (; made < 1000; made++) {
    name(n, 'i', made);
    int fd = open(n, O_CREATE | O_WRONLY);
    if (fd < 0)
      break;
    close(fd);
  }
  CHECK(made > 100 && made < 1000, "created %d files before running out of inodes", made);
  for (int i = 0; i < made; i++) {
    name(n, 'i', i);
    CHECK(unlink(n) == 0, "unlink %s", n);
  }
  // blocks: fill the disk with large files, then give it all back
  int files = 0, full = 0;
  for (; files < 30 && !full; files++) {
    name(n, 'b', files);
    int fd = open(n, O_CREATE | O_WRONLY);
    for (int k = 0; k < MAXFILE * BSIZE / (int)sizeof buf && !full; k++)
      full = write(fd, buf, sizeof buf) != sizeof buf;
    close(fd);
  }
  CHECK(full, "the disk never filled up");
  for (int i = 0; i < files; i++) {
    name(n, 'b', i);
    CHECK(unlink(n) == 0, "unlink %s", n);
  }
  int fd = open("after", O_CREATE | O_WRONLY), w = fd >= 0 ? write(fd, buf, sizeof buf) : -2;
  CHECK(w == sizeof buf, "no space after freeing everything (fd %d, wrote %d)", fd, w);
  close(fd);
  unlink("after");
}

// Reads and writes of at most FS_INLINE bytes from and to our bss or stack carry the
// bytes in the message words (fsproto.h); longer ones, and the heap's, go by bulk
// copy. Each size around the limit, each kind of buffer to each, every byte checked.
static void small_transfers(void) {
  int p[2];
  char stackbuf[FS_INLINE + 8], *heap = malloc(FS_INLINE + 8);
  char *kinds[] = {stackbuf, buf, heap};
  CHECK(heap && pipe(p) == 0, "pipe");
  for (int n = 0; n <= FS_INLINE + 2; n++) {
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        if (a == b)
          continue;
        for (int i = 0; i < n + 4; i++)
          kinds[a][i] = 'a' + (n + 3 * a + i) % 26, kinds[b][i] = 0;
        CHECK(write(p[1], kinds[a], n) == n && read(p[0], kinds[b], n) == n, "%d bytes", n);
        int same = memcmp(kinds[a], kinds[b], n) == 0;
        for (int i = n; i < n + 4; i++)
          same &= kinds[b][i] == 0;
        CHECK(same, "%d bytes from buffer %d to %d: other bytes, or more", n, a, b);
      }
    }
  }
  close(p[0]);
  close(p[1]);
  // a file: the offset moves by what was written and read, in the words or not
  int fd = open("small", O_CREATE | O_RDWR);
  CHECK(write(fd, "0123456789abcdef", FS_INLINE) == FS_INLINE, "write of %d bytes", FS_INLINE);
  memmove(stackbuf, "ghijklmnopqrstuvw", FS_INLINE + 1);
  CHECK(write(fd, stackbuf, FS_INLINE + 1) == FS_INLINE + 1, "write of %d bytes", FS_INLINE + 1);
  close(fd);
  fd = open("small", O_RDONLY);
  CHECK(read(fd, stackbuf, 3) == 3 && read(fd, buf, FS_INLINE) == FS_INLINE && read(fd, heap, 20) == 14 &&
            memcmp(stackbuf, "012", 3) == 0 && memcmp(buf, "3456789abcdefghi", FS_INLINE) == 0 &&
            memcmp(heap, "jklmnopqrstuvw", 14) == 0 && read(fd, stackbuf, 1) == 0,
        "a file read back in small pieces");
  close(fd);
  unlink("small");
  free(heap);
}

static void pipes(void) {
  int p[2];
  CHECK(pipe(p) == 0, "pipe");
  int pid = fork();
  if (pid == 0) {
    close(p[0]);
    uint64 s = 7;
    for (int k = 0; k < 100; k++) {
      for (int i = 0; i < 1000; i++)
        buf[i] = rnd(&s);
      if (write(p[1], buf, 1000) != 1000)
        exit(1);
    }
    exit(0);
  }
  close(p[1]);
  uint64 s = 7;
  int tot = 0, bad = 0, got;
  while ((got = read(p[0], buf, 777)) > 0) {
    for (int i = 0; i < got; i++)
      bad += buf[i] != rnd(&s);
    tot += got;
  }
  close(p[0]);
  int st;
  wait(&st);
  CHECK(tot == 100000 && bad == 0 && st == 0, "pipe moved %d bytes, %d wrong", tot, bad);
  // the reader gone: writes fail; the writer gone: reads see the end
  pipe(p);
  close(p[0]);
  CHECK(write(p[1], "x", 1) < 0, "write with no reader");
  close(p[1]);
  pipe(p);
  write(p[1], "yz", 2);
  close(p[1]);
  CHECK(read(p[0], buf, 10) == 2 && read(p[0], buf, 10) == 0, "end of file after the writer closed");
  close(p[0]);
  small_transfers();
  // a blocked writer and a blocked reader, killed
  pipe(p);
  int w = fork();
  if (w == 0) {
    for (;;)
      write(p[1], buf, sizeof buf);
  }
  int r = fork();
  int q[2];
  if (r == 0) {
    pipe(q);
    read(q[0], buf, 1);                // nobody writes: blocked
    exit(0);
  }
  sleep(5);
  CHECK(kill(w) == 0 && kill(r) == 0, "kill");
  int a = wait(&st), b = wait(0);
  CHECK((a == w || a == r) && (b == w || b == r) && a != b, "blocked pipe ends not reaped");
  close(p[0]);
  close(p[1]);
}

static void badinput(void) {
  char longpath[300];
  memset(longpath, 'a', sizeof longpath - 1);
  longpath[sizeof longpath - 1] = 0;
  CHECK(open(longpath, O_RDONLY) < 0, "open of a 299-byte path");
  CHECK(read(99, buf, 10) < 0 && write(-1, buf, 10) < 0 && close(42) < 0, "bad fds");
  int fd = open("t", O_CREATE | O_RDWR);
  close(fd);
  CHECK(read(fd, buf, 1) < 0, "read of a closed fd");
  CHECK(open("/", O_WRONLY) < 0 && open("/", O_RDWR) < 0, "opened a directory for writing");
  fd = open("README.md", O_RDONLY);
  CHECK(read(fd, (void *)0x80200000, 10) < 0, "read into kernel memory");
  CHECK(read(fd, buf, 10) == 10 && memcmp(buf, "# mv6", 5) == 0, "the failed read moved the offset");
  close(fd);
  fd = open("t", O_CREATE | O_RDWR);
  CHECK(write(fd, (void *)0x80200000, 10) < 0, "write from kernel memory");
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.size == 0, "a failed write wrote %d bytes", (int)st.size);
  // into and out of pages not present yet: the server's copy fails (E_NOTPRESENT), the
  // library faults the page in and asks again; nothing may be lost or invented meanwhile
  char *fresh = sbrk(2 * 4096);
  CHECK(write(fd, fresh, 16) == 16, "write from a page not present");
  close(fd);
  fd = open("t", O_RDONLY);
  CHECK(read(fd, buf, 16) == 16 && memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0,
        "the write from a page not present wrote other bytes");
  close(fd);
  fd = open("README.md", O_RDONLY);
  CHECK(read(fd, fresh + 4096, 10) == 10 && memcmp(fresh + 4096, "# mv6", 5) == 0,
        "a read into a page not present lost bytes");
  close(fd);
  close(fd);
  // no more than FS_INLINE bytes in a request's words, whatever the length says
  fd = open("t", O_RDWR);
  struct msg im = {.tag = TAG(FS_WRITE, 0, 0), .w = {fd, FS_INLINE + 1, 0x4847464544434241, 0x504f4e4d4c4b4a49}};
  ipc_call(EP_FS, &im, 0);
  CHECK((short)TAG_LABEL(im.tag) == E_INVAL, "FS_WRITE of %d bytes in the words: %d", FS_INLINE + 1,
        (short)TAG_LABEL(im.tag));
  im = (struct msg){.tag = TAG(FS_READ, 0, 0), .w = {fd, -1UL}};
  ipc_call(EP_FS, &im, 0);
  CHECK((short)TAG_LABEL(im.tag) == E_INVAL, "FS_READ of -1 bytes in the words: %d", (short)TAG_LABEL(im.tag));
  CHECK(fstat(fd, &st) == 0 && st.size == 16, "a refused write wrote: size %d", (int)st.size);
  close(fd);
  // garbage to the servers: an error each, and they go on
  struct msg m = {.tag = TAG(FS_FORK, 0, 0), .w = {1, 2}};
  ipc_call(EP_FS, &m, 0);
  CHECK((short)TAG_LABEL(m.tag) == E_PERM, "FS_FORK from a process: %d", (short)TAG_LABEL(m.tag));
  for (int i = 0; i < 100; i++) {
    uint64 label = 30 + (rnd(&seed) & 0xff);
    m = (struct msg){.tag = TAG(label, BUF_R, 8), .w = {rnd(&seed), rnd(&seed)}};
    ipc_call(EP_FS, &m, buf);
    CHECK((short)TAG_LABEL(m.tag) == E_INVAL, "label %d to fs", (int)label);
    m = (struct msg){.tag = TAG(label, 0, 0)};
    ipc_call(EP_CONSOLE, &m, 0);
    CHECK((short)TAG_LABEL(m.tag) == E_INVAL, "label %d to console", (int)label);
    m = (struct msg){.tag = TAG(label, 0, 0)};
    ipc_call(EP_DISK, &m, 0);
    CHECK((short)TAG_LABEL(m.tag) == E_INVAL, "label %d to disk", (int)label);
  }
  fd = open("t", O_RDONLY);
  CHECK(fd >= 0, "the file server stopped working");
  close(fd);
  unlink("t");
}

// A child that holds fds: it tells its badge and its highest fd, then waits on q.
static int holder(int p[2], int q[2], uint64 *badge, int *fd) {
  pipe(p);
  pipe(q);
  int pid = fork();
  if (pid == 0) {
    close(p[0]), close(q[1]);
    int top = -1;
    for (int k = 0; k < 8; k++)
      top = open("README.md", O_RDONLY);   // fd numbers the parent does not have
    uint64 msg[2] = {self_badge(), top};
    write(p[1], msg, sizeof msg);
    read(q[0], buf, 1);                    // until the parent is done (or kills it)
    exit(0);
  }
  close(p[1]), close(q[0]);
  uint64 msg[2] = {0, 0};
  CHECK(read(p[0], msg, sizeof msg) == sizeof msg, "the holder's badge and fd");
  *badge = msg[0], *fd = msg[1];
  return pid;
}

// Descriptors are per client, named by its badge: another process's fd is not the
// caller's, whatever the message says; only the process server may end a table.
static void isolation(void) {
  int p[2], q[2], fd, st;
  uint64 badge;
  struct stat s;
  int pid = holder(p, q, &badge, &fd);
  CHECK(fd > 8 && read(fd, buf, 10) < 0 && fstat(fd, &s) < 0, "read another process's fd %d", fd);
  memset(buf, 0, 4096);                    // present: a raw call gets no fault-in and retry
  struct msg m = {.tag = TAG(FS_READ, BUF_W, 10), .w = {fd, badge}};
  ipc_call(EP_FS, &m, buf);
  CHECK((short)TAG_LABEL(m.tag) == E_INVAL, "FS_READ of another process's fd %d, naming its task: %d", fd,
        (short)TAG_LABEL(m.tag));
  m = (struct msg){.tag = TAG(FS_EXIT, 0, 0), .w = {badge}};
  ipc_call(EP_FS, &m, 0);
  CHECK((short)TAG_LABEL(m.tag) == E_PERM, "FS_EXIT from a process: %d", (short)TAG_LABEL(m.tag));
  m = (struct msg){.tag = TAG(FS_EXIT, 0, 0), .w = {self_badge()}};
  ipc_call(EP_FS, &m, 0);
  CHECK((short)TAG_LABEL(m.tag) == E_PERM && write(q[1], "x", 1) == 1, "FS_EXIT of itself from a process");
  // the drivers serve the file server alone (the disk's statistics excepted)
  m = (struct msg){.tag = TAG(DISK_READ, BUF_W, BSIZE), .w = {1}};
  ipc_call(EP_DISK, &m, buf);
  CHECK((short)TAG_LABEL(m.tag) == E_PERM, "DISK_READ from a process: %d", (short)TAG_LABEL(m.tag));
  m = (struct msg){.tag = TAG(CONS_READ, BUF_W, 10), .w = {10}};
  ipc_call(EP_CONSOLE, &m, buf);
  CHECK((short)TAG_LABEL(m.tag) == E_PERM, "CONS_READ from a process: %d", (short)TAG_LABEL(m.tag));
  CHECK(wait(&st) == pid && st == 0, "the holder");
  close(p[0]), close(q[1]);
}

// A process that dies leaves nothing behind: its descriptors are released (or the
// file table runs out), a pipe it wrote ends for its reader, even one waiting; and a
// reader waiting when a (live) writer closes wakes with the end of file.
static void cleanup(void) {
  int p[2], q[2], fd, st;
  uint64 badge;
  for (int i = 0; i < 20; i++) {           // 20 x 8 open files, more than the table holds
    int pid = holder(p, q, &badge, &fd);
    CHECK(kill(pid) == 0 && wait(&st) == pid, "kill holder %d", i);
    close(p[0]), close(q[1]);
  }
  fd = open("README.md", O_RDONLY);
  CHECK(fd >= 0, "the files of killed processes were never closed");
  close(fd);
  for (int killed = 0; killed < 2; killed++) {
    pipe(p);
    int w = fork();
    if (w == 0) {                          // the writer: waits, closes its end, waits
      close(p[0]);
      sleep(5);
      if (!killed)
        close(p[1]);
      sleep(1000);
      exit(0);
    }
    close(p[1]);
    int k = -1;
    if (killed && (k = fork()) == 0) {
      sleep(5);
      kill(w);
      exit(0);
    }
    CHECK(read(p[0], buf, 10) == 0, "a waiting reader: the end of file after its writer %s",
          killed ? "was killed" : "closed");
    kill(w);
    wait(0);
    if (k > 0)
      wait(0);
    close(p[0]);
  }
}

// exec(path) in a child: the child's exit status (0: exec returned -1; -1: the
// file ran, and was killed).
static int exec_status(char *path) {
  char *argv[] = {path, 0};
  int pid = fork();
  if (pid == 0)
    exit(exec(path, argv) == -1 ? 0 : 2);
  int status = 12345;
  CHECK(pid > 0 && wait(&status) == pid, "fork or wait failed");
  return status;
}

// A 128-byte ELF file whose one program header is broken as edit says.
static void bad_elf(void (*edit)(struct elfhdr *, struct proghdr *)) {
  static char img[128];
  struct elfhdr *eh = (void *)img;
  struct proghdr *ph = (void *)(img + sizeof *eh);
  memset(img, 0, sizeof img);
  *eh = (struct elfhdr){.magic = ELF_MAGIC, .entry = 0x1000, .phoff = sizeof *eh,
                        .phentsize = sizeof *ph, .phnum = 1};
  *ph = (struct proghdr){.type = ELF_PROG_LOAD, .flags = 5, .off = 0, .vaddr = 0x1000, .filesz = 128,
                         .memsz = 4096};
  edit(eh, ph);
  int fd = open("badelf", O_CREATE | O_WRONLY);
  CHECK(fd >= 0 && write(fd, img, sizeof img) == sizeof img, "cannot write badelf");
  close(fd);
}
static void phoff_wraps(struct elfhdr *eh, struct proghdr *ph) { eh->phoff = -8UL; }
static void phnum_big(struct elfhdr *eh, struct proghdr *ph) { eh->phnum = 0xffff; }
static void phoff_odd(struct elfhdr *eh, struct proghdr *ph) { eh->phoff = 71; }
static void off_wraps(struct elfhdr *eh, struct proghdr *ph) { ph->off = -64UL; }
static void filesz_big(struct elfhdr *eh, struct proghdr *ph) { ph->filesz = ph->memsz = 1UL << 40; }
static void vaddr_wraps(struct elfhdr *eh, struct proghdr *ph) { ph->vaddr = -4096UL, ph->memsz = 8192; }
static void memsz_huge(struct elfhdr *eh, struct proghdr *ph) { ph->memsz = -1UL; }
static void entry_kernel(struct elfhdr *eh, struct proghdr *ph) { eh->entry = 0x80200000; }

// exec of what is not a program fails at once and harms nobody: crafted ELF headers
// (offsets and sizes that wrap around), a device (read to its end, it would wait for
// input), a directory; then fork and exec still work.
static void execbad(void) {
  static void (*edits[])(struct elfhdr *, struct proghdr *) = {
    phoff_wraps, phnum_big, phoff_odd, off_wraps, filesz_big, vaddr_wraps, memsz_huge, entry_kernel};
  for (int i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    bad_elf(edits[i]);
    int st = exec_status("badelf");
    CHECK(st == 0, "crafted ELF %d: exec did not fail (status %d)", i, st);
  }
  unlink("badelf");
  uint64 t0 = uptime();
  CHECK(exec_status("/console") == 0, "exec of the console did not fail");
  CHECK(exec_status("/") == 0, "exec of a directory did not fail");
  CHECK(uptime() - t0 < 100, "exec of a device or directory took %d ticks", (int)(uptime() - t0));
  char *argv[] = {"echo", "exec", "works", 0};
  int pid = fork(), status = 1;
  if (pid == 0) {
    exec("/echo", argv);
    exit(3);
  }
  CHECK(pid > 0 && wait(&status) == pid && status == 0, "exec of echo after the bad ones: status %d", status);
}

// xv6's contract for bad pointers: a call given memory that is not the caller's fails
// with -1 and the caller lives on (the library reads nothing the pager has not vouched
// for, and the servers' copies check the rest); a closed fd 1 fails too.
static void badptr(void) {
  char *heap_end = sbrk(0);
  char *bad[] = {heap_end + 16 * 4096, (char *)0x80200000UL, (char *)0xeaeb0b5b00002f5eUL};
  int fd = open("README.md", O_RDONLY);
  CHECK(fd >= 0, "open README.md");
  for (int i = 0; i < 3; i++) {
    char *p = bad[i];
    char *argv[] = {"echo", p, 0};
    EXPECT(open(p, O_RDONLY), -1);
    EXPECT(open(p, O_CREATE | O_RDWR), -1);
    EXPECT(mkdir(p), -1);
    EXPECT(chdir(p), -1);
    EXPECT(unlink(p), -1);
    EXPECT(link(p, "x"), -1);
    EXPECT(link("README.md", p), -1);
    EXPECT(exec(p, argv + 2), -1);
    EXPECT(exec("echo", (char **)p), -1);
    EXPECT(exec("echo", argv), -1);
    EXPECT(pipe((int *)p), -1);
    EXPECT(read(fd, p, 10), -1);
    EXPECT(write(fd, p, 10), -1);
    EXPECT(fstat(fd, (struct stat *)p), -1);
  }
  int pid = fork();
  if (pid == 0)
    exit(0);
  EXPECT(wait((int *)bad[0]), -1);
  CHECK(wait(0) == pid, "the child was not left for a good wait");
  pid = fork();
  if (pid == 0) {
    close(1);
    exit(write(1, "closed fd 1\n", 12) == -1 ? 0 : 1);
  }
  int st = 1;
  CHECK(wait(&st) == pid && st == 0, "a write to a closed fd 1 did not fail");
  CHECK(read(fd, buf, 10) == 10, "the fd stopped working");
  close(fd);
}

// An empty directory may be unlinked while it is some process's working directory (as
// on xv6), but then it takes no new entries: they would be orphans that no path reaches,
// and the parent's link count would be off (issue 14, bug 8).
static void cwdgone(void) {
  struct stat st;
  CHECK(stat(".", &st) == 0, "stat .");
  int links = st.nlink;
  int pid = fork();
  if (pid == 0) {
    int bad = mkdir("cg") != 0 || chdir("cg") != 0 || unlink("../cg") != 0;
    bad += open("x", O_CREATE | O_RDWR) != -1;
    bad += mkdir("y") != -1;
    bad += mknod("z", 9, 0) != -1;
    bad += link("/README.md", "w") != -1;
    exit(bad);
  }
  int status = -1;
  CHECK(pid > 0 && wait(&status) == pid && status == 0, "%d entries made in an unlinked working directory "
        "(or it could not be set up)", status);
  CHECK(stat("cg", &st) < 0, "cg is still there");
  CHECK(stat(".", &st) == 0 && st.nlink == links, "the directory's link count went from %d to %d", links, st.nlink);
}

static struct test_case cases[] = {
  {"manyfiles", manyfiles}, {"bigfile", bigfile}, {"bigdir", bigdir}, {"links", links},
  {"writers", writers}, {"exhaust", exhaust}, {"pipes", pipes}, {"badinput", badinput},
  {"execbad", execbad}, {"badptr", badptr}, {"isolation", isolation}, {"cleanup", cleanup},
  {"cwdgone", cwdgone},
};

int main(int argc, char *argv[]) {
  seed = uptime() * 7919 + getpid();
  exit(run_cases("fstests", "fstest", cases, sizeof cases / sizeof cases[0], argc, argv));
}
