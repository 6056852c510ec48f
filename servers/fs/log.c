// The write-ahead log: every request that changes the disk is one operation, and
// operations are committed in transactions. Changed blocks stay in the cache (pinned)
// until their transaction commits: write them to the log, write the header (the commit
// point), install them where they belong, clear the header. After a crash, log_init
// installs a committed log again, so a request that returned is on disk, and one that
// did not is not there at all.
//
// A host that serves one request at a time (the kernel's, or a file server with one
// worker) commits each operation as it ends. A host with several workers may have
// operations of several requests open at once (group commit, as in xv6): the last to
// end commits them all, so one commit serves several writers; while a commit is on
// the disk (the host may let others into the core meanwhile: nothing in the cache
// changes then) no operation begins.
#include "servers/fs/fs.h"

static struct buf *logged[LOGBLOCKS];
static int nlogged;
static int outstanding;      // operations begun and not ended
static int ended;            // operations ended in the transaction being built
static int committing;       // a commit is on the disk
static uint64 building = 1;  // the number of the transaction operations join
uint64 log_committed;        // the last transaction done (committed, or failed: log_failed)
uint64 log_failed;
int log_coming;              // the host's: operations about to begin (atomic)
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

// Writes the transaction's blocks, logged[0..nlogged); its number is then done.
static void commit(void) {
  committing = 1;
  uint to_log[LOGBLOCKS], home[LOGBLOCKS];
  for (int i = 0; i < nlogged; i++) {
    to_log[i] = sb.logstart + 1 + i;
    home[i] = logged[i]->blockno;
  }
  if (nlogged > 0) {
    if (bwrite_many(logged, to_log, nlogged) < 0 || write_head(nlogged, home) < 0 ||   // the commit point
        install(logged, home, nlogged) < 0 || write_head(0, 0) < 0)
      log_failed = building;        // (the disk driver is gone: fs_ioerror says so to this request)
    log_commits++;
    log_blocks += nlogged;
  }
  for (int i = 0; i < nlogged; i++)
    brelse(logged[i]);
  nlogged = ended = committing = 0;
  log_committed = building++;
}

// 0: an operation has begun; FS_BLOCK: wait until a commit ends (one is on the disk,
// or the log has no room while other operations are open), then try again.
int log_begin(void) {
  while (!committing && nlogged + (outstanding + 1) * MAXOPBLOCKS > LOGBLOCKS) {
    if (outstanding)
      return FS_BLOCK;
    commit();                       // ended operations fill the log: commit them first
  }
  if (committing)
    return FS_BLOCK;
  outstanding++;
  return 0;
}

// b changed and must reach the disk with this transaction. The caller still brelse()s.
void log_write(struct buf *b) {
  for (int i = 0; i < nlogged; i++)
    if (logged[i] == b)
      return;
  if (nlogged == LOGBLOCKS) {
    fs_ioerror = 1;                 // callers keep transactions smaller than the log
    return;
  }
  b->refcnt++;                      // pinned until installed
  logged[nlogged++] = b;
}

// Ends an operation: its transaction's number. The last operation open commits them
// all, unless the host expects more (log_coming): then log_flush does, later.
uint64 log_end(void) {
  uint64 t = building;
  outstanding--;
  ended++;
  log_flush();
  return t;
}

// Commits the ended operations if none is open or coming.
void log_flush(void) {
  if (!committing && outstanding == 0 && ended > 0 && __atomic_load_n(&log_coming, __ATOMIC_ACQUIRE) == 0)
    commit();
}
