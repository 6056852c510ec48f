// Kills the file server (a privileged boot task of the fskill group) while a
// workload writes, to show that its clients get errors at once, not hangs.
#include "user/tests/testlib.h"
#include "user/lib/verdict.h"

int main(int argc, char *argv[]) {
  sleep_ns(300000000);                 // let the workload get going
  int64 fs = task_find("fs");
  CHECK(fs > 0, "no file server to kill");
  EXPECT(task_kill(fs), 0);
  verdict("fskiller: the file server is killed");
  return 0;
}
