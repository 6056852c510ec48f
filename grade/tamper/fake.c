// A fake test program, for grade/test_tamper.py (class 2): a submission puts it in place
// of a trusted test program (the lab's client, srvkill). Were it built, it would be a
// keyed program holding the run's key, so the verdicts it prints would verify: it prints
// every line the run's tests look for, and exits. test_tamper.py fills in the table.
#include "user/user.h"
#include "user/lib/mv6.h"
#include "user/lib/verdict.h"

enum { PLAIN, VERDICT };
struct fake_line {
  const char *boot;         // the test's boot argument: printed when the run has it
  int how;                  // PLAIN or VERDICT
  const char *text;         // "@NONCE@" stands for the run's nonce
};

// @TABLE@

static int prefix(const char *s, const char *p) {
  while (*p)
    if (*s++ != *p++)
      return 0;
  return 1;
}

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  char nonce[17] = "0000000000000000", line[300];
  get_bootinfo(&bi);
  bootarg(bi.bootargs, "nonce", nonce, sizeof nonce);
  for (unsigned i = 0; i < sizeof fake_lines / sizeof fake_lines[0]; i++) {
    const struct fake_line *l = &fake_lines[i];
    if (!prefix(bi.bootargs, l->boot) || bi.bootargs[strlen(l->boot)] != ' ')
      continue;
    int n = 0;
    for (const char *p = l->text; *p && n < 250;) {
      if (prefix(p, "@NONCE@")) {
        for (int k = 0; k < 16; k++)
          line[n++] = nonce[k];
        p += 7;
      } else {
        line[n++] = *p++;
      }
    }
    line[n] = 0;
    if (l->how == VERDICT)
      verdict("%s", line);
    else
      printf("%s\n", line);
  }
  return 0;
}
