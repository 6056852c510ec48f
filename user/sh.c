// sh: the shell, with xv6's syntax.
//
//   line  := pipe { ('&' | ';') [pipe] }      '&' runs the pipe in the background
//   pipe  := cmd { '|' cmd }
//   cmd   := '(' line ')' { redir } | { word | redir }
//   redir := '<' word | '>' word | '>>' word
//
// A line is split into tokens, parsed into a tree of struct cmd, and run: the shell
// itself walks the ';' lists (so `cd` works anywhere in one) and forks a child for
// every other command, which it waits for. A background command is started by a
// child that forks it and exits at once, so init adopts and reaps it (as in xv6).
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXLINE 256   // longest line accepted (longer ones are rejected)
#define MAXARGS 32    // arguments per command (the process server's limit)

enum { EXEC = 1, REDIR, PIPE, LIST, BACK };

struct cmd {
  int type;
  struct cmd *left, *right;   // PIPE, LIST: both sides; REDIR, BACK: left only
  char *argv[MAXARGS + 1];    // EXEC: 0-terminated arguments
  char *file;                 // REDIR: file to open ...
  int mode, fd;               // ... with these flags, as this fd
  int append;                 // REDIR: '>>' (write at the end of the file)
  struct cmd *chain;          // every node of the current line, to free them
};

// ---- Tokens ----

// A token: a word, or one of < > + (for >>) | & ; ( ), or 0 at the end of the line.
struct tok {
  char type;
  char *word;
};

static struct tok toks[MAXLINE + 1];
static char words[2 * MAXLINE];   // the words, each 0-terminated
static int ntok, pos;

static int isspace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v'; }
static int issym(char c) { return c && strchr("<>|&;()", c) != 0; }

// Splits line into toks[]; a word is a run of characters that are neither space
// nor a symbol.
static void tokenize(char *line) {
  char *w = words;
  char *s = line;
  ntok = pos = 0;
  for (;;) {
    while (isspace(*s))
      s++;
    if (*s == 0)
      break;
    struct tok *t = &toks[ntok++];
    if (s[0] == '>' && s[1] == '>') {
      t->type = '+';
      s += 2;
    } else if (issym(*s)) {
      t->type = *s++;
    } else {
      t->type = 'w';
      t->word = w;
      while (*s && !isspace(*s) && !issym(*s))
        *w++ = *s++;
      *w++ = 0;
    }
  }
  toks[ntok].type = 0;
}

static int peek(void) { return toks[pos].type; }
static struct tok *next(void) { return &toks[pos < ntok ? pos++ : pos]; }

// ---- Parser ----

static struct cmd *allnodes;   // the chain of this line's nodes
static int bad;                // a syntax error (or no memory) was found

static struct cmd *node(int type, struct cmd *left, struct cmd *right) {
  struct cmd *c = malloc(sizeof *c);
  if (c == 0) {
    bad = 1;
    return 0;
  }
  memset(c, 0, sizeof *c);
  c->type = type;
  c->left = left;
  c->right = right;
  c->chain = allnodes;
  allnodes = c;
  return c;
}

static void freenodes(void) {
  while (allnodes) {
    struct cmd *c = allnodes;
    allnodes = c->chain;
    free(c);
  }
}

static struct cmd *parseline(void);

// If the next token is a redirection, wraps c in it; returns 0 if it is not.
static struct cmd *parseredir(struct cmd *c) {
  int t = peek();
  if (t != '<' && t != '>' && t != '+')
    return 0;
  next();
  if (peek() != 'w') {
    bad = 1;
    return 0;
  }
  struct cmd *r = node(REDIR, c, 0);
  if (r == 0)
    return 0;
  r->file = next()->word;
  if (t == '<') {
    r->mode = O_RDONLY;
    r->fd = 0;
  } else {
    r->mode = t == '>' ? O_WRONLY | O_CREATE | O_TRUNC : O_RDWR | O_CREATE;
    r->append = t == '+';
    r->fd = 1;
  }
  return r;
}

static struct cmd *parsecmd(void) {
  struct cmd *c, *r;
  if (peek() == '(') {
    next();
    c = parseline();
    if (c == 0 || next()->type != ')') {
      bad = 1;
      return 0;
    }
    while ((r = parseredir(c)) != 0)
      c = r;
    return bad ? 0 : c;
  }
  // Words go into the EXEC node e; redirections wrap whatever c is so far.
  struct cmd *e = node(EXEC, 0, 0);
  int argc = 0;
  c = e;
  while (!bad && e) {
    if (peek() == 'w') {
      if (argc == MAXARGS) {
        fprintf(2, "sh: too many arguments\n");
        bad = 1;
        break;
      }
      e->argv[argc++] = next()->word;
    } else if ((r = parseredir(c)) != 0) {
      c = r;
    } else {
      break;
    }
  }
  if (c == e && argc == 0)   // nothing at all: "a | | b", "( )", "; ;"
    bad = 1;
  return bad ? 0 : c;
}

static struct cmd *parsepipe(void) {
  struct cmd *c = parsecmd();
  if (c && peek() == '|') {
    next();
    struct cmd *rest = parsepipe();
    c = rest ? node(PIPE, c, rest) : 0;
  }
  return c;
}

// Returns 0 for an empty line (or at a ')'), and on errors with bad set.
static struct cmd *parseline(void) {
  if (peek() == 0 || peek() == ')')
    return 0;
  struct cmd *c = parsepipe();
  if (c == 0)
    return 0;
  int t = peek();
  if (t == '&' || t == ';') {
    next();
    if (t == '&')
      c = node(BACK, c, 0);
    struct cmd *rest = parseline();
    if (rest && c)
      c = node(LIST, c, rest);
  }
  return bad ? 0 : c;
}

// ---- Running ----

static void runcmd(struct cmd *c) __attribute__((noreturn));

// Forks a child that runs c; returns its pid, or -1.
static int spawn(struct cmd *c) {
  int pid = fork();
  if (pid == 0)
    runcmd(c);
  if (pid < 0)
    fprintf(2, "sh: fork failed\n");
  return pid;
}

// Waits until child pid has exited, reaping any other children on the way.
static void waitfor(int pid) {
  int w;
  if (pid < 0)
    return;
  while ((w = wait(0)) >= 0 && w != pid)
    ;
}

// Makes fd `to` refer to what fd `from` does, and closes from.
static void moveto(int from, int to) {
  if (from == to)
    return;
  close(to);
  dup(from);   // the lowest free fd: the one just closed
  close(from);
}

// Runs c in this (child) process and exits.
static void runcmd(struct cmd *c) {
  int p[2], fd, left, right;
  static char buf[512];   // not on the one-page stack: runcmd nests (lists, redirections)

  switch (c->type) {
  case EXEC:
    if (c->argv[0] == 0)   // only redirections, e.g. "> file"
      exit(0);
    exec(c->argv[0], c->argv);
    // Not found as given: try the root directory, where the programs live.
    if (strchr(c->argv[0], '/') == 0 && strlen(c->argv[0]) + 2 <= sizeof buf) {
      buf[0] = '/';
      strcpy(buf + 1, c->argv[0]);
      exec(buf, c->argv);
    }
    fprintf(2, "exec %s failed\n", c->argv[0]);
    exit(1);

  case REDIR:
    if ((fd = open(c->file, c->mode)) < 0) {
      fprintf(2, "open %s failed\n", c->file);
      exit(1);
    }
    if (c->append)   // no O_APPEND: read to the end, so writes go after it
      while (read(fd, buf, sizeof buf) > 0)
        ;
    moveto(fd, c->fd);
    runcmd(c->left);

  case LIST:
    waitfor(spawn(c->left));
    runcmd(c->right);

  case BACK:
    spawn(c->left);   // the job's parent exits now: init reaps the job
    exit(0);

  case PIPE:
    if (pipe(p) < 0) {
      fprintf(2, "sh: pipe failed\n");
      exit(1);
    }
    if ((left = fork()) == 0) {
      close(p[0]);
      moveto(p[1], 1);
      runcmd(c->left);
    }
    if ((right = fork()) == 0) {
      close(p[1]);
      moveto(p[0], 0);
      runcmd(c->right);
    }
    close(p[0]);
    close(p[1]);
    if (left < 0 || right < 0)
      fprintf(2, "sh: fork failed\n");
    waitfor(left);
    waitfor(right);
    exit(0);
  }
  fprintf(2, "sh: bad command\n");
  exit(1);
}

// Runs c from the shell itself: lists one after the other, cd here, and
// everything else in a child that it waits for.
static void run(struct cmd *c) {
  if (c->type == LIST) {
    run(c->left);
    run(c->right);
  } else if (c->type == EXEC && strcmp(c->argv[0], "cd") == 0) {
    char *dir = c->argv[1] ? c->argv[1] : "/";
    if (chdir(dir) < 0)
      fprintf(2, "cannot cd %s\n", dir);
  } else {
    waitfor(spawn(c));
  }
}

// Prompts and reads one line into buf (0-terminated, without its newline).
// Returns its length, -2 if it was too long (the rest is read and dropped),
// or -1 at the end of the input.
static int getline(char *buf, int size) {
  static int aftercr;   // the last line ended with '\r': skip a '\n' right after it
  int n = 0, got = 0;
  char c;
  write(2, "$ ", 2);
  while (read(0, &c, 1) == 1) {
    if (aftercr && !got && c == '\n') {
      aftercr = 0;
      continue;
    }
    got = 1;
    aftercr = c == '\r';
    if (c == '\n' || c == '\r')
      break;
    if (n < size - 1)
      buf[n] = c;
    n++;
  }
  if (!got)
    return -1;
  buf[n < size ? n : size - 1] = 0;
  return n < size ? n : -2;
}

int main(int argc, char *argv[]) {
  static char line[MAXLINE];
  int n;

  while ((n = getline(line, sizeof line)) != -1) {
    if (n == -2) {
      fprintf(2, "sh: line too long\n");
      continue;
    }
    tokenize(line);
    bad = 0;
    struct cmd *c = parseline();
    if (bad || peek() != 0)
      fprintf(2, "syntax error\n");
    else if (c)
      run(c);
    freenodes();
  }
  exit(0);
}
