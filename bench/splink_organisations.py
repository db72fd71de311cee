"""Splink's F1 on the organisation registers (issue 26: "no own Splink run on org sets"), as its
documentation configures business records: the company name (Jaro-Winkler and exact with term
frequencies), the street, the city and the phone digits; u by random sampling, m by EM on
blocking rules other than the whole name (phone, city and the name's first letters); clustered at the given match probability and scored
pairwise against the `truth` column.

    pip install splink pandas
    python bench/splink_organisations.py ../shared/datasets/organisations/restaurants_fodors_zagat.csv 0.9
    python bench/splink_organisations.py ../shared/datasets/organisations/patstat_nl_holders.csv 0.9
"""
import collections, itertools, re, sys
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

path, thr = sys.argv[1], float(sys.argv[2])
df = pd.read_csv(path, dtype=str).fillna("")
truth = df["truth"].tolist()
df = df.drop(columns=["truth"])
df["unique_id"] = range(len(df))
df["name"] = df["Company Name"].str.lower().str.replace(r"[^\w ]", " ", regex=True).str.split().str.join(" ")
cols = {"name"}
if "Street Address" in df:
    df["street"] = df["Street Address"].str.lower()
    df["city"] = df["City"].str.lower()
    df["phone"] = df["Phone Number"].map(lambda p: re.sub(r"\D", "", p))
    cols |= {"street", "city", "phone"}
df["name3"] = df["name"].str[:3]
df["name4"] = df["name"].str[:4]
df = df[["unique_id", "name3", "name4"] + sorted(cols)].replace("", None)
comparisons = [cl.JaroWinklerAtThresholds("name", [0.95, 0.88]).configure(term_frequency_adjustments=True)]
rules = [block_on("name")]
if "street" in cols:
    comparisons += [cl.LevenshteinAtThresholds("street", [2, 5]), cl.ExactMatch("city"), cl.ExactMatch("phone")]
    rules += [block_on("phone"), block_on("city", "name3")]
else:
    rules += [block_on("name4")]
settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons, blocking_rules_to_generate_predictions=rules)
db = DuckDBAPI()
linker = Linker(db.register(df), settings)
linker.training.estimate_probability_two_random_records_match([block_on("name")], recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
# EM on every rule but the one on the whole name (it fixes the only comparison of a names-only
# register, and Splink then trains nothing).
for rule in rules[1:]:
    linker.training.estimate_parameters_using_expectation_maximisation(rule)
pred = linker.inference.predict(threshold_match_probability=0.01)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=thr)
cid = dict(zip(*[clusters.as_pandas_dataframe()[c] for c in ("unique_id", "cluster_id")]))


def pairs(labels):
    g = collections.defaultdict(list)
    for i, label in enumerate(labels):
        g[label].append(i)
    return {p for v in g.values() for p in itertools.combinations(v, 2)}


t, p = pairs(truth), pairs([cid[i] for i in range(len(truth))])
c = len(t & p)
P, R = (c / len(p) if p else 1.0), c / len(t)
print(f"splink thr={thr} P {P:.4f} R {R:.4f} F1 {2 * P * R / (P + R) if P + R else 0:.4f}")
