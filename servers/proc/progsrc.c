// Where exec finds programs: the file system, read through the file server and
// looked up from the calling process's directory; when there is no file server
// (a boot group without one), the boot image (kernel/abi.h: struct bootimg_entry).
#include "servers/include/svc.h"
#include "servers/proc/prochost.h"
#include "servers/fs/fsproto.h"
#include "kernel/fs.h"

static unsigned char image[MAXFILE * BSIZE];

static int64 fs(uint64 label, uint64 w0, uint64 w1, void *buf, uint64 len, int rights, uint64 *rw0) {
  struct svc_msg m = {TAG(label, rights, len), {w0, w1, 0, 0}};
  int64 r = svc_call(EP_FS, &m, buf);
  if (r < 0)
    return r;
  *rw0 = m.w[0];
  return TAG_LABEL(m.tag) ? (int64)(short)TAG_LABEL(m.tag) : 0;
}

static const unsigned char *from_fs(uint64 caller, const char *path, uint64 *len, int64 *err) {
  uint64 n = 0, fd, got;
  while (path[n])
    n++;
  if ((*err = fs(FS_OPEN, 0, caller, (void *)path, n + 1, BUF_R, &fd)) < 0)
    return 0;
  *len = 0;
  while (*len < sizeof image && fs(FS_READ, fd, 0, image + *len, sizeof image - *len, BUF_W, &got) == 0 && got > 0)
    *len += got;
  fs(FS_CLOSE, fd, 0, 0, 0, 0, &got);
  return image;
}

static const unsigned char *from_bootimg(const char *path, uint64 *len) {
  uint64 size, pa;
  const unsigned char *img = proch_bootimg(&size, &pa);
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

// The ELF image of the program at path, or 0.
const unsigned char *prog_find(uint64 caller, const char *path, uint64 *len) {
  int64 err;
  const unsigned char *img = from_fs(caller, path, len, &err);
  if (img || (err != E_BADHANDLE && err != E_DEAD))
    return img;
  return from_bootimg(path, len);
}
