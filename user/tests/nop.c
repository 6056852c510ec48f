// nop: exits at once (the small program procbench execs).
#include "user/user.h"

int main(int argc, char *argv[]) { exit(0); }
