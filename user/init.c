// init: the first process (pid 1). It runs the program named by prog= on the kernel
// command line (default: hello), reaps orphans, and reports how the program ended.
#include "user/user.h"
#include "user/lib/mv6.h"

static char prog[64] = "hello";

static void parse_bootargs(void) {
  struct bootinfo bi;
  if (get_bootinfo(&bi) < 0)
    return;
  for (char *p = bi.bootargs; *p; p++) {
    if ((p == bi.bootargs || p[-1] == ' ') && p[0] == 'p' && p[1] == 'r' && p[2] == 'o' && p[3] == 'g' && p[4] == '=') {
      int i = 0;
      for (p += 5; *p && *p != ' ' && i < (int)sizeof prog - 1; p++)
        prog[i++] = *p;
      prog[i] = 0;
      return;
    }
  }
}

int main(int argc, char *argv[]) {
  parse_bootargs();
  printf("init: pid %d, starting %s\n", getpid(), prog);
  char *args[] = {prog, 0};
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
