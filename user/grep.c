// grep PATTERN [FILE...]: print the lines that match a tiny regular expression:
//   c   the character c        .   any character
//   c*  zero or more c         ^   (first) the start of the line
//   $   (last) the end of the line
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static int matchhere(const char *re, const char *text);

// Matches c* followed by re at the start of text.
static int matchstar(int c, const char *re, const char *text) {
  do {
    if (matchhere(re, text))
      return 1;
  } while (*text != 0 && (*text++ == c || c == '.'));
  return 0;
}

// Matches re at the start of text.
static int matchhere(const char *re, const char *text) {
  if (re[0] == 0)
    return 1;
  if (re[1] == '*')
    return matchstar(re[0], re + 2, text);
  if (re[0] == '$' && re[1] == 0)
    return *text == 0;
  if (*text != 0 && (re[0] == '.' || re[0] == *text))
    return matchhere(re + 1, text + 1);
  return 0;
}

// Matches re anywhere in text.
static int match(const char *re, const char *text) {
  if (re[0] == '^')
    return matchhere(re + 1, text);
  do {
    if (matchhere(re, text))
      return 1;
  } while (*text++ != 0);
  return 0;
}

static char buf[1024];

// Prints the lines of fd that match pattern. A line too long for buf is skipped;
// a last line without a newline is still looked at.
static void grep(const char *pattern, int fd) {
  int len = 0, skip = 0, n;
  while ((n = read(fd, buf + len, sizeof buf - 1 - len)) > 0) {
    len += n;
    buf[len] = 0;
    char *line = buf, *end;
    while ((end = strchr(line, '\n')) != 0) {
      *end = 0;
      if (!skip && match(pattern, line)) {
        *end = '\n';
        write(1, line, end + 1 - line);
      }
      skip = 0;
      line = end + 1;
    }
    len -= line - buf;     // keep the unfinished line for the next read
    if (len == sizeof buf - 1) {
      len = 0;             // too long: drop it up to its newline
      skip = 1;
    } else if (len > 0) {
      memmove(buf, line, len);
    }
  }
  if (n < 0) {
    fprintf(2, "grep: read error\n");
    exit(1);
  }
  buf[len] = 0;
  if (len > 0 && !skip && match(pattern, buf)) {
    buf[len] = '\n';
    write(1, buf, len + 1);
  }
}

int main(int argc, char *argv[]) {
  if (argc < 2) {
    fprintf(2, "usage: grep pattern [file ...]\n");
    exit(1);
  }
  if (argc == 2) {
    grep(argv[1], 0);
    exit(0);
  }
  for (int i = 2; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(2, "grep: cannot open %s\n", argv[i]);
      exit(1);
    }
    grep(argv[1], fd);
    close(fd);
  }
  exit(0);
}
