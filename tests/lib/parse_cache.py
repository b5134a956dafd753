"""tests/lib/parse_cache.py -- read and write ae's parse cache
(.git/ae/parse-cache, and .git/ae/blob-cache of --at REV's files, keyed
by blob id: blob=True; src/cache.c) for the cases that damage one on
purpose: its entries as bytes to change, written back with the payload
length and the checksum made right, so that ae gets past them to the
entries' decoders.  The layout is cache.c's (CACHE_LAYOUT 3: a string is
its length, its bytes and a NUL; a journal body, journal.c put_jfile()).

    import sys; sys.path.insert(0, TOP + '/tests/lib'); import parse_cache
    head, entries = parse_cache.read(path)
    for e in entries: ... parse_cache.path_of(e), parse_cache.body_at(e) ...
    parse_cache.write(path, head, entries)
"""
import struct

RECORD, JOURNAL = 1, 2


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


def checksum(seed, data):
    """cache.c's checksum(): four lanes of a multiply-accumulate over
    512-byte blocks, each lane stirred after a block; the rest, and the
    lanes, through hash_bytes()."""
    m, x = 2**64, seed

    def key():
        nonlocal x
        x = (x + 0x9E3779B97F4A7C15) % m
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % m
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % m
        return z ^ (z >> 31)
    keys = [key() for _ in range(64)]
    stir = [key() for _ in range(4)]
    acc = [0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63]
    n = len(data)
    whole = n // 512 * 512
    for off in range(0, whole, 512):
        words = struct.unpack_from('<64Q', data, off)
        for j, w in enumerate(words):
            k = w ^ keys[j]
            acc[j % 4] = (acc[j % 4] + w + (k & 0xFFFFFFFF) * (k >> 32)) % m
        for i in range(4):
            acc[i] = (((acc[i] ^ (acc[i] >> 47)) ^ stir[i]) * 0x9E3779B1) % m
    h = hash_bytes(seed ^ n, struct.pack('<4Q', *acc))
    return hash_bytes(h, data[whole:])


def string(b):
    """A string as the cache holds it: its length, its bytes, a NUL."""
    return struct.pack('<I', len(b)) + b + b'\0'


def read(path):
    """The header (magic, layout, settings, count, payload length: 40
    bytes) and the entries (each a bytearray: type, stat data, path,
    body) of the cache file at path."""
    d = open(path, 'rb').read()
    head, payload, entries, p = bytearray(d[:40]), d[48:], [], 0
    while p < len(payload):
        n, = struct.unpack_from('<I', payload, p)
        entries.append(bytearray(payload[p + 4:p + 4 + n]))
        p += 4 + n
    return head, entries


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
    """The offset of an entry's body in it (after the path's NUL)."""
    at = _path_at(e, blob)
    pn, = struct.unpack_from('<I', e, at)
    return at + 4 + pn + 1


def find(entries, type_, path, blob=False):
    """The entry of that type for path (bytes or str)."""
    if isinstance(path, str):
        path = path.encode()
    for e in entries:
        if e[0] == type_ and path_of(e, blob) == path:
            return e
    raise SystemExit('parse_cache: no entry for %r' % path)


def write(path, head, entries):
    """The cache file at path: head and entries, with the payload length
    and checksum made right (the count is left as it is)."""
    out = b''.join(struct.pack('<I', len(e)) + bytes(e) for e in entries)
    head = bytearray(head)
    head[32:40] = struct.pack('<Q', len(out))
    with open(path, 'wb') as f:
        f.write(bytes(head) + struct.pack('<Q', checksum(hash_bytes(0, bytes(head)), out)) + out)
