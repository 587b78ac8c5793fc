"""embedding_drift (problem 2): did a vendor embedding upgrade silently break a retrieval A/B test?

Three parts, each run when its input is given:
- events: queries embedded with a different model/version than the index they search
  (EMBEDDING_VERSION_MISMATCH), and an arm whose embedding changed mid-experiment
  (EMBEDDING_CHANGED_MID_EXPERIMENT); both are validity failures.
- probe (+ optional corpus): the same items embedded by the old and the new model; the mean
  Jaccard overlap of exact top-k neighbour sets (NEIGHBORHOOD_SHIFT by the gate rule on 1 -
  overlap) and the Spearman correlation of pairwise similarities.
- relevance: labelled retrieval results under old and new; recall@k and nDCG@k drops with paired
  bootstrap CIs (RETRIEVAL_REGRESSION by the gate rule, Holm across the two metrics).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.core.param_limits import MAX_NEIGHBOURS, MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.checks.common.ratings import require_present
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.columns.timestamps import to_datetime
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric
from airflow_evalguard.stats.neighbors import jaccard_rows, normalise, top_k
from airflow_evalguard.verdicts import Effect, Verdict, judge_family, validate_bands, worst

SIMILARITY_PAIRS = 100_000  # random probe pairs for the similarity rank correlation
EVIDENCE_ROWS = 1000  # worst items kept per part


# ---------------------------------------------------------------------------------------------
# events
# ---------------------------------------------------------------------------------------------
def _events(table: TableInput, findings: list, metrics: dict, evidence: list) -> list[Verdict]:
    df = table.read(["ts", "arm", "embedding_model", "embedding_version", "role"])
    if len(df) == 0:
        raise EvalGuardInputError("input 'events' is empty", input_name="events")
    # A missing arm, model or version would drop the row from every group below (pandas leaves
    # missing values out of groupby), and an experiment whose arms all vanish passes vacuously.
    for column, what in (("arm", "the experiment arm"), ("embedding_model", "the embedding model"),
                         ("embedding_version", "the embedding version")):
        require_present(df, column, "events", what)
    role = df["role"].astype(str).str.lower()
    bad = ~role.isin(["index", "query"])
    if bad.any():
        raise EvalGuardInputError(f"input 'events': column 'role' must be index or query; found {offending_values(df.loc[bad, 'role'], 5)}",
                                  input_name="events", column="role")
    df = df.assign(ts=to_datetime(df["ts"], input_name="events", column="ts"), role=role,
                   version=df["embedding_model"].astype(str) + "@" + df["embedding_version"].astype(str),
                   arm=df["arm"].astype(str))
    df = df.sort_values("ts", kind="stable", ignore_index=True)  # out-of-order events are normal
    index, queries = df[df["role"] == "index"], df[df["role"] == "query"]
    verdicts = []
    if len(index) and len(queries):
        # the index version in effect for each query: the latest index event at or before it
        idx = index[["ts", "version"]].rename(columns={"version": "index_version"})
        q = pd.merge_asof(queries, idx, on="ts", direction="backward")
        q["index_version"] = q["index_version"].fillna(index["version"].iloc[0])
        mismatch = q["version"] != q["index_version"]
        metrics["version_mismatch"] = Metric(float(mismatch.mean()), n=len(q))
        bad = q[mismatch].head(EVIDENCE_ROWS)
        evidence.append(pd.DataFrame({"part": "events", "item": bad["ts"].map(lambda t: t.isoformat()), "arm": bad["arm"],
                                      "value": np.nan, "detail": "query " + bad["version"] + " vs index " + bad["index_version"]}))
        if mismatch.any():
            first = q[mismatch].iloc[0]
            by_arm = q[mismatch].groupby("arm").size().to_dict()
            findings.append(Finding("fail", "EMBEDDING_VERSION_MISMATCH",
                                    f"{int(mismatch.sum()):,} of {len(q):,} queries ({mismatch.mean():.1%}) were embedded with a "
                                    f"different model/version than the index they searched, first at {first['ts'].isoformat()} "
                                    f"({first['version']} against index {first['index_version']}); by arm: {by_arm}"))
            verdicts.append(Verdict.FAIL)
    for arm, group in queries.groupby("arm", sort=True):
        versions = list(dict.fromkeys(group["version"]))
        metrics[f"version_change_during_experiment[{arm}]"] = Metric(len(versions) - 1, n=len(group))
        if len(versions) > 1:
            first_new = group[group["version"] != versions[0]].iloc[0]
            findings.append(Finding("fail", "EMBEDDING_CHANGED_MID_EXPERIMENT",
                                    f"arm {arm}: query embeddings changed from {versions[0]} to {first_new['version']} at "
                                    f"{first_new['ts'].isoformat()}, in the middle of the experiment", f"arm={arm}"))
            verdicts.append(Verdict.FAIL)
    return verdicts


# ---------------------------------------------------------------------------------------------
# probe neighbourhoods
# ---------------------------------------------------------------------------------------------
def _vectors(table: TableInput, id_column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    df = table.read([id_column, "old", "new"])
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{table.name}' is empty", input_name=table.name)
    dup = df[id_column].duplicated()
    if dup.any():
        raise EvalGuardInputError(f"input '{table.name}': duplicate {id_column}(s) {df.loc[dup, id_column].head(5).tolist()}",
                                  input_name=table.name, column=id_column)
    try:
        old, new = (np.stack(df[c].to_numpy()).astype(np.float32) for c in ("old", "new"))
    except ValueError as exc:
        raise EvalGuardInputError(f"input '{table.name}': vectors in a column differ in length ({exc})",
                                  input_name=table.name) from exc
    return df[id_column].to_numpy(), old, new


def _validate(name: str, arr: np.ndarray) -> None:
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        raise EvalGuardInputError(f"input '{name}': {int(bad.sum())} vector(s) contain NaN or inf, rows {np.flatnonzero(bad)[:5].tolist()}",
                                  input_name=name)
    zero = np.linalg.norm(arr, axis=1) == 0
    if zero.any():
        raise EvalGuardInputError(f"input '{name}': {int(zero.sum())} zero-norm vector(s), rows {np.flatnonzero(zero)[:5].tolist()}",
                                  input_name=name)


def _probe(tables, p, findings, metrics, evidence) -> list[Verdict]:
    if "probe" in tables:
        ids, old, new = _vectors(tables["probe"], "probe_id")
    else:
        old, new = tables["probe_old"].read_array(), tables["probe_new"].read_array()
        ids = np.arange(len(old))
    if "corpus" in tables:
        _, c_old, c_new = _vectors(tables["corpus"], "doc_id")
    elif "corpus_old" in tables:
        c_old, c_new = tables["corpus_old"].read_array(), tables["corpus_new"].read_array()
    else:
        c_old = c_new = None
    if old.shape[1] != new.shape[1]:
        # a silent upgrade keeps the dimension (clients would break otherwise): a mismatch here
        # means the two sides are not the same probe set embedded twice
        raise EvalGuardInputError(f"probe: old vectors have {old.shape[1]} dimensions, new ones {new.shape[1]}",
                                  input_name="probe")
    if old.shape[0] != new.shape[0]:
        raise EvalGuardInputError(f"probe: {old.shape[0]} old vs {new.shape[0]} new vectors; they must be the same items",
                                  input_name="probe")
    for name, arr in (("probe old", old), ("probe new", new)) + ((("corpus old", c_old), ("corpus new", c_new)) if c_old is not None else ()):
        _validate(name, arr)
    if c_old is not None and (c_old.shape[1] != old.shape[1] or c_new.shape[1] != new.shape[1]):
        raise EvalGuardInputError("corpus and probe vectors differ in dimension under the same model", input_name="corpus")
    k = p["k"]
    self_search = c_old is None
    n_db = old.shape[0] if self_search else c_old.shape[0]
    if n_db - (1 if self_search else 0) < k:
        raise EvalGuardInputError(f"probe: need more than k={k} items to search", input_name="probe")
    nn_old = top_k(old, old if self_search else c_old, k, exclude_self=self_search)
    nn_new = top_k(new, new if self_search else c_new, k, exclude_self=self_search)
    overlap = jaccard_rows(nn_old, nn_new)
    n = len(overlap)
    worst_probes = np.argsort(overlap, kind="stable")[:EVIDENCE_ROWS]
    evidence.append(pd.DataFrame({"part": "probe", "item": [str(i) for i in ids[worst_probes]], "arm": None,
                                  "value": overlap[worst_probes], "detail": f"top-{k} neighbour overlap old vs new"}))
    from scipy.special import stdtrit

    se = overlap.std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
    half = float(stdtrit(max(n - 1, 1), 1 - p["alpha"] / 2) * se)
    mean = float(overlap.mean())
    metrics[f"neighbor_overlap@{k}"] = Metric(mean, max(mean - half, 0.0), min(mean + half, 1.0), n=n)
    metrics["probe_dimension.old"] = Metric(int(old.shape[1]))
    metrics["probe_dimension.new"] = Metric(int(new.shape[1]))
    rng = np.random.default_rng(p["seed"])
    pairs = min(SIMILARITY_PAIRS, n * (n - 1) // 2)
    i, j = rng.integers(0, n, pairs), rng.integers(0, n, pairs)
    keep = i != j
    from scipy.stats import spearmanr

    on, nn = normalise(old), normalise(new)
    s_old = np.einsum("ij,ij->i", on[i[keep]], on[j[keep]])
    s_new = np.einsum("ij,ij->i", nn[i[keep]], nn[j[keep]])
    rho = float(spearmanr(s_old, s_new).statistic) if keep.sum() > 2 else float("nan")
    metrics["similarity_rank_corr"] = Metric(rho, n=int(keep.sum()))
    # the gate rule on the loss of overlap: 1 - overlap against 1 - min_overlap bands
    loss = Effect("neighborhood", 1 - mean, 1 - min(mean + half, 1.0), 1 - max(mean - half, 0.0))
    verdict = judge_family([loss], alpha=p["alpha"], warn_at=1 - p["min_overlap_warn"],
                           fail_at=1 - p["min_overlap_fail"])[0].verdict
    if verdict in (Verdict.FAIL, Verdict.WARN):
        findings.append(Finding(verdict.value.lower(), "NEIGHBORHOOD_SHIFT",
                                f"only {mean:.0%} of each probe's top-{k} neighbours survive the new embedding "
                                f"(CI {mean - half:.0%}-{mean + half:.0%}; similarity rank correlation {rho:.2f}): results "
                                "retrieved before and after the upgrade are not comparable"))
    return [verdict]


# ---------------------------------------------------------------------------------------------
# retrieval quality
# ---------------------------------------------------------------------------------------------
def _per_query(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """recall@k and nDCG@k per query and version (binary relevance; relevant docs known from either version)."""
    relevant = df[df["relevant"] > 0]
    known = relevant.groupby("query_id")["doc_id"].nunique()
    top = df[(df["rank"] <= k) & (df["relevant"] > 0)]
    hits = top.groupby(["query_id", "version"]).size()
    dcg = (1 / np.log2(top["rank"] + 1)).groupby([top["query_id"], top["version"]]).sum()
    grid = pd.MultiIndex.from_product([df["query_id"].unique(), df["version"].unique()], names=["query_id", "version"])
    out = pd.DataFrame(index=grid)
    out["hits"] = hits.reindex(grid, fill_value=0)
    out["dcg"] = dcg.reindex(grid, fill_value=0.0)
    n_rel = known.reindex(out.index.get_level_values(0), fill_value=0).to_numpy()
    ideal = np.array([np.sum(1 / np.log2(np.arange(2, min(r, k) + 2))) for r in n_rel])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["recall"] = np.where(n_rel > 0, out["hits"] / n_rel, np.nan)
        out["ndcg"] = np.where(ideal > 0, out["dcg"] / ideal, np.nan)
    return out.reset_index()


def _relevance(table: TableInput, p, findings, metrics, evidence) -> list[Verdict]:
    df = table.read(["query_id", "doc_id", "rank", "relevant", "version"])
    if len(df) == 0:
        raise EvalGuardInputError("input 'relevance' is empty", input_name="relevance")
    df = df.assign(version=df["version"].astype(str), rank=pd.to_numeric(df["rank"], errors="coerce"),
                   relevant=pd.to_numeric(df["relevant"], errors="coerce"))
    versions = {p["old_version"], p["new_version"]}
    found = set(df["version"])
    if not versions <= found:
        raise EvalGuardInputError(f"input 'relevance': column 'version' needs {sorted(versions)}, found {sorted(found)[:5]}",
                                  input_name="relevance", column="version")
    if df[["rank", "relevant"]].isna().any().any():
        raise EvalGuardInputError("input 'relevance': 'rank' and 'relevant' must be numbers in every row", input_name="relevance")
    k = p["k"]
    per_q = _per_query(df[df["version"].isin(versions)], k)
    wide = per_q.pivot(index="query_id", columns="version", values=["recall", "ndcg"]).dropna()
    effects = []
    rng = np.random.default_rng(p["seed"])
    boot_idx = rng.integers(0, len(wide), size=(p["n_boot"], len(wide)))
    from scipy.stats import ttest_rel

    for name in ("recall", "ndcg"):
        old, new = wide[(name, p["old_version"])].to_numpy(), wide[(name, p["new_version"])].to_numpy()
        drop = old - new
        boots = drop[boot_idx].mean(axis=1)
        lo, hi = np.percentile(boots, [100 * p["alpha"] / 2, 100 * (1 - p["alpha"] / 2)])
        pval = float(ttest_rel(old, new).pvalue) if np.any(drop != 0) else 1.0
        metrics[f"{name}@{k}.old"] = Metric(float(old.mean()), n=len(wide))
        metrics[f"{name}@{k}.new"] = Metric(float(new.mean()), n=len(wide))
        metrics[f"{name}@{k}.drop"] = Metric(float(drop.mean()), float(lo), float(hi), n=len(wide))
        effects.append(Effect(f"{name}@{k}", float(drop.mean()), float(lo), float(hi), pval))
        worst_q = np.argsort(-drop, kind="stable")[:EVIDENCE_ROWS]
        evidence.append(pd.DataFrame({"part": "relevance", "item": wide.index.to_numpy()[worst_q].astype(str), "arm": None,
                                      "value": drop[worst_q], "detail": f"{name}@{k} drop old - new"}))
    judged = judge_family(effects, alpha=p["alpha"], warn_at=p["warn_at"], fail_at=p["fail_at"])
    for j in judged:
        e = j.effect
        if j.verdict in (Verdict.FAIL, Verdict.WARN):
            findings.append(Finding(j.verdict.value.lower(), "RETRIEVAL_REGRESSION",
                                    f"{e.name} drops by {e.value:.3f} under the new embedding (CI {e.ci_low:.3f} to {e.ci_high:.3f}, "
                                    f"p {j.p_adjusted:.2g} after Holm, {len(wide)} queries)"))
    return [j.verdict for j in judged]


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    validate_bands(p["warn_at"], p["fail_at"])
    if not 0 <= p["min_overlap_fail"] <= p["min_overlap_warn"] <= 1:
        raise EvalGuardInputError("params: need 0 <= min_overlap_fail <= min_overlap_warn <= 1")
    for a, b in (("probe_old", "probe_new"), ("corpus_old", "corpus_new")):
        if (a in tables) != (b in tables):
            raise EvalGuardInputError(f"inputs '{a}' and '{b}' go together")
    if "probe" in tables and "probe_old" in tables:
        raise EvalGuardInputError("give the probe as 'probe' (a table) or 'probe_old'/'probe_new' (.npy), not both")
    has_probe = "probe" in tables or "probe_old" in tables
    if ("corpus" in tables or "corpus_old" in tables) and not has_probe:
        raise EvalGuardInputError("a corpus needs a probe to search it with")
    if not ({"events", "relevance"} & set(tables) or has_probe):
        raise EvalGuardInputError("embedding_drift needs at least one of the inputs events, probe, relevance")
    findings: list[Finding] = []
    metrics: dict[str, Metric] = {}
    verdicts: list[Verdict] = []
    evidence: list[pd.DataFrame] = []
    parts = []
    if "events" in tables:
        verdicts += _events(tables["events"], findings, metrics, evidence)
        parts.append("events")
    if has_probe:
        verdicts += _probe(tables, p, findings, metrics, evidence)
        parts.append("probe")
    if "relevance" in tables:
        verdicts += _relevance(tables["relevance"], p, findings, metrics, evidence)
        parts.append("relevance")
    verdict = worst(verdicts)
    fails = [f for f in findings if f.severity == "fail"]
    if verdict is Verdict.FAIL:
        summary = f"Do not read this retrieval experiment: {fails[0].message}."
    elif verdict is Verdict.WARN:
        summary = f"The embedding upgrade moved retrieval within tolerance: {findings[0].message}."
    elif verdict is Verdict.INCONCLUSIVE:
        summary = "Too few probes or queries to rule out a failing shift; add more before trusting the comparison."
    else:
        summary = f"Embeddings are consistent ({', '.join(parts)} checked): the experiment compares like with like."
    frames = [f for f in evidence if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["part", "item", "arm", "value", "detail"])
    table = table.astype({"item": str, "arm": object, "value": float, "detail": str})
    return CheckResult(check="embedding_drift", verdict=verdict, summary=summary, metrics=metrics, findings=findings,
                       evidence=table,
                       params={"parts_run": parts, "neighbour_search": "exact cosine (faiss IndexFlatIP)",
                               "overlap_ci": "t interval over probes", "retrieval_ci": "paired bootstrap over queries",
                               "retrieval_test": "paired t, holm across recall and ndcg"})


SPEC = CheckSpec(
    name="embedding_drift",
    summary="Did an embedding model/version change under a retrieval experiment?",
    inputs={
        "events": InputSpec("index/query events: ts, arm, embedding_model, embedding_version, role", required=False),
        "probe": InputSpec("probe_id, old and new vectors (list columns)", required=False),
        "probe_old": InputSpec("probe vectors under the old model (.npy), with probe_new", required=False),
        "probe_new": InputSpec("probe vectors under the new model (.npy), with probe_old", required=False),
        "corpus": InputSpec("doc_id, old and new vectors to search (default: the probe set itself)", required=False),
        "corpus_old": InputSpec("corpus vectors under the old model (.npy)", required=False),
        "corpus_new": InputSpec("corpus vectors under the new model (.npy)", required=False),
        "relevance": InputSpec("query_id, doc_id, rank, relevant, version (old/new)", required=False),
    },
    params={
        "k": ParamSpec(10, int, "neighbours and retrieval cut-off", minimum=1, maximum=MAX_NEIGHBOURS),
        "min_overlap_warn": ParamSpec(0.8, float, "mean top-k overlap below this warns", minimum=0, maximum=1),
        "min_overlap_fail": ParamSpec(0.6, float, "mean top-k overlap below this fails", minimum=0, maximum=1),
        "warn_at": ParamSpec(0.02, float, "recall@k / nDCG@k drop that warns", minimum=0, maximum=1),
        "fail_at": ParamSpec(0.05, float, "recall@k / nDCG@k drop that fails", minimum=0, maximum=1),
        "old_version": ParamSpec("old", str, "value of relevance.version for the old embedding"),
        "new_version": ParamSpec("new", str, "value of relevance.version for the new embedding"),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "seed": ParamSpec(0, int, "seed for bootstrap and pair sampling", minimum=0, maximum=MAX_SEED),
        "n_boot": ParamSpec(2000, int, "bootstrap resamples", minimum=200, maximum=MAX_RESAMPLES),
    },
    decide=run,
)
