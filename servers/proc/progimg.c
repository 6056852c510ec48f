// Exec's host-independent part (progimg.h): arguments, ELF checks, the new stack,
// the boot image's table.
#include "servers/proc/progimg.h"

static uint64 slen(const char *s) {
  uint64 n = 0;
  while (s[n])
    n++;
  return n;
}

int progimg_args(const char *buf, uint64 len, int argc) {
  if (len == 0 || len > MAXARGBYTES || argc < 0 || argc > MAXARG)
    return E_INVAL;
  uint64 off = 0;
  for (int i = 0; i <= argc; i++) {      // the path, then argc arguments
    while (off < len && buf[off])
      off++;
    if (off++ >= len)
      return E_INVAL;
  }
  return 0;
}

int progimg_check(const struct elfhdr *eh, uint64 len) {
  if (eh->magic != ELF_MAGIC || eh->phentsize != sizeof(struct proghdr) || eh->entry >= MAXUVA ||
      eh->phoff % 8 || eh->phoff > len || (uint64)eh->phnum * sizeof(struct proghdr) > len - eh->phoff)
    return E_INVAL;
  return 0;
}

uint64 progimg_phoff(const struct elfhdr *eh, int i) { return eh->phoff + i * sizeof(struct proghdr); }

int progimg_segment(const struct proghdr *ph, uint64 len) {
  if (ph->type != ELF_PROG_LOAD || ph->memsz == 0)
    return 0;
  if (ph->filesz > ph->memsz || ph->off > len || ph->filesz > len - ph->off ||
      ph->vaddr >= PROG_STACK_LO || ph->memsz > PROG_STACK_LO - ph->vaddr)
    return E_INVAL;
  return MEM_R | (ph->flags & 2 ? MEM_W : 0) | (ph->flags & 1 ? MEM_X : 0);
}

uint64 progimg_need(const uchar *img, uint64 len, uint64 max) {
  const struct elfhdr *eh = (const void *)img;
  if (len < sizeof *eh || eh->magic != ELF_MAGIC)
    return len;
  if (progimg_check(eh, len) < 0)
    return max;
  uint64 end = progimg_phoff(eh, eh->phnum);
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const void *)(img + progimg_phoff(eh, i));
    if (ph->type == ELF_PROG_LOAD && ph->off + ph->filesz > end)
      end = ph->off + ph->filesz;
  }
  return end < max ? end : max;
}

uint64 progimg_heap(uint64 end) { return (end + 4095) & ~4095UL; }

uint64 progimg_stack(char *out, int argc, const char *args) {
  uint64 strs = 0;
  for (int i = 0; i < argc; i++)
    strs += slen(args + strs) + 1;
  uint64 size = (sizeof(struct start_info) + (argc + 1) * 8 + strs + 15) & ~15UL;
  uint64 at = USTACK_TOP - size;            // where out[0] will be
  struct start_info *si = (void *)out;
  uint64 *argv = (uint64 *)(out + sizeof *si);
  char *str = (char *)(argv + argc + 1);
  *si = (struct start_info){.argc = argc, .argv = (char **)(at + sizeof *si), .arg = 0};
  for (uint64 i = 0, off = 0; i < argc; i++) {
    argv[i] = at + (str - out) + off;
    uint64 n = slen(args + off) + 1;
    for (uint64 k = 0; k < n; k++)
      str[off + k] = args[off + k];
    off += n;
  }
  argv[argc] = 0;
  return size;
}

const char *progimg_name(const char *path) {
  const char *base = path;
  for (const char *s = path; *s; s++)
    if (*s == '/')
      base = s + 1;
  return base;
}

const uchar *progimg_boot(const uchar *img, uint64 pa, const char *path, uint64 *len) {
  if (*path == '/')
    path++;
  for (const struct bootimg_entry *e = (const void *)img; e->name; e++) {
    const char *name = (const char *)img + (e->name - pa), *p = path;
    while (*p && *p == *name)
      p++, name++;
    if (*p == 0 && *name == 0) {
      *len = e->end - e->start;
      return img + (e->start - pa);
    }
  }
  return 0;
}
