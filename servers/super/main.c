// The supervisor: starts again the servers that may die and come back (MINIX's
// reincarnation server is the model). The kernel tells it of each one's death (a
// notification bit per server, task_watch), and starts a dead one again from its boot
// image on its request (respawn: the same program, rights and well-known endpoint, in
// the frames it had). Clients keep their handle: the new instance answers the same
// well-known endpoint, and calls that were in flight got E_DEAD.
//
// Restartable: the console and disk drivers (they keep no state a client depends on;
// the file server repeats a call a driver died in) and the file server (it recovers
// from its log; open files are lost with it, so its clients' next calls on old fds
// fail). The process and memory servers are not: the process table and every address
// space live in them, so the system could not go on without them anyway.
//
// Policy: a server that dies within 50 ms of its start (it crashes as it starts) is
// started again after a delay that doubles each time (10 ms up to 2 s), so that it
// cannot take the machine; otherwise at once.
#include <stdarg.h>
#include "kernel/types.h"
#include "kernel/abi.h"
#include "servers/fs/fsproto.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define MS 1000000ULL
#define QUICK_DEATH_NS (50 * MS)
#define FIRST_DELAY_NS (10 * MS)
#define MAX_DELAY_NS (2000 * MS)
#define ALARM_BIT (1UL << 63)

static struct service {
  const char *name;
  uint64 tell_ep, tell_bits;   // notified after a restart (the file server re-registers with a new console)
  uint64 task;                 // the running instance (0: none)
  uint64 started, delay, due;  // due: a restart waits until then (0: none pending)
  int restarts;
} services[] = {
  {"console", EP_FS, FS_RESTART_BIT},
  {"disk", 0, 0},
  {"fs", 0, 0},
};
#define NSERVICES (int)(sizeof services / sizeof services[0])

static uint64 ep;

int vsnfmt(char *buf, int n, const char *fmt, va_list ap);

// Straight to the kernel's console: printing through the file server could wait for
// the very server we are about to restart.
static void say(const char *fmt, ...) {
  char line[128];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnfmt(line, sizeof line, fmt, ap);
  va_end(ap);
  debug_write(line, n < (int)sizeof line ? n : (int)sizeof line - 1);
}

static void died(int i);

static void watch(int i, uint64 task) {
  services[i].task = task;
  services[i].started = time_ns();
  if (task_watch(task, ep, 1UL << i) < 0)
    died(i);                     // died already, before we asked: no notice will come
}

static void restart(int i) {
  struct service *s = &services[i];
  int64 t = respawn(s->name);
  if (t == E_BUSY) {             // not freed yet: try again shortly
    s->due = time_ns() + FIRST_DELAY_NS;
    return;
  }
  s->due = 0;
  if (t < 0) {
    say("super: cannot restart %s: %s\n", s->name, errstr(t));
    return;
  }
  s->restarts++;
  say("super: %s restarted (%d)\n", s->name, s->restarts);
  watch(i, t);
  if (s->tell_ep)
    ipc_notify(s->tell_ep, s->tell_bits);
}

static void died(int i) {
  struct service *s = &services[i];
  uint64 now = time_ns();
  if (now - s->started < QUICK_DEATH_NS)
    s->delay = s->delay ? (s->delay * 2 < MAX_DELAY_NS ? s->delay * 2 : MAX_DELAY_NS) : FIRST_DELAY_NS;
  else
    s->delay = 0;
  s->task = 0;
  s->due = now + s->delay;
}

int main(int argc, char *argv[]) {
  ep = ep_create();
  for (int i = 0; i < NSERVICES; i++) {
    int64 t = task_find(services[i].name);
    if (t > 0)                   // not a task at this stage (hosted in the kernel): nothing to do
      watch(i, t);
  }
  for (;;) {
    uint64 now = time_ns(), next = 0;
    for (int i = 0; i < NSERVICES; i++)
      if (services[i].due && services[i].due <= now)
        restart(i);
    for (int i = 0; i < NSERVICES; i++)
      if (services[i].due && (!next || services[i].due < next))
        next = services[i].due;
    if (next)
      alarm_ns(ep, ALARM_BIT, next > now ? next - now : 1);
    struct msg m;
    if (ipc_recv(ep, &m) < 0 || TAG_LABEL(m.tag) != L_NOTIFY)
      continue;
    for (int i = 0; i < NSERVICES; i++)
      if (m.w[0] & (1UL << i))
        died(i);
  }
}
