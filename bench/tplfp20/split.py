"""tplfp20's tune/held-out split of rt20tpl's honest templates: the distinct files (md5, in
the order given, e.g. a sorted glob) with an even index are tuned on, odd ones held out.
argv: files -> writes tune.txt and held.txt in the current directory."""

import hashlib
import sys

seen: set[str] = set()
distinct = []
for p in sys.argv[1:]:
    h = hashlib.md5(open(p, errors="replace").read().encode()).hexdigest()
    if h not in seen:
        seen.add(h)
        distinct.append(p)
open("tune.txt", "w").write("\n".join(distinct[0::2]) + "\n")
open("held.txt", "w").write("\n".join(distinct[1::2]) + "\n")
print(len(distinct), len(distinct[0::2]), len(distinct[1::2]))
