// The write-ahead log: every request that changes the disk is an operation of a
// transaction. Changed blocks stay in the cache (pinned) until the transaction
// commits: write them to the log, write the header (the commit point), install them
// where they belong, clear the header. After a crash, log_init installs a committed
// log again, so a request that returned is on disk, and one that did not is not there
// at all. log_end commits its operation's transaction at once; a host may instead
// leave it open (log_end_open) for the next operation to join, so that one commit
// serves two requests (group commit), and answer the first once log_committed says so.
#include "servers/fs/fs.h"

static struct buf *logged[LOGBLOCKS];
static int nlogged;
static int inside;           // an operation is open (log_begin .. log_end)
static int ended;            // operations ended in the open transaction
static uint64 building = 1;  // the open transaction's number
uint64 log_committed;        // the last transaction done (committed, or failed: log_failed)
uint64 log_failed;
uint64 log_commits, log_blocks;

static int write_head(int n, const uint *blocks) {
  struct buf *h = bread(sb.logstart);
  struct logheader *lh = (struct logheader *)h->data;
  lh->n = n;
  for (int i = 0; i < n; i++)
    lh->block[i] = blocks[i];
  int e = bwrite_one(h);
  brelse(h);
  return e;
}

// Copy the committed log to the blocks' homes (after a crash: read from the log).
static int install(struct buf **bs, const uint *home, int n) {
  return bwrite_many(bs, home, n);
}

void log_init(void) {
  struct buf *h = bread(sb.logstart);
  struct logheader lh = *(struct logheader *)h->data;
  brelse(h);
  if (lh.n <= 0 || lh.n > LOGBLOCKS)
    return;
  struct buf *bs[LOGBLOCKS];
  uint home[LOGBLOCKS];
  for (int i = 0; i < lh.n; i++) {
    bs[i] = bread(sb.logstart + 1 + i);
    home[i] = lh.block[i];
  }
  install(bs, home, lh.n);         // nothing else is cached yet: no stale copies
  for (int i = 0; i < lh.n; i++)
    brelse(bs[i]);
  write_head(0, 0);
}

void log_begin(void) {
  if (nlogged + MAXOPBLOCKS > LOGBLOCKS)
    log_commit();           // the transaction left open has no room for one more
  inside = 1;
}

// b changed and must reach the disk with this transaction. The caller still brelse()s.
void log_write(struct buf *b) {
  for (int i = 0; i < nlogged; i++)
    if (logged[i] == b)
      return;
  if (nlogged == LOGBLOCKS || !inside) {
    fs_ioerror = 1;           // callers keep transactions smaller than the log, and inside
    return;                   // an operation (xv6 panics: "log_write outside of trans")
  }
  b->refcnt++;                // pinned until installed
  logged[nlogged++] = b;
}

// Ends the operation and leaves its transaction open: its number.
uint64 log_end_open(void) {
  inside = 0;
  ended++;
  return building;
}

// Ends the operation and commits its transaction.
void log_end(void) {
  log_end_open();
  log_commit();
}

// Commits the open transaction, if an operation ended in it.
void log_commit(void) {
  if (ended == 0)
    return;
  uint to_log[LOGBLOCKS], home[LOGBLOCKS];
  for (int i = 0; i < nlogged; i++) {
    to_log[i] = sb.logstart + 1 + i;
    home[i] = logged[i]->blockno;
  }
  if (nlogged > 0) {
    if (bwrite_many(logged, to_log, nlogged) < 0 || write_head(nlogged, home) < 0 ||  // the commit point
        install(logged, home, nlogged) < 0 || write_head(0, 0) < 0)
      log_failed = building;  // (the disk driver is gone: fs_ioerror says so to this request)
    log_commits++;
    log_blocks += nlogged;
  }
  for (int i = 0; i < nlogged; i++)
    brelse(logged[i]);
  nlogged = ended = 0;
  log_committed = building++;
}
