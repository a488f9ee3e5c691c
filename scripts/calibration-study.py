#!/usr/bin/env python3
"""Calibration study on the real sets: do a knowledge base's own examples predict how its
real questions behave, and how far could an answer floor go?

Reads, for each set NAME, target/measure/NAME.sig.jsonl (`kefu eval --signals`, the real
dev questions) and target/measure/NAME.self.jsonl (`kefu eval --self-signals`, the
knowledge base's own examples); see docs/benchmarks.md for the commands. Prints:
  1. signal means, real questions against the knowledge base's own examples;
  2. OOD AUROC of the shipped confidence against a per-knowledge-base refit on its own
     examples (perturbed questions against questions asked without their entry);
  3. the best answer floor a set could have, chosen with its own out-of-scope questions
     (a ceiling, not a method): most in-scope questions answered directly with at least
     90 % of direct answers right and at most 5 % of out-of-scope questions answered.
Standard library only.
"""
import json, math, random, sys

SETS = ["afqmc", "bq", "lcqmc", "banking77", "clinc150", "demo"]
NAMES = ["similarity", "query_coverage", "question_coverage", "entry_coverage", "margin",
         "unknown", "content", "full_similarity", "full_unknown"]
# The built-in prior (crates/kefu-core/src/model.rs, PRIOR), bias last.
PRIOR = [0.0, 0.0, 0.0, 0.0, 2.623, -0.186, 0.0, 1.833, -2.794, -0.417]
DIR = sys.argv[1] if len(sys.argv) > 1 else "target/measure/"
def vec(s): return [s[n] for n in NAMES]+[1.0]
def conf(w,x): 
    z=sum(a*b for a,b in zip(w,x)); return 1/(1+math.exp(-max(-50,min(50,z))))
def auroc(pos,neg):
    allv=sorted([(v,1) for v in pos]+[(v,0) for v in neg])
    # rank-based
    r=0;rank=1;sp=0;i=0
    n=len(allv)
    while i<n:
        j=i
        while j<n and allv[j][0]==allv[i][0]: j+=1
        avg=(i+1+j)/2
        sp+=avg*sum(1 for k in range(i,j) if allv[k][1]==1)
        i=j
    P=len(pos);N=len(neg)
    if P==0 or N==0: return float('nan')
    return (sp-P*(P+1)/2)/(P*N)
def load(p): return [json.loads(l) for l in open(p)]
def fit(ex, start, center, lam, active, iters=800):
    w=list(start); n=len(w)
    P=sum(1 for e in ex if e[1]); N=len(ex)-P
    wp=len(ex)/(2*max(P,1)); wn=len(ex)/(2*max(N,1))
    rate=1.0; last=1e18
    for it in range(iters):
        g=[0.0]*n; loss=0
        for x,y in ex:
            z=sum(a*b for a,b in zip(w,x)); z=max(-50,min(50,z)); p=1/(1+math.exp(-z))
            cw=wp if y else wn
            loss-=cw*((math.log(max(p,1e-12)) if y else math.log(max(1-p,1e-12))))
            for k in range(n): g[k]+=cw*(p-(1 if y else 0))*x[k]
        m=len(ex)
        loss=loss/m+lam*sum((w[k]-center[k])**2 for k in range(n-1))
        if loss>last: rate*=0.5
        last=loss
        for k in range(n):
            if not active[k]: continue
            reg=2*lam*(w[k]-center[k]) if k<n-1 else 0
            w[k]-=rate*(g[k]/m+reg)
    return w


def main():
    print("## 1. real dev questions against the knowledge base's own examples (means)")
    for s in SETS:
        dev = [d for d in load(DIR + s + ".sig.jsonl") if not d["far"]]
        own = load(DIR + s + ".self.jsonl")
        ins = [d for d in dev if d["in_scope"]]
        oos = [d for d in dev if not d["in_scope"]]
        neg = [d for d in own if d["kind"] == "held_out_entry"]
        pos = [d for d in own if d["kind"] == "perturbed"]
        mean = lambda xs, n: sum(x["signals"][n] for x in xs) / max(1, len(xs))
        print("%-9s top-1 real %.2f perturbed %.2f |" % (s, sum(d["correct"] for d in ins) / len(ins),
              sum(d["correct"] for d in pos) / len(pos)),
              " ".join("%s in %.2f/%.2f out %.2f/%.2f" % (n, mean(ins, n), mean(pos, n), mean(oos, n), mean(neg, n))
                       for n in ["similarity", "margin", "full_unknown"]))
    print("## 2. OOD AUROC: shipped confidence, per-knowledge-base refit on its own examples")
    for lam in [1e-2, 1e-1]:
        row = []
        for s in SETS:
            dev = [d for d in load(DIR + s + ".sig.jsonl") if not d["far"]]
            own = load(DIR + s + ".self.jsonl")
            random.seed(1)
            if len(own) > 1500:
                own = random.sample(own, 1500)
            ex = [(vec(d["signals"]), d["kind"] == "perturbed" and d["correct"]) for d in own]
            active = [n in ("margin", "full_similarity") or PRIOR[i] != 0 for i, n in enumerate(NAMES)] + [True]
            w = fit(ex, PRIOR, PRIOR, lam, active, iters=300)
            score = lambda d: conf(w, vec(d["signals"]))
            shipped = auroc([d["confidence"] for d in dev if d["in_scope"]], [d["confidence"] for d in dev if not d["in_scope"]])
            refit = auroc([score(d) for d in dev if d["in_scope"]], [score(d) for d in dev if not d["in_scope"]])
            row.append("%s %.3f -> %.3f" % (s, shipped, refit))
        print("lambda %g:" % lam, ", ".join(row))
    print("## 3. the best floor chosen with the set's own out-of-scope questions (a ceiling)")
    for s in SETS:
        dev = [d for d in load(DIR + s + ".sig.jsonl") if not d["far"]]
        ins = [(d["confidence"], d["correct"]) for d in dev if d["in_scope"]]
        oos = [d["confidence"] for d in dev if not d["in_scope"]]
        own = sorted(d["confidence"] for d in load(DIR + s + ".self.jsonl") if d["kind"] == "held_out_entry")
        best = None
        for t in sorted(set(v for v, _ in ins)):
            a = [c for v, c in ins if v >= t]
            f = sum(1 for v in oos if v >= t)
            if not a:
                continue
            right = sum(a) / (len(a) + f)
            false = f / max(1, len(oos))
            if false <= 0.05 and right >= 0.9 and (best is None or len(a) / len(ins) > best[0]):
                best = (len(a) / len(ins), right, false, t)
        own_floor = own[min(len(own) - 1, int(len(own) * 0.95))] if own else float("nan")
        if best:
            print("%-9s floor on own examples %.3f; best floor %.3f: direct %.1f %%, right %.1f %%, false %.1f %%"
                  % (s, own_floor, best[3], best[0] * 100, best[1] * 100, best[2] * 100))
        else:
            print("%-9s floor on own examples %.3f; no floor reaches 90 %% right" % (s, own_floor))


main()
