"""The store's reader of seizure groups selects in SQL exactly the claims that
`group_key` assigns to each group, in the order the comparison relies on, on both
backends. Null substance or border must match null (SQL's `= NULL` would match nothing)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from borderflow.checks.source_groups import group_key
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store
from borderflow.store.seizure_groups import seizure_groups

# Written for this test: groups with and without a border, an agency-less seizure, a
# figure of zero, and a count that is not a mass.
EXTRA = (
    "CBSA officers seized 2.5 kg of fentanyl at the Port of Vancouver in 2023. The RCMP "
    "seized 12 kilograms of fentanyl in 2022. Police found 0 kg of fentanyl in the car. "
    "Officers seized 40 kilograms of drugs last year. CBP seized 3,000 pills at the "
    "northern border in fiscal year 2023."
)


def test_groups_read_from_the_store_are_the_ones_group_key_defines(
    store: Store, seeds_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "extra.txt").write_text(EXTRA, encoding="utf-8")
    ingest_paths([seeds_dir, tmp_path / "extra.txt"], store, max_bytes=10**7)
    expected: dict[object, list[int]] = defaultdict(list)
    for claim in sorted(store.claims(), key=lambda c: (c.document_id, c.start, c.id)):
        key = group_key(claim)
        if key is not None:
            expected[key].append(claim.id)
    assert any(key[2] is None for key in expected)  # a group with no border stated
    with seizure_groups(store) as reader:
        keys = reader.groups()
        found = {key: [c.id for c in reader.claims(key)] for key in keys}
        some = [ids[0] for ids in found.values()]
        assert sorted(c.id for c in reader.by_id(some)) == sorted(some)
    assert len(keys) == len(set(keys))
    assert found == dict(expected)
