"""tests/lib/parse_cache.py -- read and write ae's parse cache
(.git/ae/parse-cache, and .git/ae/blob-cache of --at REV's files, keyed
by blob id: blob=True; src/cache.c) for the cases that damage one on
purpose: its entries as bytes to change, written back with the payload
length and the checksum made right, so that ae gets past them to the
entries' decoders.  The layout is cache.c's (CACHE_LAYOUT 9: a string is
its length, its bytes and a NUL; each entry, and each entry's body, at a
multiple of 8 in the file, zeros before them, the entry's checksums just
before its body, cache_int.h; a journal body, journal_cache.c
jfile_put(), its encoded entries its tail; a record's, cache_body.c; the
journal's image, an entry of type IMAGE last, whose entries follow the
payload: cache_image.c; the sums, cache_sum.c; the table of the
entries, an entry of type TABLE first, cache_int.h, remade by write_all()
for the entries it writes as ae makes it).  write() leaves the image out, so that the bodies changed are the
ones served; read_all() and write_all() keep it, for the cases that
change the image itself.

    import sys; sys.path.insert(0, TOP + '/tests/lib'); import parse_cache
    head, entries = parse_cache.read(path)
    for e in entries: ... parse_cache.path_of(e), parse_cache.body_at(e) ...
    parse_cache.write(path, head, entries)
"""
import struct

RECORD, JOURNAL, IMAGE, TABLE = 1, 2, 3, 4
# an entry of the image: struct jentry (journal.h), 32 bytes: at, amount,
# rec, line, who, what, then spans (11 bits each), verb (3), important
# (1), spare (6) from the word's low bit
JENTRY = struct.Struct('<qqiiHHI')


def hash_bytes(h, data):
    """cache.c's hash_bytes(): 64 bits, eight bytes at a time."""
    m, k = 2**64, 0x9E3779B97F4A7C15
    n, i = len(data), 0
    while n - i >= 8:
        w, = struct.unpack_from('<Q', data, i)
        h = ((h ^ w) * k) % m
        h ^= h >> 29
        i += 8
    w = int.from_bytes(data[i:] + bytes(8 - (n - i)), 'little')
    h = ((h ^ w ^ ((n - i) << 56)) * k) % m
    h ^= h >> 29
    return h


def _keys(x):
    """cache_sum.c's keys from a seed: 64 for a block's words, 4 for its
    lanes' stir (splitmix64)."""
    m = 2**64

    def key():
        nonlocal x
        x = (x + 0x9E3779B97F4A7C15) % m
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % m
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % m
        return z ^ (z >> 31)
    keys = [key() for _ in range(64)]
    return keys, [key() for _ in range(4)]


def _sum(keys, stir, seed, data, stripes):
    """cache_sum.c's sum_with(): four lanes of a multiply-accumulate over
    512-byte blocks, each lane stirred after a block; with stripes, the
    32-byte stripes left as a block's first ones; the rest, and the
    lanes, through hash_bytes()."""
    m = 2**64
    acc = [0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63]
    n = len(data)
    whole = n // 512 * 512

    def stripe(off, s):
        for i, w in enumerate(struct.unpack_from('<4Q', data, off)):
            k = w ^ keys[4 * s + i]
            acc[i] = (acc[i] + w + (k & 0xFFFFFFFF) * (k >> 32)) % m
    for off in range(0, whole, 512):
        for s in range(16):
            stripe(off + 32 * s, s)
        for i in range(4):
            acc[i] = (((acc[i] ^ (acc[i] >> 47)) ^ stir[i]) * 0x9E3779B1) % m
    s = 0
    while stripes and n - whole >= 32:
        stripe(whole, s)
        s += 1
        whole += 32
    h = hash_bytes(seed ^ n, struct.pack('<4Q', *acc))
    return hash_bytes(h, data[whole:])


def checksum(seed, data):
    """cache.c's checksum(): keys from the seed (the image's months)."""
    keys, stir = _keys(seed)
    return _sum(keys, stir, seed, data, False)


_ENTRY_KEYS = _keys(0x61652D656E747279)
ENTRY_SEED, TAIL_SEED = 0x656E747279, 0x7461696C


def entry_sum(seed, data):
    """cache_sum.c's cache_entry_sum(): keys made once, stripes too."""
    return _sum(_ENTRY_KEYS[0], _ENTRY_KEYS[1], seed, data, True)


def seal(e, blob=False):
    """Entry e's checksums (cache_int.h) made right for its bytes: its
    tail as long as it says (if it can be; else none)."""
    b = body_at(e, blob)
    tail, = struct.unpack_from('<I', e, b - 8)
    if tail > len(e) - b:
        tail = 0
    struct.pack_into('<QII', e, b - 16, entry_sum(TAIL_SEED, bytes(e[len(e) - tail:])), tail, 0)
    head = struct.pack('<I', len(e)) + bytes(e[:b - 24])
    struct.pack_into('<Q', e, b - 24,
                     entry_sum(hash_bytes(ENTRY_SEED, head), bytes(e[b - 16:len(e) - tail])))


def string(b):
    """A string as the cache holds it: its length, its bytes, a NUL."""
    return struct.pack('<I', len(b)) + b + b'\0'


class Entries(list):
    """The entries of a file but its table, and where the first of them
    is in the file (past the table): body_offset() counts from there."""
    first = None


def read_all(path):
    """The header (magic, layout, settings, count, payload length: 40
    bytes), the entries (each a bytearray: type, stat data, path, body)
    of the cache file at path but its table (write_all() makes one for
    the entries it writes), and what follows the payload (the image's
    entries: a bytearray)."""
    d = open(path, 'rb').read()
    head = bytearray(d[:40])
    plen, = struct.unpack_from('<Q', head, 32)
    payload, entries, p = d[48:48 + plen], Entries(), 0
    while p < len(payload):
        n, = struct.unpack_from('<I', payload, p)
        e = bytearray(payload[p + 4:p + 4 + n])
        p += 4 + n
        p += -p % 8
        if not entries and entries.first is None and e[0] == TABLE:
            entries.first = 48 + p
            continue
        entries.append(e)
    return head, entries, bytearray(d[48 + plen:])


def read(path):
    """The header and the entries of the cache file at path (read_all()
    without what follows the payload)."""
    head, entries, _ = read_all(path)
    return head, entries


def image_months(e):
    """The image entry e's digest and months: [body offset in the file,
    first entry, count, checksum] each (cache.c put_image())."""
    b = body_at(e)
    digest, n = struct.unpack_from('<QQ', e, b + 8)
    return digest, [list(struct.unpack_from('<4Q', e, b + 32 + 32 * k)) for k in range(n)]


def set_image_month(e, k, month):
    """Month k of the image entry e put back (body offset, first, count,
    checksum)."""
    struct.pack_into('<4Q', e, body_at(e) + 32 + 32 * k, *month)


def body_offset(head, entries, e):
    """Where entry e's body starts in the file (what the image names a
    month's body by)."""
    at = getattr(entries, 'first', None) or 48 + _table_size(entries)
    for x in entries:
        if x is e:
            return at + 4 + body_at(x)
        at += 4 + len(x) + -(4 + len(x)) % 8
    raise SystemExit('parse_cache: not an entry of the file')


def _path_at(e, blob):
    """The offset of an entry's path's length: after the type and the stat
    data (parse-cache), or the blob id's length and bytes (blob-cache)."""
    return 2 + e[1] if blob else 49


def path_of(e, blob=False):
    """The path an entry is for (bytes)."""
    at = _path_at(e, blob)
    pn, = struct.unpack_from('<I', e, at)
    return bytes(e[at + 4:at + 4 + pn])


def body_at(e, blob=False):
    """The offset of an entry's body in it (after the path's NUL, at a
    multiple of 8 in the file -- the entry is 4 bytes past one -- then
    the entry's sums, 24 bytes)."""
    at = _path_at(e, blob)
    pn, = struct.unpack_from('<I', e, at)
    b = at + 4 + pn + 1
    return b + -(4 + b) % 8 + 24


def find(entries, type_, path, blob=False):
    """The entry of that type for path (bytes or str)."""
    if isinstance(path, str):
        path = path.encode()
    for e in entries:
        if e[0] == type_ and path_of(e, blob) == path:
            return e
    raise SystemExit('parse_cache: no entry for %r' % path)


def _table_size(entries, blob=False):
    """The bytes of the table write_all() puts before entries, padding
    included."""
    n = 4 + len(_table(entries, blob))
    return n + -n % 8


def _order(e, blob):
    """An entry's place in a listing's order (cache_table.c
    cache_path_order()): by type, then path, '/' before any other byte."""
    return (e[0], bytes(1 if c == 0x2F else c + 1 for c in path_of(e, blob)))


def _runs(entries, blob):
    """The first entry of each run of entries in path order (the image's
    left out), as ae finds them; [] if there are more than 64."""
    keys = [_order(e, blob) for e in entries if e[0] != IMAGE]
    runs = [i for i in range(len(keys)) if i == 0 or keys[i - 1] >= keys[i]]
    return runs if len(runs) <= 64 else []


def _table(entries, blob):
    """The table entry (cache_int.h) of the entries that follow it, each at
    its place in the file, as ae makes it: the rows' count, the runs'
    count, each run's first row, then a row each (where its length is,
    where its path starts after that, the path's length, the body's
    length, the type)."""
    key = b'\1\0' if blob else bytes(48)
    head = bytes([TABLE]) + key + string(b'')
    pad = -(4 + len(head)) % 8
    runs = _runs(entries, blob)
    rn = struct.pack('<%dI' % len(runs), *runs)
    rn += bytes(-len(rn) % 8)
    size = 4 + len(head) + pad + 24 + 16 + len(rn) + 24 * len(entries)
    at, rows = 48 + size + -size % 8, b''
    for e in entries:
        p = _path_at(e, blob)
        pn, = struct.unpack_from('<I', e, p)
        rows += struct.pack('<QIIII', at, p + 4 + 4, pn, len(e) - body_at(e, blob), e[0])
        at += 4 + len(e) + -(4 + len(e)) % 8
    return bytearray(head + bytes(pad) + bytes(24) + struct.pack('<QQ', len(entries), len(runs)) +
                     rn + rows)


def write_all(path, head, entries, tail):
    """The cache file at path: head, a table of the entries, the entries
    and tail, with the count, the payload length, the header's checksum
    and each entry's made right."""
    blob = bytes(head[:8]) == b'AEBLOBS\n'
    head = bytearray(head)
    head[24:32] = struct.pack('<Q', len(entries))
    entries = [_table(entries, blob)] + list(entries)
    for e in entries:
        seal(e, blob)
    out = b''.join(struct.pack('<I', len(e)) + bytes(e) + bytes(-(4 + len(e)) % 8)
                   for e in entries)
    head[32:40] = struct.pack('<Q', len(out))
    with open(path, 'wb') as f:
        f.write(bytes(head) + struct.pack('<Q', hash_bytes(0, bytes(head))) + out + bytes(tail))


def write(path, head, entries):
    """The cache file at path: head and entries less the journal's image
    (so that its bodies are what is served), the count less it, with
    the payload length and checksums made right."""
    kept = [e for e in entries if e[0] != IMAGE]
    write_all(path, head, kept, b'')
