#!/usr/bin/env python3
"""slices45.py DIR...: for each result directory of a china-2020 variant, per arm,
the SME failure shares by 31 May and 31 December 2020, failures over the run
(SMEs and all firms), causes, and the closed-size ratio (closed SMEs' share of
SME jobs over their share of SMEs, by the end of 2020); for every arm but the
baseline, the 2020 difference (baseline minus arm, SME shares, points) with the
95% interval of the paired replications (normal approximation). For the
baseline arm, by SME role, the share closed by the end of 2020 and the mean
jobs of those closed and of all; and the mean bank capital in weeks 0, 20, 52
and 103."""
import collections, csv, datetime, math, sys

START = datetime.date(2020, 1, 1)
MAY = (datetime.date(2020, 5, 31) - START).days // 7
DEC = (datetime.date(2020, 12, 31) - START).days // 7


def mean(v):
    return sum(v) / len(v)


def half(v):
    m = mean(v)
    return 1.96 * math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1) / len(v)) if len(v) > 1 else 0


def analyse(d):
    n, jobs, fmay, f20, fall, allf, j20 = (collections.Counter() for _ in range(7))
    role_n, role_f, role_j, role_jf = (collections.Counter() for _ in range(4))
    causes = collections.defaultdict(collections.Counter)
    for r in csv.DictReader(open(d + "/firms.csv")):
        k = (r["arm"], int(r["replication"]))
        closed = r["status"] != "active" and r["failure_step"] != ""
        if closed:
            allf[k] += 1
        if r["kind"] != "sme":
            continue
        n[k] += 1
        jobs[k] += float(r["jobs"])
        if r["arm"] == "baseline":
            role_n[r["role"]] += 1
            role_j[r["role"]] += float(r["jobs"])
            if closed and int(r["failure_step"]) <= DEC:
                role_f[r["role"]] += 1
                role_jf[r["role"]] += float(r["jobs"])
        if closed:
            s = int(r["failure_step"])
            fall[k] += 1
            causes[r["arm"]][r["cause"]] += 1
            if s <= DEC:
                f20[k] += 1
                j20[k] += float(r["jobs"])
            if s <= MAY:
                fmay[k] += 1
    arms = sorted({a for a, _ in n}, key=lambda a: (a != "baseline", a))
    reps = sorted({r for _, r in n})
    print(f"## {d} ({len(reps)} replications)")
    for a in arms:
        ks = [(a, r) for r in reps]
        may = [100 * fmay[k] / n[k] for k in ks]
        dec = [100 * f20[k] / n[k] for k in ks]
        ratio = [(j20[k] / jobs[k]) / (f20[k] / n[k]) for k in ks if f20[k]]
        c = causes[a]
        ct = sum(c.values()) or 1
        line = (f"{a}: SMEs failed by 31 May {mean(may):.1f}%, by 31 Dec 2020 {mean(dec):.1f}%; "
                f"failures over the run: SMEs {mean([fall[k] for k in ks]):.0f}, all firms {mean([allf[k] for k in ks]):.0f}; "
                f"causes {', '.join(f'{x} {100 * v / ct:.2f}%' for x, v in c.most_common())}; "
                f"closed-size ratio {mean(ratio):.2f}" if ratio else "")
        print(line)
        if a != "baseline":
            diff = [100 * (f20[("baseline", r)] / n[("baseline", r)] - f20[(a, r)] / n[(a, r)]) for r in reps]
            print(f"  2020 difference baseline − {a}: {mean(diff):+.1f} ± {half(diff):.1f} points")
    print("baseline SMEs by role (closed by 31 Dec 2020; mean jobs closed / all): " + "; ".join(
        f"{x} {100 * role_f[x] / role_n[x]:.1f}% ({role_jf[x] / max(role_f[x], 1):.1f} / {role_j[x] / role_n[x]:.1f})" for x in sorted(role_n)))
    capital = collections.defaultdict(list)
    for r in csv.DictReader(open(d + "/timeseries.csv")):
        if r["arm"] == "baseline" and r["metric"] == "bank_capital" and int(r["step"]) in (0, 20, 52, 103):
            capital[int(r["step"])].append(float(r["value"]))
    print("baseline bank capital, mean, million, weeks 0/20/52/103: " + " / ".join(f"{mean(capital[w]) / 1e6:.0f}" for w in sorted(capital)))


for d in sys.argv[1:]:
    analyse(d)
