# check.py EXPECTED.tsv CARDS.vcf -- every person of EXPECTED (client,
# org, name, title, phone, email, address; tab-separated, as the book
# says) is one vCard 4.0 of CARDS as python3-vobject reads it, and
# nothing else is; prints what differs and exits 1.
import sys
import vobject

want = {}
for line in open(sys.argv[1], encoding='utf-8'):
    client, org, name, title, phone, email, adr = line.rstrip('\n').split('\t')
    want[(client, name)] = dict(org=org, title=title, phone=phone, email=email, adr=adr)

data = open(sys.argv[2], encoding='utf-8', newline='').read()
if '\n' in data.replace('\r\n', ''):
    sys.exit('a line does not end in CRLF')
for raw in data.split('\r\n'):
    if len(raw.encode('utf-8')) > 75:
        sys.exit('a line longer than 75 bytes: ' + raw)
bad = 0
seen = {}
uids = set()
for card in vobject.readComponents(data):
    def val(name):
        return getattr(card, name).value if hasattr(card, name) else ''
    if val('version') != '4.0':
        print('not vCard 4.0:', val('fn')); bad = 1
    client = val('x_ae_client')
    key = (client, val('fn'))
    got = dict(org=(val('org') or [''])[0] if isinstance(val('org'), list) else val('org'),
               title=val('title'), phone=val('tel'), email=val('email'),
               adr=val('adr').street if val('adr') else '')
    if val('categories') != [client]:
        print('categories', val('categories'), 'for', key); bad = 1
    uids.add(val('uid'))
    if not val('uid').startswith('urn:uuid:'):
        print('uid', val('uid')); bad = 1
    if key not in want:
        print('a card not in the book:', key, got); bad = 1
    elif got != want[key]:
        print('differs:', key, got, 'book:', want[key]); bad = 1
    seen[key] = card
for key in want:
    if key not in seen:
        print('no card for', key); bad = 1
if len(uids) != len(seen):
    print('UIDs are not one per person'); bad = 1
n = seen.get(('SH-202611-OUYANG-016', '欧阳娜娜'))
if n is not None and (n.n.value.family, n.n.value.given) != ('欧阳', '娜娜'):
    print('compound surname', n.n.value); bad = 1
n = seen.get(('SH-202611-OUYANG-016', 'John Smith'))
if n is not None and (n.n.value.family, n.n.value.given) != ('Smith', 'John'):
    print('western name', n.n.value); bad = 1
n = seen.get(('SH-202603-COKE-007', '王建华'))
if n is not None and ((n.n.value.family, n.n.value.given) != ('王', '建华') or n.tel.params.get('TYPE') != ['cell']):
    print('chinese name or mobile', n.n.value, n.tel.params); bad = 1
print(len(seen), 'cards')
sys.exit(bad)
