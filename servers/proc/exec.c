// Exec in the process server: the arguments arrive by bulk copy from the caller's
// buffer, the program is read through the file server into our own buffer (or found
// in the boot image when no file server answers), and the memory server builds the
// new address space (MEM_NEWAS, MEM_REGION, MEM_WRITE). The checks and the layout of
// the new stack are shared with the kernel's version (progimg.c).
#include "servers/lib/server.h"
#include "servers/proc/ptable.h"
#include "servers/proc/progimg.h"
#include "servers/fs/fsproto.h"
#include "kernel/fs.h"
#include "kernel/stat.h"
#include "user/lib/mv6.h"
#include "user/user.h"

// @lab 02 solution: exec
#define BOOTIMG_VA 0x50000000UL   // where we map the boot image, read-only

// main.c
int64 mem(uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, const void *buf, uint64 len);
int64 fs(uint64 label, uint64 w0, uint64 w1, void *buf, uint64 len, int rights);
int no_fs(int64 e);

static struct bootinfo bi;

void exec_setup(void) {
  get_bootinfo(&bi);
  for (uint64 off = 0; off < bi.bootimg_len; off += 4096)
    if (page_map(0, BOOTIMG_VA + off, bi.bootimg_pa + off, MAP_R) < 0)
      printf("proc: cannot map the boot image\n");
}

// The largest program file exec reads: 268 KiB, the largest file before the file
// system had a doubly-indirect block (a buffer of MAXFILE blocks would be 64 MiB).
#define PROG_FILE_MAX (268 * 1024)

// The program at path (looked up from task's working directory): *img and its length,
// or an error.
static int64 read_program(uint64 task, const char *path, const uchar **img) {
  static uchar file[PROG_FILE_MAX];
  uint64 len = 0;
  int64 fd = fs(FS_OPEN, 0, task, (void *)path, strlen(path) + 1, BUF_R), n = 0;
  if (no_fs(fd)) {
    *img = progimg_boot((const uchar *)BOOTIMG_VA, bi.bootimg_pa, path, &len);
    return *img ? (int64)len : E_INVAL;
  }
  struct stat st;
  if (fd >= 0 && (fs(FS_FSTAT, fd, 0, &st, sizeof st, BUF_W) < 0 || st.type != T_FILE)) {
    fs(FS_CLOSE, fd, 0, 0, 0, 0);   // a device or a directory: read to its end, the
    return E_INVAL;                 // console would keep us waiting for input
  }
  if (fd < 0)
    return fd;
  uint64 want = 4096;               // the headers first (a page), then only what loads
  for (int pass = 0; pass < 2; pass++) {
    while (len < want && (n = fs(FS_READ, fd, 0, file + len, want - len, BUF_W)) > 0)
      len += n;
    want = progimg_need(file, len, sizeof file);
  }
  fs(FS_CLOSE, fd, 0, 0, 0, 0);
  *img = file;
  return n < 0 ? n : (int64)len;
}

// The new program's address space, not running yet: its task, *entry and *sp.
static int64 load(const uchar *img, uint64 len, const char *path, int argc, const char *args, uint64 *entry,
                  uint64 *sp) {
  static char stack[PROG_STACK_MAX];
  const struct elfhdr *eh = (const void *)img;
  if (len < sizeof *eh || progimg_check(eh, len) < 0)
    return E_INVAL;
  uint64 name[2] = {0};
  const char *base = progimg_name(path);
  memmove(name, base, strlen(base) < 15 ? strlen(base) : 15);
  int64 task = mem(MEM_NEWAS, name[0], name[1], 0, 0, 0, 0);
  if (task < 0)
    return task;
  uint64 end = 0;
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const void *)(img + progimg_phoff(eh, i));
    int flags = progimg_segment(ph, len);
    if (flags == 0)
      continue;
    if (flags < 0 || mem(MEM_REGION, task, ph->vaddr, ph->memsz, flags, 0, 0) < 0 ||
        (ph->filesz && mem(MEM_WRITE, task, ph->vaddr, 0, 0, img + ph->off, ph->filesz) < 0))
      goto bad;
    if (ph->vaddr + ph->memsz > end)
      end = ph->vaddr + ph->memsz;
  }
  uint64 size = progimg_stack(stack, argc, args);
  if (mem(MEM_REGION, task, progimg_heap(end), 0, MEM_HEAP, 0, 0) < 0 ||
      mem(MEM_REGION, task, PROG_STACK_LO, USTACK_TOP - PROG_STACK_LO, MEM_R | MEM_W | MEM_STACK, 0, 0) < 0 ||
      mem(MEM_WRITE, task, USTACK_TOP - size, 0, 0, stack, size) < 0)
    goto bad;
  *entry = eh->entry;
  *sp = USTACK_TOP - size;
  return task;
bad:
  mem(MEM_FREE, task, 0, 0, 0, 0, 0);
  return E_INVAL;
}

// A running program in a new task that takes over old's files (old 0: init).
int64 exec_start(uint64 old, const char *path, int argc, const char *args) {
  const uchar *img;
  uint64 entry, sp;
  int64 len = read_program(old, path, &img), t, e;
  if (len < 0)
    return len;
  if ((t = load(img, len, path, argc, args, &entry, &sp)) < 0)
    return t;
  if ((e = fs(FS_EXEC, old, t, 0, 0, 0)) < 0 && !no_fs(e)) {
    mem(MEM_FREE, t, 0, 0, 0, 0, 0);
    return e;
  }
  if ((e = task_watch(t, EP_PROC, PROC_DIED)) < 0 || (e = thread_start(t, entry, sp, sp, 4)) < 0) {
    fs(FS_EXEC, t, old, 0, 0, 0);
    mem(MEM_FREE, t, 0, 0, 0, 0, 0);
    return e;
  }
  return t;
}

void exec_request(struct req *r, struct proc *p) {
  static char args[MAXARGBYTES];
  int argc = r->w[0];
  // E_NOTPRESENT: a page of the caller's buffer is not there yet; its library faults
  // the buffer in and asks again.
  int64 e = r->buflen && r->buflen <= sizeof args ? ipc_copy_from(r->token, 0, args, r->buflen) : E_INVAL;
  if (e >= 0)
    e = progimg_args(args, r->buflen, argc);
  if (e >= 0)
    e = exec_start(p->task, args, argc, args + strlen(args) + 1);
  if (e < 0) {
    r->rlabel = e;
    return;
  }
  uint64 old = p->task;
  ptable_exec(p, e, progimg_name(args));
  defer(r);                     // the caller's task ends now: no reply, ever
  mem(MEM_FREE, old, 0, 0, 0, 0, 0);
}
// @lab 02 stub
//: // TODO (lab 02): exec, if you want it in a file of its own (main.c is fine too).
// @lab 02 end
