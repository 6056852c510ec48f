// traceme read|fork|wait|fault: the workloads of `make trace` (mk/trace.py). The kernel traces
// every IPC (bootarg trace); this program brackets one operation between two
// notifications to an endpoint of its own, which the trace shows as
// `notify traceme -> traceme bits 1` (begin) and `bits 2` (end).
//   read: one 512-byte read() of README.md, whose data block the cache has not seen
//   fork: one fork(); the child exits at once, the parent waits for it after the end mark
//   wait: one wait() that must wait: the child runs this program again under the name
//         tracechild (a link, so that its task has a name of its own in the trace),
//         naps 5 ticks, then exits; the parent lets it get to its nap before the mark
//   fault: one page fault on a fresh heap page (sbrk'd before the mark)
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/lib/mv6.h"

static char buf[512];

int main(int argc, char *argv[]) {
  int64 ep = ep_create();
  if (ep < 0 || argc < 2) {
    printf("traceme: usage: traceme read|fork|wait|fault\n");
    exit(1);
  }
  if (strcmp(argv[1], "read") == 0) {
    int fd = open("README.md", O_RDONLY);
    buf[0] = 1;                          // the page is present before the mark
    ipc_notify(ep, 1);
    int n = read(fd, buf, sizeof buf);
    ipc_notify(ep, 2);
    close(fd);
    exit(n == sizeof buf ? 0 : 1);
  }
  if (strcmp(argv[1], "fork") == 0) {
    ipc_notify(ep, 1);
    int pid = fork();
    if (pid == 0)
      exit(0);
    ipc_notify(ep, 2);
    int status;
    exit(pid > 0 && wait(&status) == pid ? 0 : 1);
  }
  if (strcmp(argv[1], "wait") == 0) {
    unlink("tracechild");
    if (link("traceme", "tracechild") < 0)
      exit(1);
    int pid = fork();
    if (pid == 0) {
      char *args[] = {"tracechild", "nap", 0};
      exec("tracechild", args);
      exit(1);
    }
    sleep(2);
    int status;
    ipc_notify(ep, 1);
    int got = wait(&status);
    ipc_notify(ep, 2);
    unlink("tracechild");
    exit(pid > 0 && got == pid && status == 0 ? 0 : 1);
  }
  if (strcmp(argv[1], "nap") == 0) {
    sleep(5);
    exit(0);
  }
  if (strcmp(argv[1], "fault") == 0) {
    char *page = sbrk(4096);
    if (page == (char *)-1)
      exit(1);
    ipc_notify(ep, 1);
    page[0] = 1;
    ipc_notify(ep, 2);
    exit(page[0] == 1 ? 0 : 1);
  }
  printf("traceme: unknown workload %s\n", argv[1]);
  exit(1);
}
