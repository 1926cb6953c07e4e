import json,sys,collections
d=json.load(open(sys.argv[1]))
fams=('tf4','pl','sb3','torch','fn')
files=collections.defaultdict(set)
deny=collections.defaultdict(set)
for o in d['objects']:
    loc=o['location']; p=loc.split('/tmp/fp11/out/')[1].split('/')[0]
    files[p].add(loc.split('!')[0])
for f in d['findings']:
    loc=f.get('location') or f.get('path'); top=loc.split('!')[0]; p=top.split('/tmp/fp11/out/')[1].split('/')[0]
    if f['severity'] in ('high','critical'): deny[p].add(top)
tot=sum(len(v) for v in files.values()); td=sum(len(v) for v in deny.values())
print('total files',tot,'denied',td, d['summary']['by_severity'])
for p in sorted(files): print(p, len(files[p]), 'denied', len(deny[p]))
if len(sys.argv)>2:
  for p in sys.argv[2:]:
    for x in sorted(deny[p]): print('  ',x)
