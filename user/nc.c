// nc [-u] host port | nc [-u] -l port: a byte pipe between the console and a TCP
// connection or UDP peer. Connects to host:port, or with -l waits for one connection
// (UDP: the first datagram's sender) on port; then what arrives goes to standard
// output (a thread of its own) and standard input goes out, line by line. The end of
// input ends our half (TCP); the peer's end (or, for UDP, input's) ends nc.
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/net/net.h"

static int sock;
static char rbuf[2048], wbuf[2048];
static char stack[8192] __attribute__((aligned(16)));

static void receiver(void *arg) {
  int n;
  while ((n = read(sock, rbuf, sizeof rbuf)) > 0)
    write(1, rbuf, n);
  exit(0);                     // the peer is done (or gone): so are we
}

int main(int argc, char *argv[]) {
  int udp = 0, listen_ = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    udp |= strcmp(argv[i], "-u") == 0;
    listen_ |= strcmp(argv[i], "-l") == 0;
  }
  uint ip = 0;
  if (argc - i != (listen_ ? 1 : 2) || (!listen_ && parseip(argv[i], &ip) < 0)) {
    fprintf(2, "usage: nc [-u] A.B.C.D port | nc [-u] -l port\n");
    exit(1);
  }
  int port = atoi(argv[argc - 1]), s = socket(udp ? NET_UDP : NET_TCP), e;
  if (listen_ && udp) {
    int from;
    e = bind(s, port) == port ? recvfrom(s, rbuf, sizeof rbuf, &ip, &from, 0) : -1;
    if (e >= 0) {
      write(1, rbuf, e);
      e = connect(s, ip, from);
    }
    sock = s;
  } else if (listen_) {
    e = bind(s, port) == port && listen(s) == 0 ? (sock = accept(s, 0, 0)) : -1;
    close(s);
  } else {
    e = connect(s, ip, port);
    sock = s;
  }
  if (s < 0 || e < 0) {
    fprintf(2, "nc: %s\n", e == NET_REFUSED ? "refused" : e == NET_TIMEOUT ? "timed out" : "failed");
    exit(1);
  }
  thread_create(receiver, 0, stack, sizeof stack, 4);
  int n;
  while ((n = read(0, wbuf, sizeof wbuf)) > 0)
    if (write(sock, wbuf, n) != n)
      break;
  if (udp)
    exit(0);
  shutdown(sock);
  for (;;)
    sleep(100);                // the receiver ends us
}
