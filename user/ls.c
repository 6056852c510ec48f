// ls [PATH...]: for each path (default "."), print "name type inum size"; for a
// directory, one such line for each of its entries.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "user/user.h"

// The last component of path, padded with spaces to DIRSIZ characters
// (a longer name is returned whole).
static const char *fmtname(const char *path) {
  static char name[DIRSIZ + 1];
  const char *p = path + strlen(path);
  while (p > path && p[-1] != '/')
    p--;
  uint n = strlen(p);
  if (n >= DIRSIZ)
    return p;
  memmove(name, p, n);
  memset(name + n, ' ', DIRSIZ - n);
  name[DIRSIZ] = 0;
  return name;
}

static void print(const char *path, struct stat *st) {
  printf("%s %d %d %d\n", fmtname(path), st->type, st->ino, (int)st->size);
}

static void ls(const char *path) {
  char buf[512];
  struct dirent de;
  struct stat st;

  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(2, "ls: cannot open %s\n", path);
    return;
  }
  if (fstat(fd, &st) < 0) {
    fprintf(2, "ls: cannot stat %s\n", path);
    close(fd);
    return;
  }
  if (st.type != T_DIR) {
    print(path, &st);
    close(fd);
    return;
  }
  // buf holds "path/name" for each entry, to stat it.
  uint plen = strlen(path);
  if (plen + 1 + DIRSIZ + 1 > sizeof buf) {
    fprintf(2, "ls: path too long\n");
    close(fd);
    return;
  }
  strcpy(buf, path);
  buf[plen] = '/';
  char *name = buf + plen + 1;
  while (read(fd, &de, sizeof de) == sizeof de) {
    if (de.inum == 0)   // a free entry
      continue;
    memmove(name, de.name, DIRSIZ);
    name[DIRSIZ] = 0;   // de.name lacks the 0 when it is DIRSIZ long
    if (stat(buf, &st) < 0) {
      fprintf(2, "ls: cannot stat %s\n", buf);
      continue;
    }
    print(buf, &st);
  }
  close(fd);
}

int main(int argc, char *argv[]) {
  if (argc < 2)
    ls(".");
  for (int i = 1; i < argc; i++)
    ls(argv[i]);
  exit(0);
}
