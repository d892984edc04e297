#!/usr/bin/env python3
"""Checks the synthetic council's promise: boosted stumps beat a linear model, and neither reaches the oracle.

    swift run -c release uptake synth --out /tmp/council --children 100000 && python3 benchmarks/synth_models.py /tmp/council

Point-in-time features are built here with pandas (records dated and recorded before each child's as-of date,
8 weeks before eligibility), families are split 3:1 into train/test, and scikit-learn logistic regression and
LightGBM stumps are compared with the oracle (truth.csv). A check of the generator, not part of the product.
"""
import sys, pandas as pd, numpy as np, lightgbm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
d=sys.argv[1]
ch=pd.read_csv(f"{d}/children.csv"); hv=pd.read_csv(f"{d}/health_visits.csv"); hub=pd.read_csv(f"{d}/hub_sessions.csv")
ee=pd.read_csv(f"{d}/early_education.csv"); tr=pd.read_csv(f"{d}/truth.csv"); ar=pd.read_csv(f"{d}/areas.csv"); fa=pd.read_csv(f"{d}/families.csv")
oc=pd.read_csv(f"{d}/outreach_contacts.csv")
el=ch[ch.eligible_2yo_from.notna()].copy(); el["e"]=pd.to_datetime(el.eligible_2yo_from); el["asof"]=el.e-pd.Timedelta(days=56)
ee["f"]=pd.to_datetime(ee.funded_from); m=ee.merge(el[["child_id","e"]],on="child_id")
took=m[(m.f>=m.e)&(m.f<=m.e+pd.Timedelta(days=120))].child_id.unique(); el["y"]=(~el.child_id.isin(took)).astype(int)
el=el.merge(ar,on="lsoa").merge(fa,on="family_id").merge(tr,on="child_id")
hub["a"]=pd.to_datetime(hub.attended_on); hub["r"]=pd.to_datetime(hub.recorded_date)
h=hub.merge(el[["child_id","family_id","asof"]],on="family_id",suffixes=("_s",""))
h=h[(h.a<h["asof"])&(h.r<h["asof"])&(h.a>=h["asof"]-pd.Timedelta(days=365))]
el["hub12"]=el.child_id.map(h.groupby("child_id").size()).fillna(0)
hv["r"]=pd.to_datetime(hv.recorded_date); v=hv.merge(el[["child_id","asof"]],on="child_id"); v=v[v.r<v["asof"]]
el["missed"]=el.child_id.map(v[v.outcome!="completed"].groupby("child_id").size()).fillna(0)
el["missed12"]=el.child_id.map(v[(v.review=="12_month")&(v.outcome!="completed")].groupby("child_id").size()).fillna(0)
oc["c"]=pd.to_datetime(oc.contacted_on); o=oc.merge(el[["child_id","family_id","asof"]],on="family_id"); o=o[(o.c<o["asof"])&o.outcome.isin(["reached","booked"])]
el["reached"]=el.child_id.map(o.groupby("child_id").size()).fillna(0)
el["eal"]=(el.first_language.fillna("").str.strip().str.lower()=="other").astype(int)
el["lone"]=(el.lone_parent=="yes").astype(int); el["interp"]=(el.interpreter_needed=="yes").astype(int)
X=el[["imd_decile","km_to_nearest_hub","two_year_places_within_2km","eal","lone","interp","moves_last_12m","months_at_address","hub12","missed","missed12","reached"]].copy()
fam=el.family_id.astype("category").cat.codes; test=(fam%4==0).values
Xl=X.fillna(X.median()); Xs=(Xl-Xl[~test].mean())/Xl[~test].std()
lr=LogisticRegression(max_iter=1000).fit(Xs[~test],el.y[~test]); a_lr=roc_auc_score(el.y[test],lr.predict_proba(Xs[test])[:,1])
gb=lightgbm.LGBMClassifier(n_estimators=300,learning_rate=0.05,num_leaves=2,verbose=-1).fit(X[~test],el.y[~test]); a_gb=roc_auc_score(el.y[test],gb.predict_proba(X[test])[:,1])
print(f"eligible {len(el)}  test {test.sum()}  logistic AUC {a_lr:.4f}  stumps AUC {a_gb:.4f}  oracle AUC {roc_auc_score(el.y[test], el.p_no_takeup[test]):.4f}")
