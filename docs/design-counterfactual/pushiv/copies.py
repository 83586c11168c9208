#!/usr/bin/env python3
"""copies.py CHINA LHS OUTDIR: writes OUTDIR/china.toml (china-2020 with the
credit-push instrument in the mix and the banked-SME fact, 21 facts),
OUTDIR/lhs-push.toml (the sweep with the instrument and
finance.max_loan_to_revenue 0.25-0.6, the file's range before 14:50 UTC),
lhs-push-narrow.toml (0.35-0.6, the file's range since), lhs-base.toml and
lhs-base-narrow.toml (the same without the instrument)."""
import re
import sys

IV = '''[[interventions]]
kind = "credit-push"
name = "credit-push"
from = "run"
start = "5w"
end = "52w"
first_loan_take_up = 0.0175
funded_share = 0.4
forgone_rate = 0.0295
funding_term = "1y"

'''
FACT = '''
[[facts]]
name = "banked SMEs 2020"
source = "CBIRC (Li Junfeng, Jan 2021): 25.4M small and micro firms with loans at end-2020, 4.45M more than at its start (+21.2%)"
quantity = "series-change"
metric = "banked_smes"
date = "2020-12-30"
target = 0.212
tolerance = 0.03
'''
LOW = re.compile(r'(key = "finance.max_loan_to_revenue"\nmin = )[0-9.]+')

china, lhs, out = sys.argv[1:4]
s = open(china).read()
i = s.index('\n[[facts]]\n') + 1
open(out + '/china.toml', 'w').write(s[:i] + IV + s[i:].rstrip('\n') + '\n' + FACT)
s = open(lhs).read()
assert LOW.search(s)
i = s.index('# --- Latin hypercube')
p = s[:i] + IV + s[i:]
wide = lambda t: LOW.sub(r'\g<1>0.25', t)
narrow = lambda t: LOW.sub(r'\g<1>0.35', t)
for name, text in (('lhs-push', wide(p)), ('lhs-push-narrow', narrow(p)),
                   ('lhs-base', wide(s)), ('lhs-base-narrow', narrow(s))):
    open(out + '/' + name + '.toml', 'w').write(text)
