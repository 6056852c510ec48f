// Alarms: one per endpoint, a one-shot timer that posts notification bits to it at a
// given guest time (alarm_ns in user code); fired by the tick.
#include "kernel.h"

static struct {
  uint64 at, bits;            // guest time (ns) and bits; at = 0: not armed
} alarms[NEP];
static int nalarms;

// The system call: only the endpoint's owner may set its alarm.
int alarm_set(uint64 h, uint64 bits, uint64 ns) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  if (ep->owner != curthread()->task)
    return E_PERM;
  return alarm_arm(h, bits, ns);
}

int alarm_arm(uint64 h, uint64 bits, uint64 ns) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  int i = ep - endpoints;
  if (!alarms[i].at)
    nalarms++;
  alarms[i].at = now_ns() + ns;
  alarms[i].bits = bits;
  return 0;
}

// An alarm of an endpoint that died meanwhile is dropped.
void alarms_fire(uint64 now) {
  for (int i = 1; nalarms && i < NEP; i++) {
    if (alarms[i].at && (now >= alarms[i].at || !endpoints[i].live)) {
      alarms[i].at = 0;
      nalarms--;
      if (endpoints[i].live)
        ep_notify(&endpoints[i], alarms[i].bits);
    }
  }
}
