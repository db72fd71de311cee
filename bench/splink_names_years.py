"""Splink's F1 on a register of names and birth years (issue 24's "at least Splink's F1"):
Splink 5 on DuckDB with name comparisons for first and last name, the birth year equal or
within 1, 3 and 5 years, and an exact parish with term frequencies; u by random sampling, m by
EM on three blocking rules; clustered at the given match probability and scored pairwise
against the `entity_id` column.

    pip install splink pandas
    python bench/splink_names_years.py fixtures/dedup_classes/name_year_relatives.csv 0.9
"""
import sys, itertools, collections
import pandas as pd
import splink.comparison_library as cl
import splink.comparison_level_library as cll
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
path, thr = sys.argv[1], float(sys.argv[2])
df = pd.read_csv(path, dtype=str).fillna("")
df["unique_id"] = range(len(df))
truth = df["entity_id"].tolist()
df = df.drop(columns=["entity_id"]).replace("", None)
df["birth_year"] = pd.to_numeric(df["birth_year"])
settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=[
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.CustomComparison(
            output_column_name="birth_year",
            comparison_levels=[
                cll.NullLevel("birth_year"),
                cll.ExactMatchLevel("birth_year"),
                cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 1", "within 1"),
                cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 3", "within 3"),
                cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 5", "within 5"),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("parish").configure(term_frequency_adjustments=True),
    ],
    blocking_rules_to_generate_predictions=[block_on("first_name"), block_on("last_name"), block_on("birth_year")],
    retain_intermediate_calculation_columns=False,
)
db = DuckDBAPI()
linker = Linker(db.register(df), settings)
linker.training.estimate_probability_two_random_records_match([block_on("first_name", "last_name")], recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_year"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("last_name"))
pred = linker.inference.predict(threshold_match_probability=0.01)
cl_ = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=thr).as_pandas_dataframe()
cid = dict(zip(cl_["unique_id"], cl_["cluster_id"]))
def pairs(labels):
    g = collections.defaultdict(list)
    for i, l in enumerate(labels): g[l].append(i)
    return {p for v in g.values() for p in itertools.combinations(v, 2)}
t = pairs(truth); p = pairs([cid[i] for i in range(len(truth))])
c = len(t & p); P = c / len(p) if p else 1; R = c / len(t)
print(f"splink thr={thr} P {P:.4f} R {R:.4f} F1 {2*P*R/(P+R) if P+R else 0:.4f}")
