// nettest CASE: the network server and driver as a process uses them (grade/suites/
// net.py). Cases:
//   api   pings of the gateway answered, of an absent host timed out; bad sockets,
//         ports, addresses and buffers refused; a socket fd inherited by fork and
//         dup'ed, closed at its last close; a wrong key refused; the driver refused to a
//         process; a receive with a time limit times out
//   garbage  random messages to both servers; a dead process's sockets closed
//   udp   UDP with the host (grade/nettest.py checks every byte there): one datagram
//         to 10.0.2.2:hostport= (boot argument), then echo every datagram that reaches
//         port 7 to its sender until one says "quit"
//   tcp   TCP with the host (grade/nettest.py): a connection echoed by a child with read
//         and write on the fd it inherited, 1 MiB out, a reset, a peer reset mid-send
//   raw   udp, a child echoing TCP on port 80 and httpd on 8080, for a test that plays
//         the network
//   files /empty (0 B) and /big (BIGFILE bytes of PATTERN, 1 MiB: a file that needs the
//         doubly-indirect block) for grade/nettest.py http, then exec httpd
//   bench the guest's side of make bench's network figures (mk/netbench.py): httpd on
//         port 8080, a TCP sink on 80, a TCP source on 81, and udp's echo on port 7
#include "user/tests/testlib.h"
#include "servers/net/net.h"
#include "servers/netdrv/netdrv.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"

#define GW NET_IP(10, 0, 2, 2)

static void api(void) {
  struct msg m;
  int ok = 0;
  for (int seq = 1; seq <= 3; seq++)
    ok += netping(GW, seq, 1000, 56) >= 0;
  CHECK(ok >= 2, "%d of 3 pings of the gateway answered", ok);
  EXPECT(netping(NET_IP(10, 0, 2, 99), 1, 300, 0), NET_TIMEOUT);    // nobody answers its ARP
  EXPECT(netping(0, 1, 300, 0), E_INVAL);
  EXPECT(netping(GW, 1, 300, 100000), E_INVAL);
  EXPECT(socket(99), E_INVAL);
  EXPECT(bind(12345, 0), E_INVAL);
  EXPECT(bind(1, 0), E_INVAL);                   // the console's fd: no socket
  EXPECT(sockclose(-1), -1);
  int s = socket(NET_UDP), t = socket(NET_UDP);
  CHECK(s >= 0 && t >= 0, "socket: %d %d", s, t);
  EXPECT(bind(s, 7777), 7777);
  EXPECT(bind(t, 7777), E_INVAL);                 // the port is taken
  EXPECT(bind(s, 7778), E_INVAL);                 // already bound
  EXPECT(bind(t, 70000), E_INVAL);
  CHECK(bind(t, 0) >= 49152, "a free port");
  static char big[NET_UDPMAX + 1];
  EXPECT(sendto(s, big, sizeof big, GW, 9), E_INVAL);
  EXPECT(sendto(s, "x", 1, 0, 0), E_INVAL);       // not connected
  EXPECT(sendto(s, (char *)0x10, 1, GW, 9), E_NOTPRESENT);
  EXPECT(sendto(s, (char *)MAXUVA, 1, GW, 9), E_BADADDR);
  EXPECT(connect(s, 0, 9), E_INVAL);
  EXPECT(connect(s, GW, 9), 0);
  EXPECT(sendto(s, "x", 1, 0, 0), 1);
  char buf[64];
  uint64 t0 = time_ns();
  EXPECT(recvfrom(t, buf, sizeof buf, 0, 0, 200), NET_TIMEOUT);
  CHECK(time_ns() - t0 >= 200000000ULL, "the receive waited %d ms", (int)((time_ns() - t0) / 1000000));
  EXPECT(recvfrom(t, (char *)MAXUVA, 8, 0, 0, 10), E_INVAL);
  // a child inherits the socket (an fd): it sends on it and closes its copy, which
  // leaves ours open; the port is free again only after our close, the last
  int pid = fork();
  if (pid == 0) {
    int u = socket(NET_UDP);
    exit(sendto(s, "x", 1, GW, 9) == 1 && sockclose(s) == 0 && u >= 0 && bind(u, 7777) == E_INVAL ? 0 : 1);
  }
  int st = -1;
  wait(&st);
  EXPECT(st, 0);
  EXPECT(sendto(s, "y", 1, GW, 9), 1);
  EXPECT(write(s, "z", 1), 1);                   // to the connected peer
  int d = dup(s);
  EXPECT(sockclose(s), 0);
  EXPECT(sockclose(s), -1);
  EXPECT(sendto(d, "y", 1, GW, 9), 1);           // the dup'ed fd still holds it
  EXPECT(sockclose(d), 0);
  int u = socket(NET_UDP);
  EXPECT(bind(u, 7777), 7777);                   // the last close closed the socket
  EXPECT(sockclose(u), 0);
  EXPECT(sockclose(t), 0);
  // the network server wants a socket's key; only the file server adopts sockets
  m = (struct msg){.tag = TAG(NET_SOCKET, 0, 0), .w = {NET_UDP}};
  EXPECT(ipc_call(EP_NET, &m, 0), 0);
  uint64 id = m.w[0], key = m.w[1];
  m = (struct msg){.tag = TAG(NET_BIND, 0, 0), .w = {id, 0, 0, key + 1}};
  EXPECT(ipc_call(EP_NET, &m, 0), 0);
  EXPECT((short)TAG_LABEL(m.tag), E_PERM);
  m = (struct msg){.tag = TAG(NET_ADOPT, 0, 0), .w = {id, 0, 0, key}};
  EXPECT(ipc_call(EP_NET, &m, 0), 0);
  EXPECT((short)TAG_LABEL(m.tag), E_PERM);
  m = (struct msg){.tag = TAG(NET_CLOSE, 0, 0), .w = {id, 0, 0, key}};
  EXPECT(ipc_call(EP_NET, &m, 0), 0);
  EXPECT(TAG_LABEL(m.tag), 0);
  // the driver serves the network server alone
  m = (struct msg){.tag = TAG(NETDRV_SEND, BUF_R, 60)};
  EXPECT(ipc_call(EP_NETDRV, &m, big), 0);
  EXPECT((short)TAG_LABEL(m.tag), E_PERM);
  m = (struct msg){.tag = TAG(NETDRV_STAT, 0, 0)};
  EXPECT(ipc_call(EP_NETDRV, &m, 0), 0);
  CHECK(TAG_LABEL(m.tag) == 0 && m.w[0] >= 3 && m.w[1] >= 3, "driver statistics: %d in, %d out",
        (int)m.w[0], (int)m.w[1]);
}

// Random messages to the network server and driver from a child, which then dies
// holding whatever sockets it made: they are closed for the next process, and both
// servers still serve.
static void garbage(void) {
  uint64 x = verdict_random() | 1;
  if (fork() == 0) {
    static char buf[2048];
    int answered = 0, made = 0;
    for (int i = 0; i < 3000; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      uint64 label = x % 8 ? 1 + x % 9 : (x >> 8) & 0xffff, ep = x >> 20 & 1 ? EP_NET : EP_NETDRV;
      struct msg m = {TAG(label, x >> 24 & 3, x >> 26 & 1 ? x >> 32 & 0x7ff : x >> 32 & 0xffffffff),
                      {x >> 40 & 3, x >> 3, x >> 5 & 0xffff, x >> 7}};
      if (ep == EP_NET && label == NET_RECVFROM)
        m.w[1] = 1 + m.w[1] % 20;                 // never wait for good
      if (ep == EP_NET && label == NET_PING)
        m.w[2] = 1 + m.w[2] % 20;
      void *b = x >> 45 & 1 ? (void *)(x >> 46 << 12) : buf;
      if (ipc_call(ep, &m, b) == 0) {
        answered += TAG_LABEL(m.tag) == 0;
        made += ep == EP_NET && label == NET_SOCKET && TAG_LABEL(m.tag) == 0;
      }
    }
    printf("nettest: 3000 random calls, %d answered without an error, %d sockets made\n", answered, made);
    exit(0);
  }
  wait(0);
  uint64 made = 0, socks[16][2];               // every UDP socket is free again
  for (struct msg m; made < 16; made++) {
    m = (struct msg){.tag = TAG(NET_SOCKET, 0, 0), .w = {NET_UDP}};
    if (ipc_call(EP_NET, &m, 0) < 0 || TAG_LABEL(m.tag) != 0)
      break;
    socks[made][0] = m.w[0], socks[made][1] = m.w[1];
  }
  EXPECT(made, 16);
  for (uint64 i = 0; i < made; i++) {
    struct msg m = {.tag = TAG(NET_CLOSE, 0, 0), .w = {socks[i][0], 0, 0, socks[i][1]}};
    ipc_call(EP_NET, &m, 0);
  }
  CHECK(netping(GW, 7, 1000, 8) >= 0, "no ping answered after the garbage");
  struct msg m = {.tag = TAG(NETDRV_STAT, 0, 0)};
  EXPECT(ipc_call(EP_NETDRV, &m, 0), 0);
}

static int hostport(void);

// Echo UDP on port 7 as udp below; the host gets ms (0: forever) between datagrams.
static void udp_echo(int ms) {
  int s = socket(NET_UDP);
  EXPECT(bind(s, 7), 7);
  EXPECT(sendto(s, "nettest hello", 13, GW, hostport()), 13);
  static char buf[NET_UDPMAX];
  for (int n = 0;; n++) {
    uint ip;
    int port, len = recvfrom(s, buf, sizeof buf, &ip, &port, ms);
    CHECK(len >= 0, "recvfrom: %d", len);
    if (len < 0 || (len == 4 && memcmp(buf, "quit", 4) == 0)) {
      printf("nettest: %d datagrams echoed\n", n);
      break;
    }
    EXPECT(sendto(s, buf, len, ip, port), len);
  }
  EXPECT(sockclose(s), 0);
}

static void udp(void) { udp_echo(20000); }

// The test plays the network (grade/nettest.py bad): a child echoes TCP connections to
// port 80 until one says "quit", another runs httpd on 8080, while we echo UDP (udp).
static void raw(void) {
  int httpd = fork();
  if (httpd == 0) {
    char *argv[] = {"httpd", "8080", 0};
    exec("httpd", argv);
    exit(1);
  }
  if (fork() == 0) {
    static char buf[4096];
    int l = socket(NET_TCP), quit = 0;
    if (bind(l, 80) != 80 || listen(l) < 0)
      exit(1);
    while (!quit) {
      int c = accept(l, 0, 0), n;
      if (c < 0)
        exit(1);
      while ((n = recvfrom(c, buf, sizeof buf, 0, 0, 30000)) > 0 && send(c, buf, n) == n)
        quit |= n >= 4 && memcmp(buf, "quit", 4) == 0;
      sockclose(c);
    }
    exit(0);
  }
  udp();
  int st = -1;
  wait(&st);
  EXPECT(st, 0);
  kill(httpd);
  wait(0);
}

static int hostport(void) {
  struct bootinfo bi;
  char arg[16];
  get_bootinfo(&bi);
  CHECK(bootarg(bi.bootargs, "hostport", arg, sizeof arg) > 0, "no hostport= boot argument");
  return atoi(arg);
}

#define PATTERN(i) ((uint8)((i) * 131 + ((i) >> 10)))
#define OUT (1 << 20)

// TCP with the host (grade/nettest.py checks the bytes there): echo a connection to
// port 80 until its end; send 1 MiB to 10.0.2.2:hostport= and read the host's count;
// a connection the host resets must end the receive (an error or the end), not hang.
static void tcp(void) {
  static char buf[4096];
  int l = socket(NET_TCP);
  EXPECT(bind(l, 80), 80);
  EXPECT(listen(l), 0);
  printf("nettest: listening\n");
  uint ip;
  int port, c = accept(l, &ip, &port), n, echoed = 0;
  CHECK(c >= 0 && ip == GW, "accept: %d from %x", c, ip);
  if (fork() == 0) {           // the child echoes on the fd it inherited, with read and write
    while ((n = read(c, buf, sizeof buf)) > 0 && write(c, buf, n) == n)
      echoed += n;
    printf("nettest: %d bytes echoed\n", echoed);
    exit(n == 0 && close(c) == 0 ? 0 : 1);
  }
  EXPECT(sockclose(c), 0);     // our copy: the connection stays the child's
  int st = -1;
  wait(&st);
  EXPECT(st, 0);

  int s = socket(NET_TCP);
  EXPECT(connect(s, GW, hostport()), 0);
  for (int at = 0; at < OUT; at += sizeof buf) {
    for (int i = 0; i < (int)sizeof buf; i++)
      buf[i] = PATTERN(at + i);
    if (send(s, buf, sizeof buf) != sizeof buf) {
      CHECK(0, "send failed at %d", at);
      break;
    }
  }
  EXPECT(shutdown(s), 0);
  n = recvfrom(s, buf, sizeof buf - 1, 0, 0, 20000);
  CHECK(n > 0, "no answer from the host: %d", n);
  buf[n > 0 ? n : 0] = 0;
  CHECK(strcmp(buf, "got 1048576") == 0, "the host says '%s'", buf);
  EXPECT(recvfrom(s, buf, sizeof buf, 0, 0, 20000), 0);
  EXPECT(sockclose(s), 0);

  printf("nettest: listening again\n");
  c = accept(l, 0, 0);
  CHECK(c >= 0, "accept: %d", c);
  while ((n = recvfrom(c, buf, sizeof buf, 0, 0, 20000)) > 0)
    ;
  CHECK(n == 0 || n == NET_RESET, "a reset connection's receive: %d (%s)", n, errstr(n));
  EXPECT(sockclose(c), 0);
  EXPECT(sockclose(l), 0);
  EXPECT(connect(socket(NET_TCP), GW, 1), NET_REFUSED);     // nobody listens there

  // The host takes a little of a long transfer, then resets: a send returns the error.
  s = socket(NET_TCP);
  EXPECT(connect(s, GW, hostport()), 0);
  int sent = 0;
  while (sent < (64 << 20) && (n = send(s, buf, sizeof buf)) > 0)
    sent += n;
  CHECK(n < 0, "sends to a peer that reset: %d after %d bytes", n, sent);
  printf("nettest: a peer gone mid-transfer: error %d after %d bytes\n", n, sent);
  EXPECT(sockclose(s), 0);
}

#define BIGFILE (1024 * 1024)   // grade/nettest.py http fetches it

static void files(void) {
  static char buf[4096];
  int fd = open("/empty", O_CREATE | O_WRONLY);
  CHECK(fd >= 0 && close(fd) == 0, "cannot make /empty");
  fd = open("/big", O_CREATE | O_WRONLY);
  CHECK(fd >= 0, "cannot make /big");
  for (int at = 0, n = sizeof buf; at < BIGFILE; at += n) {
    for (int i = 0; i < n; i++)
      buf[i] = PATTERN(at + i);
    CHECK(write(fd, buf, n) == n, "a write of /big failed at %d", at);
  }
  close(fd);
  char *argv[] = {"httpd", 0};
  exec("httpd", argv);
  CHECK(0, "cannot exec httpd");
}

// A TCP server on port in a child: for each connection, f (the connection, a buffer).
static int serve(int port, void (*f)(int, char *, int)) {
  int pid = fork();
  if (pid == 0) {
    static char buf[4096];
    int l = socket(NET_TCP);
    if (bind(l, port) != port || listen(l) < 0)
      exit(1);
    printf("nettest: serving port %d\n", port);
    for (int c; (c = accept(l, 0, 0)) >= 0; sockclose(c))
      f(c, buf, sizeof buf);
    exit(1);
  }
  return pid;
}

// The sink: read a connection to its end, then answer "got N".
static void sink(int c, char *buf, int size) {
  int n, total = 0;
  while ((n = read(c, buf, size)) > 0)
    total += n;
  char num[16], *p = num + sizeof num;
  do
    *--p = '0' + total % 10;
  while (total /= 10);
  send(c, "got ", 4);
  send(c, p, num + sizeof num - p);
}

// The source: the host sends a decimal count; send that many bytes of PATTERN, then close.
static void source(int c, char *buf, int size) {
  int n = recvfrom(c, buf, size - 1, 0, 0, 10000);
  buf[n > 0 ? n : 0] = 0;
  for (int want = atoi(buf), at = 0; at < want; at += n) {
    n = want - at < size ? want - at : size;
    for (int i = 0; i < n; i++)
      buf[i] = PATTERN(at + i);
    if (send(c, buf, n) != n)
      break;
  }
}

static void bench(void) {
  int pids[3];
  if ((pids[0] = fork()) == 0) {
    char *argv[] = {"httpd", "8080", 0};
    exec("httpd", argv);
    exit(1);
  }
  pids[1] = serve(80, sink);
  pids[2] = serve(81, source);
  udp_echo(0);                 // until the host says "quit", however long it measures
  for (int i = 0; i < 3; i++)
    kill(pids[i]);
  for (int i = 0; i < 3; i++)
    wait(0);
}

int main(int argc, char *argv[]) {
  struct test_case cases[] = {{"api", api},   {"garbage", garbage}, {"udp", udp},
                              {"tcp", tcp},   {"raw", raw},         {"files", files},
                              {"bench", bench}};
  return run_cases("nettest", "nettest", cases, 7, argc, argv);
}
