// init: the first process (pid 1). It runs the program named by prog= on the kernel
// command line (default: hello) with the argument arg= if given, reaps orphans, and
// reports how the program ended.
#include "user/user.h"
#include "user/lib/mv6.h"

static char prog[64] = "hello", arg[64];

// Copies the value of key= from the kernel command line into out.
static void bootarg(const char *args, const char *key, char *out, int n) {
  int klen = strlen(key);
  for (const char *p = args; *p; p++) {
    if ((p == args || p[-1] == ' ') && memcmp(p, key, klen) == 0 && p[klen] == '=') {
      int i = 0;
      for (p += klen + 1; *p && *p != ' ' && i < n - 1; p++)
        out[i++] = *p;
      out[i] = 0;
      return;
    }
  }
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  if (get_bootinfo(&bi) > 0) {
    bootarg(bi.bootargs, "prog", prog, sizeof prog);
    bootarg(bi.bootargs, "arg", arg, sizeof arg);
  }
  printf("init: pid %d, starting %s\n", getpid(), prog);
  char *args[] = {prog, arg[0] ? arg : 0, 0};
  int pid = fork();
  if (pid < 0) {
    printf("init: fork failed\n");
    exit(1);
  }
  if (pid == 0) {
    exec(prog, args);
    printf("init: exec %s failed\n", prog);
    exit(1);
  }
  for (;;) {
    int status;
    int w = wait(&status);
    if (w == pid)
      printf("init: %s exited with status %d\n", prog, status);
    else if (w < 0)
      sleep(10);           // no children now: orphans may arrive later
  }
}
