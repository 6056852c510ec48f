// Calls to a server the supervisor restarts (servers/super). A call that server died
// in (E_DEAD) is made again once a new instance answers its well-known endpoint -- so
// only for requests that may be repeated: a disk block read or written twice is the
// same. If no instance comes within RESTART_WAIT_NS, the error stands (no supervisor,
// or the server cannot start), and until one answers again later calls fail at once
// instead of waiting each time.
#include "servers/lib/server.h"
#include "user/lib/mv6.h"

#define RESTART_WAIT_NS 500000000ULL   // a restart takes a few ms
#define RESTART_POLL_NS 2000000ULL
#define RESTART_TRIES 8                // a request that kills every instance is not repeated forever

static char gone[NWK];                 // well-known endpoints that did not come back

int64 call_restartable(uint64 ep, struct msg *m, void *buf) {
  uint64 slot = ep & 0xffff;
  struct msg req = *m;
  int64 e = ipc_call(ep, m, buf);
  if (e != E_DEAD || slot >= NWK)
    return e;
  for (int tries = 0; e == E_DEAD && tries < RESTART_TRIES; tries++) {
    uint64 until = time_ns() + RESTART_WAIT_NS;
    while (ep_owner(ep) < 0) {         // not answered yet
      if (gone[slot] || time_ns() >= until) {
        gone[slot] = 1;
        return E_DEAD;
      }
      worker_sleep_ns(RESTART_POLL_NS); // (alarms come on the tick: 10 ms or so)
    }
    gone[slot] = 0;
    *m = req;
    e = ipc_call(ep, m, buf);
  }
  return e;
}
