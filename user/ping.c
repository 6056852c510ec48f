// ping [-c count] [host]: ICMP echo requests (NET_PING, one a second) to host, by
// default the gateway of QEMU's user network, 10.0.2.2. Exits 0 if any reply came.
#include "user/user.h"
#include "servers/net/net.h"

int main(int argc, char *argv[]) {
  int count = 3, got = 0;
  uint ip = NET_IP(10, 0, 2, 2);
  char *host = "10.0.2.2";
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
      count = atoi(argv[++i]);
    else if (parseip(argv[i], &ip) == 0)
      host = argv[i];
    else {
      fprintf(2, "usage: ping [-c count] [A.B.C.D]\n");
      exit(1);
    }
  }
  for (int seq = 1; seq <= count; seq++) {
    int64 ns = netping(ip, seq, 1000, 56);
    if (ns >= 0) {
      got++;
      printf("64 bytes from %s: seq=%d time=%d.%d ms\n", host, seq, (int)(ns / 1000000),
             (int)(ns / 100000 % 10));
      if (seq < count)
        sleep(100 - ns / 10000000 > 0 ? 100 - ns / 10000000 : 0);
    } else
      printf("no reply from %s: seq=%d (%s)\n", host, seq, ns == NET_TIMEOUT ? "timeout" : "error");
  }
  printf("%d sent, %d received\n", count, got);
  exit(got ? 0 : 1);
}
