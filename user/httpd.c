// httpd [port]: a small HTTP/1.0 server (default port 80, which `make qemu` forwards
// from the host). GET /path answers 200 with the file's bytes and their length, or
// 404 for anything but a regular file; other methods get 501. NWORKERS threads serve
// connections at once: the main thread accepts and sends each connection to the
// workers' endpoint, where a free worker takes it (the send waits while all are busy).
#include "user/user.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "servers/net/net.h"
#include "user/lib/mv6.h"

#define NWORKERS 4

static char *utoa(uint n, char *end) {
  *--end = 0;
  do
    *--end = '0' + n % 10;
  while (n /= 10);
  return end;
}

static void say(int c, const char *status, uint len) {
  char num[12];
  const char *parts[] = {"HTTP/1.0 ", status, "\r\nContent-Length: ", utoa(len, num + sizeof num),
                         "\r\nConnection: close\r\n\r\n"};
  for (int i = 0; i < 5; i++)
    send(c, parts[i], strlen(parts[i]));
}

static void answer(int c, char *buf, int size) {
  int n = 0, k;
  while (n < size - 1 && (k = recvfrom(c, buf + n, size - 1 - n, 0, 0, 5000)) > 0) {
    n += k;
    buf[n] = 0;
    if (strchr(buf, '\n'))
      break;                   // the request line is in: the headers do not matter to us
  }
  buf[n] = 0;
  char *path = buf + 4, *end = strchr(path, ' ');
  if (memcmp(buf, "GET ", 4) != 0 || !end || *path != '/') {
    say(c, "501 Not Implemented", 0);
    return;
  }
  *end = 0;
  struct stat st;
  int fd = open(path, O_RDONLY);
  if (fd < 0 || fstat(fd, &st) < 0 || st.type != T_FILE) {
    say(c, "404 Not Found", 10);
    send(c, "not found\n", 10);
  } else {
    say(c, "200 OK", st.size);
    while ((n = read(fd, buf, size)) > 0 && send(c, buf, n) == n)
      ;
  }
  if (fd >= 0)
    close(fd);
}

static uint64 conns;            // the endpoint connections wait on for a worker

static void worker(void *arg) {
  static char bufs[NWORKERS][4096];
  char *buf = bufs[(uint64)arg];
  for (;;) {
    struct msg m;
    if (ipc_recv(conns, &m) < 0)
      continue;
    answer(m.w[0], buf, sizeof bufs[0]);
    sockclose(m.w[0]);
  }
}

int main(int argc, char *argv[]) {
  static char stacks[NWORKERS][8192] __attribute__((aligned(16)));
  int port = argc > 1 ? atoi(argv[1]) : 80, l = socket(NET_TCP);
  if (l < 0 || bind(l, port) != port || listen(l) < 0) {
    fprintf(2, "httpd: cannot listen on port %d\n", port);
    exit(1);
  }
  conns = ep_create();
  for (uint64 i = 0; i < NWORKERS; i++)
    thread_create(worker, (void *)i, stacks[i], sizeof stacks[i], 4);
  printf("httpd: listening on port %d\n", port);
  for (;;) {
    int c = accept(l, 0, 0);
    struct msg m = {.tag = TAG(0, 0, 0), .w = {c}};
    if (c >= 0)
      ipc_send(conns, &m);
  }
}
