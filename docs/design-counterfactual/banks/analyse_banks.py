"""Summaries of the slice 2-3 measurements (docs/design-counterfactual.md,
"Slice 2-3 landed: measured"): for each result directory, per arm, the SME
failure shares by end-May and end-2020, failures over two years, the
recapitalisation and fiscal costs, the paired 2020 difference with its 95%
interval, firms saved and cost per firm saved, and the banks' capital paths.
Usage: python3 analyse_banks.py DIR..."""
import csv,collections,sys,json,math,statistics as st
def load(d):
    ts=collections.defaultdict(lambda: collections.defaultdict(dict))
    dates={}
    for r in csv.DictReader(open(d+'/timeseries.csv')):
        ts[(r['arm'],int(r['replication']))][r['metric']][int(r['step'])]=float(r['value'])
        dates[int(r['step'])]=r['date']
    return ts,dates
def ci(x):
    n=len(x); m=st.mean(x); sd=st.stdev(x) if n>1 else 0
    t={20:2.093,10:2.262,100:1.984}.get(n,2.0)
    return m, t*sd/math.sqrt(n)
for d in sys.argv[1:]:
    ts,dates=load(d)
    reps=sorted({r for a,r in ts if a=='baseline'})
    end2020=max(s for s,dt in dates.items() if dt<='2020-12-31')
    may=max(s for s,dt in dates.items() if dt<='2020-05-31')
    T=max(dates)
    res={}
    if ('all',reps[0]) not in ts:
        # a run without interventions: the no-shock economy
        for r in reps:
            m=ts[('baseline',r)]
            print(d,"replication %d: failures %d; car %.4f -> %.4f -> %.4f; lowest bank %.4f at the end, %.4f at least; recapitalisations %.3g; central-bank lending at most %.3g; capital +%.1f%% in year 1"%(
                r,sum(m['failures'].values()),m['car'][0],m['car'][52],m['car'][T],m['car_lowest'][T],min(m['car_lowest'].values()),
                m['recapitalisation_cost'][T],max(m['cb_lending'].values()),100*(m['bank_capital'][52]/m['bank_capital'][0]-1)))
        continue
    for arm in ['baseline','all']:
        sh20=[];shmay=[];fail=[];rc=[];fc=[];shall=[]
        for r in reps:
            m=ts[(arm,r)]
            n0=m['smes_active'][0]+m['failures_sme'][0]
            nf=m['firms_active'][0]+m['failures'][0]
            sh20.append(sum(m['failures_sme'][s] for s in range(end2020+1))/n0)
            shmay.append(sum(m['failures_sme'][s] for s in range(may+1))/n0)
            fail.append(sum(m['failures'][s] for s in range(T+1)))
            shall.append(fail[-1]/nf)
            rc.append(m['recapitalisation_cost'][T] if 'recapitalisation_cost' in m else 0)
            fc.append(sum(m['fiscal_cost'][s] for s in range(T+1)))
        coll=sum(1 for r in reps if ts[(arm,r)]['cores_active'][T] < 0.5*ts[(arm,r)]['cores_active'][0])
        res[arm]=dict(sh20=sh20,shmay=shmay,fail=fail,rc=rc,fc=fc,shall=shall)
        print(d,arm,"replications losing more than half the cores: %d/%d"%(coll,len(reps)))
        print(d,arm,"SMEs failed by May %.1f%%, by end-2020 %.1f%%; failures 2y %.0f (%.1f%% of firms); recap %.3gB; fiscal %.3gB"%(100*st.mean(shmay),100*st.mean(sh20),st.mean(fail),100*st.mean(shall),st.mean(rc)/1e9,st.mean(fc)/1e9))
    diff=[b-a for b,a in zip(res['baseline']['sh20'],res['all']['sh20'])]
    m,h=ci(diff); print(d,"2020 SME failure-share difference %+.1f ± %.1f pp"%(100*m,100*h))
    saved=[b-a for b,a in zip(res['baseline']['fail'],res['all']['fail'])]
    cost=[a-b for b,a in zip(res['baseline']['fc'],res['all']['fc'])]
    m,h=ci(saved); print(d,"firms saved %.0f ± %.0f; cost per firm saved (fiscal incl. recap) %.3gM; excluding recap %.3gM"%(m,h,st.mean(cost)/m/1e6, (st.mean(res['all']['fc'])-st.mean(res['all']['rc'])-(st.mean(res['baseline']['fc'])-st.mean(res['baseline']['rc'])))/m/1e6))
    if 'car' in ts[('baseline',0)]:
        for arm in ['baseline','all']:
            row=[]
            for s in [0,8,10,13,26,52,78,T]:
                row.append("w%d car %.3f low %.3f"%(s,st.mean(ts[(arm,r)]['car'][s] for r in reps),st.mean(ts[(arm,r)]['car_lowest'][s] for r in reps)))
            print(d,arm,"; ".join(row))
            below=sum(1 for r in reps if ts[(arm,r)]['recapitalisation_cost'][T]>0)
            print(d,arm,"replications with a recapitalisation: %d/%d; max NPL ratio %.4f; mean provisions end-2020 %.3gM; mean CB lending peak %.3gM"%(below,len(reps),max(max(ts[(arm,r)]['npl_ratio'].values()) for r in reps), st.mean(ts[(arm,r)]['provisions'][end2020] for r in reps)/1e6, st.mean(max(ts[(arm,r)]['cb_lending'].values()) for r in reps)/1e6))
