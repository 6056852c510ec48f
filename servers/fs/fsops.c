// The file core's operations on names (xv6's sysfile, without its system-call
// layer): open, link, unlink, mkdir, mknod, chdir, fstat, shared by both hosts. Each
// takes plain arguments (a NUL-terminated path the host has copied in already) and
// returns a result or an error; those that change the disk run in a transaction the
// host opened (log_begin) and commits (log_end) before it answers.
#include "servers/fs/fs.h"
#include "kernel/fcntl.h"

static struct inode *create(const char *path, struct inode *cwd, short type, short major, short minor) {
  char name[DIRSIZ];
  struct inode *dp = nameiparent(path, cwd, name), *ip;
  if (!dp)
    return 0;
  iload(dp);
  if (dp->nlink < 1) {                         // unlinked, though someone's working directory:
    iput(dp);                                  // no new entries (they would be orphans)
    return 0;
  }
  if ((ip = dirlookup(dp, name, 0)) != 0) {
    iput(dp);
    iload(ip);
    if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
      return ip;
    iput(ip);
    return 0;
  }
  if ((ip = ialloc(type)) == 0) {
    iput(dp);
    return 0;
  }
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;
  iupdate(ip);
  if (type == T_DIR) {
    if (dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
      goto fail;
    dp->nlink++;                               // for ".."
    iupdate(dp);
  }
  if (dirlink(dp, name, ip->inum) < 0)
    goto fail;
  iput(dp);
  return ip;
fail:
  ip->nlink = 0;
  iupdate(ip);
  iput(ip);
  iput(dp);
  return 0;
}

// path (from cwd) opened into t: the new fd, or E_INVAL. In a transaction.
int64 fs_open(struct fdtab *t, struct inode *cwd, const char *path, int omode) {
  struct inode *ip;
  if (omode & O_CREATE) {
    ip = create(path, cwd, T_FILE, 0, 0);
  } else if ((ip = namei(path, cwd)) != 0) {
    iload(ip);
    if (ip->type == T_DIR && omode != O_RDONLY) {
      iput(ip);
      ip = 0;
    }
  }
  if (ip && ip->type == T_DEVICE && ip->major != CONSOLE) {
    iput(ip);
    ip = 0;
  }
  struct file *f = ip ? file_alloc() : 0;
  int64 fd = f ? fd_alloc(t, f) : E_INVAL;
  if (fd < 0) {
    if (f)
      f->ref = 0;
    if (ip)
      iput(ip);
    return E_INVAL;
  }
  f->type = ip->type == T_DEVICE ? FD_DEVICE : FD_INODE;
  f->ip = ip;
  f->readable = !(omode & O_WRONLY);
  f->writable = (omode & O_WRONLY) || (omode & O_RDWR);
  if ((omode & O_TRUNC) && ip->type == T_FILE)
    itrunc(ip);
  return fd;
}

// In a transaction.
int fs_link(struct inode *cwd, const char *old, const char *new) {
  char name[DIRSIZ];
  struct inode *ip = namei(old, cwd), *dp = 0;
  if (!ip)
    return E_INVAL;
  iload(ip);
  int e = E_INVAL;
  if (ip->type != T_DIR && (dp = nameiparent(new, cwd, name)) != 0)
    iload(dp);
  if (dp && dp->nlink > 0) {                   // not into an unlinked directory (create())
    ip->nlink++;
    iupdate(ip);
    if (dirlink(dp, name, ip->inum) == 0) {
      e = 0;
    } else {
      ip->nlink--;
      iupdate(ip);
    }
  }
  if (dp)
    iput(dp);
  iput(ip);
  return e;
}

static int isdirempty(struct inode *dp) {
  struct dirent de;
  for (uint off = 2 * sizeof de; off < dp->size; off += sizeof de)
    if (readi(dp, 0, (uint64)&de, off, sizeof de) != sizeof de || de.inum != 0)
      return 0;
  return 1;
}

// In a transaction.
int fs_unlink(struct inode *cwd, const char *path) {
  char name[DIRSIZ];
  uint off;
  struct inode *dp = nameiparent(path, cwd, name), *ip = 0;
  int e = E_INVAL;
  if (dp && namecmp(name, ".") != 0 && namecmp(name, "..") != 0 && (ip = dirlookup(dp, name, &off)) != 0) {
    iload(dp);
    iload(ip);
    if (ip->type != T_DIR || isdirempty(ip)) {
      struct dirent de = {0};
      if (writei(dp, &de, off, sizeof de) == sizeof de) {
        if (ip->type == T_DIR) {
          dp->nlink--;                         // its ".." is gone
          iupdate(dp);
        }
        ip->nlink--;
        iupdate(ip);
        e = 0;
      }
    }
  }
  if (ip)
    iput(ip);
  if (dp)
    iput(dp);
  return e;
}

// A directory (T_DIR) or a device node (T_DEVICE). In a transaction.
int fs_make(struct inode *cwd, const char *path, short type, short major, short minor) {
  struct inode *ip = create(path, cwd, type, major, minor);
  if (!ip)
    return E_INVAL;
  iput(ip);
  return 0;
}

// In a transaction (the old directory is put).
int fs_chdir(struct fdtab *t, const char *path) {
  struct inode *ip = namei(path, t->cwd);
  if (!ip)
    return E_INVAL;
  iload(ip);
  if (ip->type != T_DIR) {
    iput(ip);
    return E_INVAL;
  }
  iput(t->cwd);
  t->cwd = ip;
  return 0;
}

int fs_fstat(struct file *f, struct stat *st) {
  if (!f || f->type == FD_PIPE || f->type == FD_SOCKET)
    return E_INVAL;
  iload(f->ip);
  stati(f->ip, st);
  return 0;
}
