// Lab 01's test server on EP_TEST1, written on the raw IPC system calls (no server
// library): echo, bulk copy both ways and past the offer, deferred replies, notification
// bits, one-way sends, a gate that stops it receiving while callers pile up, threads of
// other priorities, a parked call whose token it leaks, a token kept after its call was
// answered, a pager for the lab's client, and a death that leaves a call unanswered. The protocol is in ipclab.h.
#include "user/tests/testlib.h"
#include "labs/01-ipc/ipclab.h"

static unsigned char buf[LAB_BUFMAX];
static uint64 gate, lowep;                    // endpoints of our own (LAB_PAUSE, LAB_LOWEP)
static volatile int spawned;
static char lowstack[8192] __attribute__((aligned(16))), spawnstack[8192] __attribute__((aligned(16)));

// XFORM: copy the caller's buffer in, transform it, copy it back.
static uint64 xform(uint64 tok, struct msg *m) {
  uint64 len = TAG_LEN(m->tag);
  int64 r = ipc_copy_from(tok, 0, buf, len);
  if (r < 0)
    return r;
  for (uint64 i = 0; i < len; i++)
    buf[i] = lab_xform(buf[i], i);
  r = ipc_copy_to(tok, 0, buf, len);
  m->w[0] = len;
  return r < 0 ? r : 0;
}

// RANGE: copies that reach past the offered n bytes, each of which must fail with
// E_RANGE having written nothing; then the first and the last byte, which are inside.
static void range(uint64 tok, struct msg *m) {
  uint64 n = TAG_LEN(m->tag), refused = 0, wrong = 0;
  struct { uint64 off, len; int to; } bad[] = {
    {0, n + 1, 1}, {n - 8, 16, 1}, {n, 1, 1}, {n + 1, 0, 1}, {1, ~0UL, 1}, {~0UL - 3, 8, 1},
    {0, n + 1, 0}, {n - 1, 2, 0},
  };
  memset(buf, 0xee, 64);
  for (int i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64 r = bad[i].to ? ipc_copy_to(tok, bad[i].off, buf, bad[i].len)
                        : ipc_copy_from(tok, bad[i].off, buf, bad[i].len);
    if (r == E_RANGE)
      refused++;
    else if (!wrong)
      wrong = r == 0 ? 1 : r;                 // 1: a copy that succeeded
  }
  unsigned char a5 = 0xa5;
  for (uint64 off = 0; off < n; off += n - 1) {
    int64 r = ipc_copy_to(tok, off, &a5, 1);
    if (r != 1 && !wrong)
      wrong = r;
  }
  m->w[0] = refused;
  m->w[1] = wrong;
}

// The thread behind LAB_LOWEP: echo on an endpoint of its own, at priority 3.
static void low(void *arg) {
  struct msg m;
  int64 tok = ipc_recv(lowep, &m);
  while (tok > 0) {
    m.w[3] = m.badge;
    m.tag = TAG(0, 0, 0);
    tok = ipc_reply_recv(lowep, tok, &m);
  }
  printf("ipcsrv: FAIL: the low-priority thread's recv returned %s\n", errstr(tok));
}

static void spawnee(void *arg) { spawned = 1; }

// A fault of the lab's client: map a zeroed frame at the page, if it is one of two.
static int pager_map(uint64 task, uint64 stval) {
  static uint64 next;
  uint64 va = stval & ~4095UL, scratch = 0x60000000UL;
  if (va < LAB_FAULTVA || va >= LAB_FAULTVA + 2 * 4096)
    return -1;
  if (!next) {
    struct bootinfo bi;
    get_bootinfo(&bi);
    next = bi.mem_start;                      // nobody else hands out frames in this group
  }
  if (page_map(0, scratch, next, MAP_R | MAP_W) < 0)
    return -1;
  memset((void *)scratch, 0, 4096);
  page_unmap(0, scratch);
  if (page_map(task, va, next, MAP_R | MAP_W) < 0)
    return -1;
  next += 4096;
  return 0;
}

int main(int argc, char *argv[]) {
  struct msg m;
  uint64 bits = 0, allbits = 0, held[2], nheld = 0, notes = 0, calls = 0, stamps = 0;
  uint64 parked = 0, kept = 0, cookie = 0, reports = 0, tried = 0, faults = 0;
  int64 faultcopy = 0;
  gate = ep_create();
  lowep = ep_create();
  thread_create(low, 0, lowstack, sizeof lowstack, 3);
  int64 tok = ipc_recv(EP_TEST1, &m);
  for (;;) {
    if (tok < 0) {
      printf("ipcsrv: recv failed: %s\n", errstr(tok));
      exit(1);
    }
    uint64 status = 0;
    if (msg_label(&m) == L_NOTIFY) {          // bits accumulate until LAB_BITS asks
      bits |= m.w[0];
      allbits |= m.w[0];
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    }
    if (tok == 0) {                           // a send: nothing to answer
      notes += msg_label(&m) == LAB_NOTE;
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    }
    calls++;
    switch (msg_label(&m)) {
    case LAB_ECHO:
      m.w[3] = m.badge;
      break;
    case LAB_XFORM:
      status = xform(tok, &m);
      break;
    case LAB_RANGE:
      range(tok, &m);
      break;
    case LAB_SENT:
      m.w[0] = notes;
      break;
    case LAB_BITS:
      m.w[0] = bits;
      bits = 0;
      break;
    case LAB_LABEL:
      status = m.w[0];
      break;
    case LAB_COUNT:
      m.w[0] = calls - 1;
      break;
    case LAB_STAMP:
      m.w[0] = stamps++;
      m.w[1] = allbits;
      m.w[2] = m.badge;
      break;
    case LAB_LOWEP:
      m.w[0] = lowep;
      m.w[1] = gate;
      break;
    case LAB_SPAWN:
      spawned = 0;
      if (thread_create(spawnee, 0, spawnstack, sizeof spawnstack, 4) < 0)
        status = E_NOMEM;
      break;                                  // answered with reply_recv, below
    case LAB_SPAWNED:
      m.w[0] = spawned;
      break;
    case LAB_FAULTS:
      m.w[0] = faults;
      m.w[1] = faultcopy;
      break;
    case LAB_PAUSE:                           // answer, then stop receiving until the gate opens
    case LAB_SLOW: {                          // hold the call until the gate opens
      struct msg g;
      if (msg_label(&m) == LAB_PAUSE) {
        m = (struct msg){.tag = TAG(0, 0, 0), .w = {gate}};
        ipc_reply(tok, &m);
        tok = 0;
      }
      while (ipc_recv(gate, &g) != 0 || msg_label(&g) != L_NOTIFY)
        ;
      m = (struct msg){.tag = TAG(0, 0, 0), .w = {1}};
      tok = ipc_reply_recv(EP_TEST1, tok, &m);
      continue;
    }
    case LAB_PARK:                            // held until two LAB_TRIED reports came
      parked = tok;
      cookie = m.w[0];
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    case LAB_LEAK:
      m.w[0] = parked;
      break;
    case LAB_TRIED:
      reports = reports << 8 | (m.w[0] & 0xff);
      if (++tried == 2) {
        struct msg r = {.tag = TAG(0, 0, 0), .w = {cookie + 1, reports == 0x0101, reports}};
        if (ipc_reply(parked, &r) < 0)
          printf("ipcsrv: FAIL: the parked call could not be answered\n");
        if (ipc_reply(parked, &r) != E_NOREPLY)
          printf("ipcsrv: FAIL: the parked call's token answered twice\n");
      }
      break;
    case LAB_HOLD:                            // answer the second first, then the first
      held[nheld++] = tok;
      if (nheld < 2) {
        tok = ipc_recv(EP_TEST1, &m);
        continue;
      }
      for (int i = 1; i >= 0; i--) {
        struct msg r = {.tag = TAG(0, 0, 0), .w = {i}};
        if (ipc_reply(held[i], &r) < 0)
          printf("ipcsrv: FAIL: a held call could not be answered\n");
      }
      struct msg again = {.tag = TAG(0, 0, 0)};
      if (ipc_reply(held[0], &again) != E_NOREPLY)
        printf("ipcsrv: FAIL: a token answered twice\n");
      nheld = 0;
      m = again;                              // a used token: the reply fails, the recv must not
      tok = ipc_reply_recv(EP_TEST1, held[1], &m);
      continue;
    case L_FAULT: {                           // the first reply by ipc_reply, later ones by reply_recv
      faults++;
      faultcopy = ipc_copy_from(tok, 0, buf, 8);   // a fault call offers no buffer
      int ok = pager_map(m.badge, m.w[0]) == 0;
      m = (struct msg){.tag = TAG(ok ? 0 : 1, 0, 0), .w = {0xbad0, 0xbad1, 0xbad2, 0xbad3}};
      if (faults == 1) {
        ipc_reply(tok, &m);
        tok = ipc_recv(EP_TEST1, &m);
      } else {
        tok = ipc_reply_recv(EP_TEST1, tok, &m);
      }
      continue;
    }
    case LAB_KEEP:                            // answered now; the token is kept
      kept = tok;
      m.w[3] = m.badge;
      break;
    case LAB_STALE: {                         // the kept token must name no call now
      struct msg fake = {.tag = TAG(0, 0, 0), .w = {0xfa4e, 0xfa4e, 0xfa4e, 0xfa4e}};
      unsigned char junk[16];
      memset(junk, 0xee, sizeof junk);
      m.w[2] = m.w[0] + 1;
      m.w[0] = ipc_reply(kept, &fake);
      m.w[1] = ipc_copy_to(kept, 0, junk, sizeof junk);
      break;
    }
    case LAB_DIE:                             // leave the caller waiting, and die
      exit(0);
    default:
      status = E_INVAL;
    }
    m.tag = TAG(status, 0, 0);
    tok = ipc_reply_recv(EP_TEST1, tok, &m);
  }
}
