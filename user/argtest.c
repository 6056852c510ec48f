// Checks the arguments usertests' exec test passes: argv[i] is i+'a' repeated i*3+1
// times. Exits 0 if all are intact.
#include "user/user.h"

int main(int argc, char *argv[]) {
  if (argc < 1 || strcmp(argv[0], "argtest") != 0)
    exit(2);
  for (int i = 1; i < argc; i++) {
    if ((int)strlen(argv[i]) != i * 3 + 1)
      exit(3);
    for (int k = 0; k < i * 3 + 1; k++)
      if (argv[i][k] != 'a' + i % 26)
        exit(4);
  }
  if (argv[argc] != 0)
    exit(5);
  exit(argc == 30 ? 0 : 6);
}
