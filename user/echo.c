// echo ARGS: print the arguments separated by spaces, then a newline (nothing at all
// without arguments, as xv6). The line goes out in one write, so that it is not
// interleaved with another process's output.
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[]) {
  uint len = 0;
  for (int i = 1; i < argc; i++)
    len += strlen(argv[i]) + 1;   // the word and the space or newline after it
  if (len == 0)
    exit(0);
  char *line = malloc(len);
  if (line == 0) {   // no memory: write the words one by one
    for (int i = 1; i < argc; i++) {
      write(1, argv[i], strlen(argv[i]));
      write(1, i + 1 < argc ? " " : "\n", 1);
    }
    exit(0);
  }
  char *p = line;
  for (int i = 1; i < argc; i++) {
    uint n = strlen(argv[i]);
    memmove(p, argv[i], n);
    p += n;
    *p++ = i + 1 < argc ? ' ' : '\n';
  }
  int ok = write(1, line, len) == (int)len;
  exit(ok ? 0 : 1);
}
