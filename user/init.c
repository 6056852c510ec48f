// init: the first process (pid 1). With a file system it opens the console as fds 0,
// 1 and 2 and runs the shell, again each time it exits. The kernel command line can
// name another program instead (prog=, with one argument arg=); without a file
// system the default is hello. init reaps orphans, and reports how its program ended.
// If the file server was restarted (servers/super), every open file was lost with it:
// init opens the console again before it starts the next shell.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "user/lib/mv6.h"

static char prog[64], arg[64];

static int start(char **args) {
  int pid = fork();
  if (pid == 0) {
    exec(args[0], args);
    printf("init: exec %s failed\n", args[0]);
    exit(1);
  }
  if (pid < 0)
    printf("init: fork failed\n");
  return pid;
}

// The console as fds 0, 1 and 2: 0, or -1 if there is none.
static int open_console(void) {
  for (int fd = 0; fd < 3; fd++)
    close(fd);
  int console = open("console", O_RDWR);
  if (console < 0 && mknod("console", CONSOLE, 0) == 0)
    console = open("console", O_RDWR);
  if (console < 0)
    return -1;
  dup(console);
  dup(console);
  return 0;
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  struct stat st;
  int console = open_console();
  strcpy(prog, console >= 0 ? "sh" : "hello");
  if (get_bootinfo(&bi) > 0) {
    bootarg(bi.bootargs, "prog", prog, sizeof prog);
    bootarg(bi.bootargs, "arg", arg, sizeof arg);
  }
  int shell = console >= 0 && strcmp(prog, "sh") == 0;
  if (bootarg(bi.bootargs, "benchboot", 0, 0)) {       // make bench: instructions from reset to here
    uint64 n;
    asm volatile("rdinstret %0" : "=r"(n));
    n -= kstat(STAT_IDLE);                             // not the time idle in wfi (sched.c)
    printf("bench: boot_to_shell %ld instructions\n", (int64)n);
  }
  printf("init: pid %d, starting %s\n", getpid(), prog);
  char *args[] = {prog, arg[0] ? arg : 0, 0};
  int pid = start(args);
  for (;;) {
    int status;
    int w = wait(&status);
    if (w > 0 && w == pid && shell) {
      if (fstat(0, &st) < 0)
        open_console();              // lost with a file server that was restarted
      pid = start(args);             // the shell exited: a new one
    } else if (w > 0 && w == pid) {
      printf("init: %s exited with status %d\n", prog, status);
    } else if (w < 0) {
      sleep(10);                     // no children now: orphans may arrive later
    }
  }
}
