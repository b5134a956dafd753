"""tests/lib/parse_cache.py -- read and write ae's parse cache
(.git/ae/parse-cache, and .git/ae/blob-cache of --at REV's files, keyed
by blob id: blob=True; src/cache.c) for the cases that damage one on
purpose: its entries as bytes to change, written back with the payload
length and the checksum made right, so that ae gets past them to the
entries' decoders.  The layout is cache.c's (CACHE_LAYOUT 1).

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
    """The offset of an entry's body in it."""
    at = _path_at(e, blob)
    pn, = struct.unpack_from('<I', e, at)
    return at + 4 + pn


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
        f.write(bytes(head) + struct.pack('<Q', hash_bytes(hash_bytes(0, bytes(head)), out)) + out)
