// Loading an ELF program into a new address space with its arguments on the stack.
// The memory server builds the space (MEM_NEWAS, MEM_REGION, MEM_WRITE); we start
// its first thread.
#include "servers/include/svc.h"
#include "servers/mem/mem.h"
#include "servers/proc/proc.h"
#include "servers/proc/prochost.h"
#include "kernel/elf.h"

const unsigned char *prog_find(uint64 caller, const char *path, uint64 *len);

static int64 mem(uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, const void *buf, uint64 len) {
  struct svc_msg m = {TAG(label, BUF_R, len), {w0, w1, w2, w3}};
  int64 r = svc_call(EP_MEM, &m, (void *)buf);
  if (r < 0)
    return r;
  return TAG_LABEL(m.tag) ? (int64)(short)TAG_LABEL(m.tag) : (int64)m.w[0];
}

static uint64 name_word(const char *name, int i) {
  uint64 w = 0;
  for (int k = 0; k < 8 && name[i * 8 + k]; k++)
    w |= (uint64)(uint8)name[i * 8 + k] << (8 * k);
  return w;
}

static int strlen_(const char *s) {
  int n = 0;
  while (s[n])
    n++;
  return n;
}

// Builds the new program's address space; returns its task (not yet running) and
// the entry point, or an error. args holds argc strings, one after the other.
int64 exec_load(uint64 caller, const char *path, int argc, const char *args, uint64 *entry, uint64 *sp) {
  uint64 len;
  const unsigned char *img = prog_find(caller, path, &len);
  const struct elfhdr *eh = (const void *)img;
  if (!img || len < sizeof *eh || eh->magic != ELF_MAGIC || eh->phentsize != sizeof(struct proghdr) ||
      eh->phoff + (uint64)eh->phnum * sizeof(struct proghdr) > len)
    return E_INVAL;
  char name[16] = {0};
  const char *base = path;
  for (const char *p = path; *p; p++)
    if (*p == '/')
      base = p + 1;
  for (int i = 0; i < 15 && base[i]; i++)
    name[i] = base[i];
  int64 task = mem(MEM_NEWAS, name_word(name, 0), name_word(name, 1), 0, 0, 0, 0);
  if (task < 0)
    return task;
  uint64 end = 0;
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const void *)(img + eh->phoff + i * sizeof *ph);
    if (ph->type != ELF_PROG_LOAD || ph->memsz == 0)
      continue;
    int flags = MEM_R | (ph->flags & 2 ? MEM_W : 0) | (ph->flags & 1 ? MEM_X : 0);
    if (ph->filesz > ph->memsz || ph->off + ph->filesz > len || ph->vaddr + ph->memsz < ph->vaddr ||
        mem(MEM_REGION, task, ph->vaddr, ph->memsz, flags, 0, 0) < 0 ||
        (ph->filesz && mem(MEM_WRITE, task, ph->vaddr, 0, 0, img + ph->off, ph->filesz) < 0))
      goto bad;
    if (ph->vaddr + ph->memsz > end)
      end = ph->vaddr + ph->memsz;
  }
  uint64 stack_lo = USTACK_TOP - STACK_PAGES * 4096UL;
  if (mem(MEM_REGION, task, (end + 4095) & ~4095UL, 0, MEM_HEAP, 0, 0) < 0 ||
      mem(MEM_REGION, task, stack_lo, STACK_PAGES * 4096UL, MEM_R | MEM_W | MEM_STACK, 0, 0) < 0)
    goto bad;
  // The top of the stack: start_info, argv[], the strings.
  static char top[MAXARGBYTES + (MAXARG + 1) * 8 + 64];
  int slen = 0;
  for (int i = 0; i < argc; i++)
    slen += strlen_(args + slen) + 1;
  uint64 size = (sizeof(struct start_info) + (argc + 1) * 8 + slen + 15) & ~15UL;
  uint64 at = USTACK_TOP - size;
  struct start_info *si = (void *)top;
  uint64 *argv = (uint64 *)(top + sizeof *si);
  char *str = (char *)(argv + argc + 1);
  si->argc = argc;
  si->argv = (char **)(at + sizeof *si);
  si->arg = 0;
  for (int i = 0, off = 0; i < argc; i++) {
    argv[i] = at + (str - top) + off;
    int n = strlen_(args + off) + 1;
    for (int k = 0; k < n; k++)
      str[off + k] = args[off + k];
    off += n;
  }
  argv[argc] = 0;
  if (mem(MEM_WRITE, task, at, 0, 0, top, size) < 0)
    goto bad;
  *entry = eh->entry;
  *sp = at;
  return task;
bad:
  mem(MEM_FREE, task, 0, 0, 0, 0, 0);
  return E_INVAL;
}
