// httpd [port]: a small HTTP/1.0 server (default port 80, which `make qemu` forwards
// from the host). GET /path answers 200 with the file's bytes and their length, or
// 404 for anything but a regular file; other methods get 501. One connection at a
// time: sockets are not inherited by fork yet (servers/net/README.md); up to 8 more
// wait in the listen queue.
#include "user/user.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "servers/net/net.h"

static char buf[4096];

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

static void answer(int c) {
  int n = 0, k;
  while (n < (int)sizeof buf - 1 && (k = recvfrom(c, buf + n, sizeof buf - 1 - n, 0, 0, 5000)) > 0) {
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
    while ((n = read(fd, buf, sizeof buf)) > 0 && send(c, buf, n) == n)
      ;
  }
  if (fd >= 0)
    close(fd);
}

int main(int argc, char *argv[]) {
  int port = argc > 1 ? atoi(argv[1]) : 80, l = socket(NET_TCP);
  if (l < 0 || bind(l, port) != port || listen(l) < 0) {
    fprintf(2, "httpd: cannot listen on port %d\n", port);
    exit(1);
  }
  printf("httpd: listening on port %d\n", port);
  for (;;) {
    int c = accept(l, 0, 0);
    if (c < 0)
      continue;
    answer(c);
    sockclose(c);
  }
}
