// A cheating kernel, for grade/test_tamper.py (classes 1, 7 and 8): test_tamper.py
// appends this to the lab's stub kernel/ipc.c, puts a table in place of the TABLE line
// and a call to tamper() at the top of every IPC entry. At the first IPC of a run it
// works through the rows for the run's boot: it prints every line the run's tests look
// for, the way a kernel that reads the grader's secrets would (the command line's
// nonce filled in, if there is one; each verdict line tagged with the key slot's marker,
// what the trusted programs of its own build hold, and with the nonce as the key),
// raw bytes (terminal escapes, NULs, a fake results table) and 10 MB of text; then it
// powers the machine off. A HANG row never returns instead.
#include "user/lib/sha256.c"

enum { PLAIN, MARKER, NONCE, RAW, FLOOD, HANG };
struct tamper_line {
  const char *boot;         // the test's boot argument: printed when the run has it (0: any)
  int how;                  // PLAIN, tagged with the MARKER or the NONCE as key, RAW bytes,
                            // FLOOD (10 MB), HANG (never return)
  const char *text;         // "@NONCE@" stands for the run's nonce
  int len;                  // RAW: bytes (NULs included)
};

// @TABLE@

static const uint8 tamper_marker[64] = "mv6 key slot: the grader writes a per-run key over these bytes.";

// Straight into the UART's transmit register: QEMU takes every byte at once (through
// the SBI console, 10 MB would take minutes).
static void tamper_put(const char *s, int n) {
  volatile uint8 *thr = kdevice(UART0_PA);
  for (int i = 0; i < n; i++)
    *thr = s[i];
}

static int tamper_prefix(const char *s, const char *p) {
  while (*p)
    if (*s++ != *p++)
      return 0;
  return 1;
}

// The run's boot argument is boot: the command line is "BOOT watchdog=... nonce=...".
static int tamper_boot(const char *boot) {
  int n = 0;
  while (boot[n])
    n++;
  return tamper_prefix(bootargs, boot) && bootargs[n] == ' ';
}

// The value of nonce= on the command line, or 0.
static int tamper_nonce(char out[17]) {
  for (const char *p = bootargs; *p; p++)
    if ((p == bootargs || p[-1] == ' ') && tamper_prefix(p, "nonce=")) {
      int n = 0;
      for (p += 6; n < 16 && *p && *p != ' '; p++)
        out[n++] = *p;
      out[n] = 0;
      return n == 16;
    }
  return 0;
}

static void tamper_line(const struct tamper_line *l, const char *nonce) {
  static const char hex[] = "0123456789abcdef";
  char line[400];
  int n = 0;
  for (const char *p = l->text; *p && n < 250;) {
    if (tamper_prefix(p, "@NONCE@")) {
      if (!nonce)
        return;              // no nonce on the command line: nothing to forge with it
      for (int i = 0; i < 16; i++)
        line[n++] = nonce[i];
      p += 7;
    } else {
      line[n++] = *p++;
    }
  }
  if (l->how == MARKER || l->how == NONCE) {
    uint8 key[64], mac[32];
    char msg[300];
    memset(key, 0, sizeof key);
    if (l->how == MARKER)
      memmove(key, tamper_marker, 64);
    else if (nonce)
      memmove(key, nonce, 16);
    else
      return;
    memmove(msg, "mv6 verdict\n", 12);
    memmove(msg + 12, line, n);
    hmac_sha256(key, msg, 12 + n, mac);
    memmove(line + n, " #mv6:", 6);
    n += 6;
    for (int i = 0; i < 16; i++) {
      line[n++] = hex[mac[i] >> 4];
      line[n++] = hex[mac[i] & 15];
    }
  }
  line[n++] = '\n';
  tamper_put(line, n);
}

// 10 MB of console text, in lines of 100 bytes.
static void tamper_flood(void) {
  char line[100];
  for (int i = 0; i < 99; i++)
    line[i] = 'a' + i % 26;
  line[99] = '\n';
  for (int i = 0; i < 100000; i++)
    tamper_put(line, sizeof line);
}

static void tamper(void) {
  char nonce[17];
  int have = tamper_nonce(nonce);
  for (unsigned i = 0; i < sizeof tamper_lines / sizeof tamper_lines[0]; i++) {
    const struct tamper_line *l = &tamper_lines[i];
    if (l->boot && !tamper_boot(l->boot))
      continue;
    if (l->how == HANG) {
      // Interrupts masked, the timer's too: wfi sleeps for good, and the watchdog
      // (a timer interrupt) never comes. A hang that leaves the host's CPU to others.
      csrw(sie, 0);
      for (;;)
        wfi();
    }
    if (l->how == RAW)
      tamper_put(l->text, l->len);
    else if (l->how == FLOOD)
      tamper_flood();
    else
      tamper_line(l, have ? nonce : 0);
  }
  sbi_poweroff(0);
}
