// nettest CASE: the network server and driver as a process uses them (grade/suites/
// net.py). Cases:
//   api   pings of the gateway answered, of an absent host timed out; bad sockets,
//         ports, addresses and buffers refused; another process's socket refused; the
//         driver refused to a process; a receive with a time limit times out
//   udp   UDP with the host (grade/nettest.py checks every byte there): one datagram
//         to 10.0.2.2:hostport= (boot argument), then echo every datagram that reaches
//         port 7 to its sender until one says "quit"
#include "user/tests/testlib.h"
#include "servers/net/net.h"
#include "servers/netdrv/netdrv.h"

#define GW NET_IP(10, 0, 2, 2)

static void api(void) {
  int ok = 0;
  for (int seq = 1; seq <= 3; seq++)
    ok += netping(GW, seq, 1000, 56) >= 0;
  CHECK(ok >= 2, "%d of 3 pings of the gateway answered", ok);
  EXPECT(netping(NET_IP(10, 0, 2, 99), 1, 300, 0), NET_TIMEOUT);    // nobody answers its ARP
  EXPECT(netping(0, 1, 300, 0), E_INVAL);
  EXPECT(netping(GW, 1, 300, 100000), E_INVAL);
  EXPECT(socket(99), E_INVAL);
  EXPECT(bind(12345, 0), E_INVAL);
  EXPECT(sockclose(-1), E_INVAL);
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
  // another process: not its socket (nor the port, until we close it)
  int pid = fork();
  if (pid == 0) {
    int u = socket(NET_UDP);
    exit(sendto(s, "x", 1, GW, 9) == E_PERM && sockclose(s) == E_PERM && u >= 0 && bind(u, 7777) == E_INVAL ? 0 : 1);
  }
  int st = -1;
  wait(&st);
  EXPECT(st, 0);
  EXPECT(sockclose(s), 0);
  EXPECT(sockclose(s), E_INVAL);
  EXPECT(sockclose(t), 0);
  // the driver serves the network server alone
  struct msg m = {.tag = TAG(NETDRV_SEND, BUF_R, 60)};
  EXPECT(ipc_call(EP_NETDRV, &m, big), 0);
  EXPECT((short)TAG_LABEL(m.tag), E_PERM);
  m = (struct msg){.tag = TAG(NETDRV_STAT, 0, 0)};
  EXPECT(ipc_call(EP_NETDRV, &m, 0), 0);
  CHECK(TAG_LABEL(m.tag) == 0 && m.w[0] >= 3 && m.w[1] >= 3, "driver statistics: %d in, %d out",
        (int)m.w[0], (int)m.w[1]);
}

static void udp(void) {
  struct bootinfo bi;
  char arg[16];
  get_bootinfo(&bi);
  CHECK(bootarg(bi.bootargs, "hostport", arg, sizeof arg) > 0, "no hostport= boot argument");
  int s = socket(NET_UDP);
  EXPECT(bind(s, 7), 7);
  EXPECT(sendto(s, "nettest hello", 13, GW, atoi(arg)), 13);
  static char buf[NET_UDPMAX];
  for (int n = 0;; n++) {
    uint ip;
    int port, len = recvfrom(s, buf, sizeof buf, &ip, &port, 20000);
    CHECK(len >= 0, "recvfrom: %d", len);
    if (len < 0 || (len == 4 && memcmp(buf, "quit", 4) == 0)) {
      printf("nettest: %d datagrams echoed\n", n);
      break;
    }
    EXPECT(sendto(s, buf, len, ip, port), len);
  }
  EXPECT(sockclose(s), 0);
}

int main(int argc, char *argv[]) {
  struct test_case cases[] = {{"api", api}, {"udp", udp}};
  return run_cases("nettest", "nettest", cases, 2, argc, argv);
}
