"""Tests of the host tools mkfs/mkfs.c and mkfs/fsck.c (no QEMU, no kernel).

Run: python3 -m unittest discover -s grade -p 'test_mkfs.py'

Compiles both tools with the host cc, builds an image from a few files, checks it
with fsck and with a small reader of the format written here, then corrupts
copies of it one way at a time and checks that fsck finds each problem.
"""

import os
import random
import re
import shutil
import struct
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def defines(*headers):
    """The numeric #defines of the kernel headers (the format's constants)."""
    d = {}
    for h in headers:
        with open(os.path.join(ROOT, 'kernel', h)) as f:
            for m in re.finditer(r'^#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b', f.read(), re.M):
                d[m.group(1)] = int(m.group(2), 0)
    return d


C = defines('fs.h', 'stat.h')
BSIZE, NDIRECT, DIRSIZ, ROOTINO = C['BSIZE'], C['NDIRECT'], C['DIRSIZ'], C['ROOTINO']
NINDIRECT = BSIZE // 4
MAXFILE = NDIRECT + NINDIRECT + NINDIRECT * NINDIRECT   # direct, indirect, doubly-indirect
FSSIZE, NINODES, LOGBLOCKS = C['FSSIZE'], C['NINODES'], C['LOGBLOCKS']
NLOG = LOGBLOCKS + 1
T_DIR, T_FILE, T_DEVICE = C['T_DIR'], C['T_FILE'], C['T_DEVICE']
DINODE = struct.Struct('<hhhhI%dI' % (NDIRECT + 2))   # type major minor nlink size addrs
DIRENT = struct.Struct('<H%ds' % DIRSIZ)
IPB = BSIZE // DINODE.size
SB_FIELDS = 'magic size nblocks ninodes nlog logstart inodestart bmapstart'.split()


class Image:
    """A reader (and corrupter) of an image in the format of kernel/fs.h."""

    def __init__(self, data):
        self.data = bytearray(data)
        self.sb = dict(zip(SB_FIELDS, struct.unpack_from('<8I', self.data, BSIZE)))

    def word(self, b, i):
        return struct.unpack_from('<I', self.data, b * BSIZE + 4 * i)[0]

    def set_word(self, b, i, v):
        struct.pack_into('<I', self.data, b * BSIZE + 4 * i, v)

    def _ioff(self, inum):
        return (self.sb['inodestart'] + inum // IPB) * BSIZE + inum % IPB * DINODE.size

    def inode(self, inum):
        t = DINODE.unpack_from(self.data, self._ioff(inum))
        return dict(type=t[0], major=t[1], minor=t[2], nlink=t[3], size=t[4], addrs=list(t[5:]))

    def set_inode(self, inum, **kw):
        d = self.inode(inum)
        d.update(kw)
        DINODE.pack_into(self.data, self._ioff(inum), d['type'], d['major'], d['minor'],
                         d['nlink'], d['size'], *d['addrs'])

    def blocks(self, inum):
        """The disk blocks holding the inode's bytes, in order."""
        d = self.inode(inum)
        n = (d['size'] + BSIZE - 1) // BSIZE
        bs = d['addrs'][:min(n, NDIRECT)]
        if n > NDIRECT:
            bs += [self.word(d['addrs'][NDIRECT], i) for i in range(min(n - NDIRECT, NINDIRECT))]
        for i in range(max(0, n - NDIRECT - NINDIRECT)):
            bs.append(self.word(self.word(d['addrs'][NDIRECT + 1], i // NINDIRECT), i % NINDIRECT))
        return bs

    def mapblocks(self, inum):
        """The indirect and doubly-indirect blocks of the inode."""
        d = self.inode(inum)
        ms = [b for b in d['addrs'][NDIRECT:] if b]
        if d['addrs'][NDIRECT + 1]:
            ms += [w for w in (self.word(d['addrs'][NDIRECT + 1], i) for i in range(NINDIRECT)) if w]
        return ms

    def read(self, inum):
        data = b''.join(bytes(self.data[b * BSIZE:(b + 1) * BSIZE]) for b in self.blocks(inum))
        return data[:self.inode(inum)['size']]

    def dirents(self, dinum):
        """[(offset, inum, name)] of a directory's entries, free ones included."""
        raw, ents = self.read(dinum), []
        for off in range(0, len(raw) - DIRENT.size + 1, DIRENT.size):
            inum, name = DIRENT.unpack_from(raw, off)
            ents.append((off, inum, name.split(b'\0')[0].decode('latin-1')))
        return ents

    def set_dirent(self, dinum, off, inum, name):
        b = self.blocks(dinum)[off // BSIZE]
        DIRENT.pack_into(self.data, b * BSIZE + off % BSIZE, inum, name)

    def lookup(self, name, dinum=ROOTINO):
        for off, inum, n in self.dirents(dinum):
            if inum and n == name:
                return inum
        raise KeyError(name)

    def offset_of(self, name, dinum=ROOTINO):
        return next(off for off, inum, n in self.dirents(dinum) if inum and n == name)

    def bit(self, b):
        return self.data[(self.sb['bmapstart'] + b // (BSIZE * 8)) * BSIZE + b % (BSIZE * 8) // 8] >> (b % 8) & 1

    def set_bit(self, b, v):
        i = (self.sb['bmapstart'] + b // (BSIZE * 8)) * BSIZE + b % (BSIZE * 8) // 8
        self.data[i] = self.data[i] | (1 << b % 8) if v else self.data[i] & ~(1 << b % 8)

    def datastart(self):
        return self.sb['size'] - self.sb['nblocks']

    def free_block(self):
        return next(b for b in range(self.datastart(), self.sb['size']) if not self.bit(b))

    def block(self, b):
        return bytes(self.data[b * BSIZE:(b + 1) * BSIZE])

    def set_block(self, b, content):
        self.data[b * BSIZE:(b + 1) * BSIZE] = content

    def set_log(self, targets, contents):
        """Commits a transaction: header n, block[], and the logged blocks."""
        ls = self.sb['logstart']
        hdr = struct.pack('<i%di' % LOGBLOCKS, len(targets), *(targets + [0] * (LOGBLOCKS - len(targets))))
        self.set_block(ls, hdr + bytes(BSIZE - len(hdr)))
        for i, c in enumerate(contents):
            self.set_block(ls + 1 + i, c)


class MkfsFsck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='mv6-mkfs-')
        cc = shutil.which('cc') or shutil.which('gcc')
        if cc is None:
            raise unittest.SkipTest('no host C compiler (cc or gcc)')
        for tool in ('mkfs', 'fsck'):
            r = subprocess.run([cc, '-std=c99', '-O2', '-Wall', '-Werror', '-I', ROOT, '-o',
                                os.path.join(cls.tmp, tool), os.path.join(ROOT, 'mkfs', tool + '.c')],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise AssertionError('cannot compile mkfs/%s.c:\n%s' % (tool, r.stderr))
        rnd = random.Random(6)
        os.mkdir(os.path.join(cls.tmp, 'sub'))
        # name in the image -> (host path, contents)
        cls.files = {
            'hello.txt': ('hello.txt', b'hello, mv6\n'),
            'empty': ('empty', b''),
            # into the second indirect block under the doubly-indirect one
            'big': ('_big', rnd.randbytes((NDIRECT + 2 * NINDIRECT + 3) * BSIZE + 7)),
            'cat': ('sub/_cat', rnd.randbytes(NDIRECT * BSIZE + 5)),  # just into the indirect block
            'abcdefghijklmn': ('abcdefghijklmn', b'a name of exactly DIRSIZ'),
        }
        for path, content in cls.files.values():
            with open(os.path.join(cls.tmp, path), 'wb') as f:
                f.write(content)
        r = cls.mkfs('fs.img', *(p for p, _ in cls.files.values()))
        if r.returncode != 0:
            raise AssertionError('mkfs failed:\n' + r.stdout + r.stderr)
        cls.mkfs_out = r.stdout
        with open(os.path.join(cls.tmp, 'fs.img'), 'rb') as f:
            cls.image = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def mkfs(cls, image, *files):
        return subprocess.run([os.path.join(cls.tmp, 'mkfs'), image, *files], cwd=cls.tmp,
                              capture_output=True, text=True, timeout=10)

    def fsck(self, data):
        path = os.path.join(self.tmp, 'check.img')
        with open(path, 'wb') as f:
            f.write(data)
        r = subprocess.run([os.path.join(self.tmp, 'fsck'), path], capture_output=True, text=True,
                           timeout=10)
        return r.returncode, r.stdout + r.stderr

    def assertClean(self, img):
        rc, out = self.fsck(img.data if isinstance(img, Image) else img)
        self.assertEqual(rc, 0, 'fsck should pass:\n' + out)
        self.assertRegex(out, r'clean \(\d+ inodes in use, \d+ data blocks in use\)')
        return out

    def assertBroken(self, img, pattern):
        rc, out = self.fsck(img.data)
        self.assertEqual(rc, 1, 'fsck should fail with %r:\n%s' % (pattern, out))
        self.assertRegex(out, pattern)
        for line in out.splitlines():
            self.assertTrue(line.startswith('fsck: '), line)
        return out

    def fresh(self):
        return Image(self.image)

    # --- the image mkfs builds ---

    def test_fsck_passes_and_counts(self):
        out = self.assertClean(self.image)
        img = self.fresh()
        inodes = [ROOTINO, img.lookup('console')] + [img.lookup(n) for n in self.files]
        nblocks = sum(len(img.blocks(i)) + len(img.mapblocks(i)) for i in inodes)
        self.assertIn('clean (%d inodes in use, %d data blocks in use)' % (len(inodes), nblocks), out)

    def test_layout(self):
        sb = self.fresh().sb
        ninodeblocks = (NINODES + IPB - 1) // IPB
        nbitmap = (FSSIZE + BSIZE * 8 - 1) // (BSIZE * 8)
        nmeta = 2 + NLOG + ninodeblocks + nbitmap
        self.assertEqual(sb, dict(magic=C['FSMAGIC'], size=FSSIZE, nblocks=FSSIZE - nmeta,
                                  ninodes=NINODES, nlog=NLOG, logstart=2, inodestart=2 + NLOG,
                                  bmapstart=2 + NLOG + ninodeblocks))
        self.assertEqual(len(self.image), FSSIZE * BSIZE)
        self.assertEqual(struct.unpack_from('<i', self.image, 2 * BSIZE)[0], 0, 'log header n')
        for word in ('nmeta %d' % nmeta, 'nlog %d' % NLOG, 'ninodeblocks %d' % ninodeblocks,
                     'nbitmap %d' % nbitmap, 'nblocks %d' % (FSSIZE - nmeta)):
            self.assertIn(word, self.mkfs_out)

    def test_root_and_console(self):
        img = self.fresh()
        root = img.inode(ROOTINO)
        self.assertEqual((root['type'], root['nlink']), (T_DIR, 1))
        self.assertEqual(root['size'] % DIRENT.size, 0)
        ents = [(i, n) for _, i, n in img.dirents(ROOTINO) if i]
        self.assertEqual(ents[:2], [(ROOTINO, '.'), (ROOTINO, '..')])
        self.assertEqual(sorted(n for _, n in ents[2:]), sorted(['console'] + list(self.files)))
        con = img.inode(img.lookup('console'))
        self.assertEqual((con['type'], con['major'], con['minor'], con['nlink'], con['size']),
                         (T_DEVICE, C['CONSOLE'], 0, 1, 0))

    def test_files_read_back(self):
        img = self.fresh()
        for name, (_, content) in self.files.items():
            d = img.inode(img.lookup(name))
            self.assertEqual((d['type'], d['nlink'], d['size']), (T_FILE, 1, len(content)), name)
            self.assertTrue(img.read(img.lookup(name)) == content, name + ': bytes differ')
        big = img.inode(img.lookup('big'))
        self.assertNotEqual(big['addrs'][NDIRECT], 0, 'big needs its indirect block')
        self.assertNotEqual(big['addrs'][NDIRECT + 1], 0, 'big needs its doubly-indirect block')
        self.assertEqual(len(img.mapblocks(img.lookup('big'))), 4, 'indirect, doubly-indirect, 2 under it')

    # --- mkfs refuses ---

    def assertRefused(self, files, pattern):
        if os.path.exists(os.path.join(self.tmp, 'bad.img')):
            os.remove(os.path.join(self.tmp, 'bad.img'))
        r = self.mkfs('bad.img', *files)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertRegex(r.stderr, pattern)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, 'bad.img')), 'no image on error')

    def test_mkfs_refuses_too_big(self):
        with open(os.path.join(self.tmp, 'toobig'), 'wb') as f:
            f.write(bytes(MAXFILE * BSIZE + 1))
        self.assertRefused(['toobig'], r'toobig.*too big')

    def test_largest_file_on_a_larger_image(self):
        # -s: a disk that holds a file of MAXFILE blocks, each starting with its number
        # so that a block in the wrong place shows.
        size = MAXFILE + 2000
        data = b''.join(struct.pack('<I', n) + bytes(BSIZE - 4) for n in range(MAXFILE))
        with open(os.path.join(self.tmp, 'largest'), 'wb') as f:
            f.write(data)
        r = subprocess.run([os.path.join(self.tmp, 'mkfs'), '-s', str(size), 'large.img', 'largest'],
                           cwd=self.tmp, capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('large.img: %d blocks' % size, r.stdout)
        with open(os.path.join(self.tmp, 'large.img'), 'rb') as f:
            img = Image(f.read())
        os.remove(os.path.join(self.tmp, 'large.img'))
        self.assertEqual((img.sb['size'], len(img.data)), (size, size * BSIZE))
        self.assertClean(img)
        self.assertTrue(img.read(img.lookup('largest')) == data, 'the largest file: bytes differ')
        self.assertEqual(len(img.mapblocks(img.lookup('largest'))), 2 + NINDIRECT)

    def test_mkfs_refuses_bad_size(self):
        for arg in ('10', 'x', '', str(2 ** 20 + 1)):
            r = self.mkfs('-s', arg, 'bad.img')
            self.assertNotEqual(r.returncode, 0, arg)
            self.assertIn('-s', r.stderr, arg)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, 'bad.img')), 'no image on error')

    def test_mkfs_refuses_long_name(self):
        open(os.path.join(self.tmp, 'abcdefghijklmno'), 'wb').close()
        self.assertRefused(['abcdefghijklmno'], r'longer than DIRSIZ')

    def test_mkfs_refuses_duplicate_name(self):
        open(os.path.join(self.tmp, 'sub', 'empty'), 'wb').close()
        self.assertRefused(['empty', 'sub/_cat', 'sub/empty'], r"sub/empty: the name 'empty' is already")

    # --- fsck finds corruptions ---

    def test_bitmap_used_block_marked_free(self):
        img = self.fresh()
        b = img.blocks(img.lookup('big'))[0]
        img.set_bit(b, 0)
        self.assertBroken(img, r'block %d is used by inode \d+ but marked free' % b)

    def test_bitmap_metadata_marked_free(self):
        img = self.fresh()
        img.set_bit(1, 0)
        self.assertBroken(img, r'block 1 is metadata but marked free')

    def test_bitmap_free_block_marked_used(self):
        img = self.fresh()
        img.set_bit(FSSIZE - 1, 1)
        self.assertBroken(img, r'block %d is marked used .* no inode uses it' % (FSSIZE - 1))

    def test_block_referenced_twice(self):
        img = self.fresh()
        b = img.blocks(img.lookup('big'))[5]
        img.set_inode(img.lookup('hello.txt'), addrs=[b] + [0] * (NDIRECT + 1))
        self.assertBroken(img, r'block %d is referenced twice' % b)

    def test_wrong_nlink(self):
        img = self.fresh()
        img.set_inode(img.lookup('hello.txt'), nlink=2)
        self.assertBroken(img, r'nlink 2, expected 1 ')

    def test_root_nlink_counts_dotdot_only(self):
        img = self.fresh()
        img.set_inode(ROOTINO, nlink=2)   # as if "." were counted
        self.assertBroken(img, r'inode %d: nlink 2, expected 1 ' % ROOTINO)

    def test_entry_names_free_inode(self):
        img = self.fresh()
        img.set_dirent(ROOTINO, img.offset_of('hello.txt'), NINODES - 1, b'hello.txt')
        self.assertBroken(img, r"entry 'hello.txt' names free inode %d" % (NINODES - 1))

    def test_entry_names_inode_out_of_range(self):
        img = self.fresh()
        img.set_dirent(ROOTINO, img.offset_of('hello.txt'), NINODES, b'hello.txt')
        self.assertBroken(img, r'beyond the %d inodes' % NINODES)

    def test_orphan_inode(self):
        img = self.fresh()
        img.set_inode(NINODES - 1, type=T_FILE, nlink=0, size=0, addrs=[0] * (NDIRECT + 2))
        out = self.assertBroken(img, r'inode %d \(file\) is not reachable from the root' % (NINODES - 1))
        self.assertNotIn('nlink', out)

    def test_bad_magic(self):
        img = self.fresh()
        struct.pack_into('<I', img.data, BSIZE, 0x12345678)
        self.assertBroken(img, r'magic')

    def test_superblock_size_mismatch(self):
        self.assertBroken(Image(self.image + bytes(BSIZE)), r'size %d blocks, but the image has %d'
                          % (FSSIZE, FSSIZE + 1))

    def test_superblock_regions_overlap(self):
        img = self.fresh()
        struct.pack_into('<I', img.data, BSIZE + 4 * SB_FIELDS.index('inodestart'), 10)
        self.assertBroken(img, r'log .* runs into the inodes')

    def test_hole(self):
        img = self.fresh()
        d = img.inode(img.lookup('big'))
        img.set_bit(d['addrs'][3], 0)
        d['addrs'][3] = 0
        img.set_inode(img.lookup('big'), addrs=d['addrs'])
        self.assertBroken(img, r'addrs\[3\] is 0, but size .* needs it')

    def test_block_beyond_size(self):
        img = self.fresh()
        b = img.free_block()
        img.set_bit(b, 1)
        img.set_inode(img.lookup('empty'), addrs=[b] + [0] * (NDIRECT + 1))
        self.assertBroken(img, r'addrs\[0\] = %d is beyond what size 0 needs' % b)

    def test_indirect_entry_outside_data(self):
        img = self.fresh()
        img.set_word(img.inode(img.lookup('cat'))['addrs'][NDIRECT], 0, 5)
        self.assertBroken(img, r'indirect\[0\] = 5 is outside the data region')

    def test_doubly_indirect_entries_outside_data(self):
        img = self.fresh()
        dind = img.inode(img.lookup('big'))['addrs'][NDIRECT + 1]
        img.set_word(img.word(dind, 1), 2, 5)
        self.assertBroken(img, r'indirect\[2\] = 5 is outside the data region')
        img = self.fresh()
        img.set_word(dind, 0, 6)
        self.assertBroken(img, r'doubly-indirect\[0\] = 6 is outside the data region')

    def test_doubly_indirect_beyond_size(self):
        img = self.fresh()
        b = img.free_block()
        img.set_bit(b, 1)
        dind = img.inode(img.lookup('big'))['addrs'][NDIRECT + 1]
        img.set_word(dind, 2, b)
        self.assertBroken(img, r'doubly-indirect\[2\] = %d is beyond what size' % b)

    def test_size_too_big(self):
        img = self.fresh()
        img.set_inode(img.lookup('big'), size=MAXFILE * BSIZE + 1)
        self.assertBroken(img, r'more than the largest file')

    def test_bad_type_and_device_size(self):
        img = self.fresh()
        img.set_inode(img.lookup('hello.txt'), type=7)
        img.set_inode(img.lookup('console'), size=16)
        out = self.assertBroken(img, r'bad type 7')
        self.assertRegex(out, r'device with size 16')

    def test_directory_size_and_names(self):
        img = self.fresh()
        img.set_dirent(ROOTINO, img.offset_of('empty'), img.lookup('empty'), b'em\0pty')
        img.set_inode(ROOTINO, size=img.inode(ROOTINO)['size'] + 8)
        out = self.assertBroken(img, r'not a multiple of 16')
        self.assertRegex(out, r"entry 'em' is not NUL-padded")

    def test_missing_dot(self):
        img = self.fresh()
        img.set_dirent(ROOTINO, img.offset_of('.'), ROOTINO, b'x')
        self.assertBroken(img, r"directory %d: 0 '\.' entries" % ROOTINO)

    # A subdirectory "d" of the root, made here (mkfs makes none), for the
    # ".." part of the nlink rule and the tree checks.
    def add_subdir(self, img, name=b'd'):
        dinum = next(i for i in range(NINODES - 1, 0, -1) if img.inode(i)['type'] == 0)
        b = img.free_block()
        img.set_bit(b, 1)
        img.set_inode(dinum, type=T_DIR, nlink=1, size=2 * DIRENT.size, addrs=[b] + [0] * (NDIRECT + 1))
        img.set_dirent(dinum, 0, dinum, b'.')
        img.set_dirent(dinum, DIRENT.size, ROOTINO, b'..')
        root = img.inode(ROOTINO)
        self.assertLess(root['size'] + DIRENT.size, BSIZE)
        img.set_inode(ROOTINO, size=root['size'] + DIRENT.size)
        img.set_dirent(ROOTINO, root['size'], dinum, name)
        return dinum

    def test_subdir_nlink_rule(self):
        img = self.fresh()
        self.add_subdir(img)
        self.assertBroken(img, r'inode %d: nlink 1, expected 2 ' % ROOTINO)
        img.set_inode(ROOTINO, nlink=2)   # the subdirectory's ".."
        self.assertClean(img)

    def test_hard_link_to_directory(self):
        img = self.fresh()
        dinum = self.add_subdir(img)
        img.set_inode(ROOTINO, nlink=2)
        img.set_dirent(ROOTINO, img.offset_of('empty'), dinum, b'd2')
        img.set_inode(dinum, nlink=2)
        out = self.assertBroken(img, r'directory %d is named by 2 entries' % dinum)
        self.assertRegex(out, r'inode %d \(file\) is not reachable' % self.fresh().lookup('empty'))

    def test_directory_cycle_is_orphaned(self):
        img = self.fresh()
        d = self.add_subdir(img)
        img.set_inode(ROOTINO, nlink=2)
        img.set_dirent(ROOTINO, img.offset_of('d'), 0, b'')          # unlink d from the root...
        img.set_dirent(d, DIRENT.size, d, b'..')                      # ...its ".." names itself
        img.set_inode(ROOTINO, nlink=1)
        img.set_inode(d, nlink=1)
        self.assertBroken(img, r'inode %d \(directory\) is not reachable' % d)

    # --- the log ---

    def inode_block(self, img, inum):
        return img.sb['inodestart'] + inum // IPB

    def test_log_replay_repairs(self):
        img = self.fresh()
        inum = img.lookup('hello.txt')
        ib = self.inode_block(img, inum)
        good = img.block(ib)
        img.set_inode(inum, nlink=5)          # the on-disk inode is wrong...
        self.assertBroken(img, r'nlink 5')
        img.set_log([ib], [good])             # ...but the committed log has the right block
        out = self.assertClean(img)
        self.assertIn('fsck: replaying 1 logged blocks', out)

    def test_log_replay_breaks(self):
        img = self.fresh()
        inum = img.lookup('hello.txt')
        ib = self.inode_block(img, inum)
        img.set_inode(inum, type=9)
        bad = img.block(ib)
        img.set_block(ib, self.fresh().block(ib))
        self.assertClean(img)                 # header n = 0: the log block is ignored
        img.set_log([ib], [bad])
        out = self.assertBroken(img, r'inode %d: bad type 9' % inum)
        self.assertIn('replaying 1 logged blocks', out)

    def test_log_target_outside_image(self):
        img = self.fresh()
        img.set_log([FSSIZE + 5], [bytes(BSIZE)])
        self.assertBroken(img, r'block\[0\] = %d is outside the image' % (FSSIZE + 5))

    def test_log_target_in_log(self):
        img = self.fresh()
        img.set_log([img.sb['logstart'] + 3], [bytes(BSIZE)])
        self.assertBroken(img, r'block\[0\] = %d is not an inode, bitmap or data block'
                          % (img.sb['logstart'] + 3))

    def test_log_header_too_big(self):
        img = self.fresh()
        struct.pack_into('<i', img.data, img.sb['logstart'] * BSIZE, LOGBLOCKS + 1)
        self.assertBroken(img, r'log: header says %d blocks' % (LOGBLOCKS + 1))


if __name__ == '__main__':
    unittest.main()
