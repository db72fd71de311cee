"""Splink 5 on the speed register (issue 27): the generated FEBRL-like registers of
`../shared/bench/gen_scale.py` (100k, 1M), deduplicated as Splink's documentation does for such
records (its FEBRL and "real time" examples): name comparisons with term frequencies for given
name and surname, the birth date, national id, e-mail, phone, street and suburb; u by random
sampling, m by EM on two blocking rules, predictions on five blocking rules, clusters at the
given match probability. Prints wall time per step and pairwise precision, recall and F1 against
the generator's truth (dedup alone: reading the CSV is timed apart).

    pip install splink pandas
    /usr/bin/time -v python bench/splink_scale.py /tmp/scale/scale_100k.csv /tmp/scale/scale_100k_truth.csv 0.95
"""
import sys, time, itertools, collections
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

path, truth_path, thr = sys.argv[1], sys.argv[2], float(sys.argv[3])
t0 = time.time()
df = pd.read_csv(path, dtype=str).drop(columns=["entity_id"], errors="ignore")
df = df.rename(columns={"rec_id": "unique_id"})
df["date_of_birth"] = pd.to_datetime(df["date_of_birth"], format="%Y%m%d", errors="coerce").dt.strftime("%Y-%m-%d")
df["street"] = (df["street_number"].fillna("") + " " + df["address_1"].fillna("")).str.strip().replace("", None)
truth = pd.read_csv(truth_path, dtype=str)
t1 = time.time()
print(f"read {t1 - t0:.1f} s, {len(df)} rows", flush=True)

settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=[
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
        cl.ExactMatch("soc_sec_id"),
        cl.EmailComparison("email"),
        cl.LevenshteinAtThresholds("phone", [1, 2]),
        cl.LevenshteinAtThresholds("street", [2]),
        cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("given_name", "surname"),
        block_on("surname", "date_of_birth"),
        block_on("email"),
        block_on("soc_sec_id"),
        block_on("postcode", "date_of_birth"),
    ],
    retain_intermediate_calculation_columns=False,
)
db = DuckDBAPI()
linker = Linker(db.register(df), settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("given_name", "surname", "date_of_birth"), block_on("email")], recall=0.8
)
linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
t2 = time.time()
print(f"training {t2 - t1:.1f} s", flush=True)
pred = linker.inference.predict(threshold_match_probability=0.5)
t3 = time.time()
print(f"predict {t3 - t2:.1f} s", flush=True)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
    pred, threshold_match_probability=thr
).as_pandas_dataframe()
t4 = time.time()
print(f"clustering {t4 - t3:.1f} s", flush=True)
print(f"dedup (training, predict, clustering) {t4 - t1:.1f} s", flush=True)

cluster_of = dict(zip(clusters["unique_id"], clusters["cluster_id"]))
entity_of = dict(zip(truth["rec_id"], truth["entity_id"]))


def pairs(label_of):
    groups = collections.defaultdict(list)
    for k, v in label_of.items():
        groups[v].append(k)
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}


t, p = pairs(entity_of), pairs(cluster_of)
c = len(t & p)
P = c / len(p) if p else 1.0
R = c / len(t) if t else 1.0
print(f"splink thr={thr} P {P:.4f} R {R:.4f} F1 {2 * P * R / (P + R) if P + R else 0:.4f}")
