#!/usr/bin/env python3
"""copies.py CHINA LHS OUTDIR: writes OUTDIR/china.toml (china-2020 with the
credit-push instrument in the mix and the banked-SME fact, 21 facts),
OUTDIR/lhs-push.toml (the sweep with the instrument, ranges as in the file),
lhs-push-narrow.toml (finance.max_loan_to_revenue 0.35-0.6), lhs-base.toml
(the file unchanged) and lhs-base-narrow.toml."""
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
WIDE = 'key = "finance.max_loan_to_revenue"\nmin = 0.25'
NARROW = 'key = "finance.max_loan_to_revenue"\nmin = 0.35'

china, lhs, out = sys.argv[1:4]
s = open(china).read()
i = s.index('\n[[facts]]\n') + 1
open(out + '/china.toml', 'w').write(s[:i] + IV + s[i:].rstrip('\n') + '\n' + FACT)
s = open(lhs).read()
assert WIDE in s
i = s.index('# --- Latin hypercube')
p = s[:i] + IV + s[i:]
for name, text in (('lhs-push', p), ('lhs-push-narrow', p.replace(WIDE, NARROW)),
                   ('lhs-base', s), ('lhs-base-narrow', s.replace(WIDE, NARROW))):
    open(out + '/' + name + '.toml', 'w').write(text)
