import csv,sys,collections
# banked_smes growth over 2020: step 0 (1 Jan) to step 52 (end-2020), mean over replications, by arm
d=collections.defaultdict(dict)
for r in csv.DictReader(open(sys.argv[1]+'/timeseries.csv')):
    if r['metric']!='banked_smes': continue
    s=int(r['step'])
    if s in (0,52): d[(r['arm'],r['replication'])][s]=float(r['value'])
by=collections.defaultdict(list)
for (arm,rep),v in d.items(): by[arm].append((v[0],v[52]))
for arm,v in sorted(by.items()):
    a=sum(x for x,_ in v)/len(v); b=sum(y for _,y in v)/len(v)
    print(f"{arm}: banked SMEs step 0 {a:.1f}, step 52 {b:.1f}, growth {100*(b/a-1):+.1f}%  ({len(v)} reps)")
