"""Migration 0014 on SQLite and PostgreSQL: a store checked before it gets each verdict's
copy of its claim's filter values, so a menu filter with a verdict kind lists the
verdicts stored before the upgrade; downgrading and upgrading again keeps them."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from borderflow.store import Store, listings, verdict_listing
from borderflow.store.database import alembic_config, create_store_engine

# (claim id, measure, substance, agency, corridor), and each claim's verdict kinds.
CLAIMS = (
    (1, "seizure", "fentanyl", "CBP", "southwest"),
    (2, "seizure", "fentanyl", "CBSA", "northern"),
    (3, "deaths", None, None, None),
)
VERDICTS = ((1, "supported"), (1, "conflict"), (2, "contradicted"), (3, "supported"))


def _fill_at_0013(url: str) -> None:
    engine = create_store_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0013")
        conn.execute(text(
            "INSERT INTO documents (id, source, source_key, title, published, created_at)"
            " VALUES (1, 'a.txt', 'a', 'Port report', '2024-01-02', '2024-01-02')"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO document_versions (id, document_id, version, is_current, content_hash,"
            " format, size, text, metadata, repairs, extractor_version, ingested_at,"
            " claim_count) VALUES (1, 1, 1, true, 'h', 'text', 1, 'words', '{}', '[]', 't',"
            " '2024-01-02', 3)"
        ))  # fmt: skip
        for claim_id, measure, substance, agency, corridor in CLAIMS:
            conn.execute(
                text(
                    "INSERT INTO claims (id, version_id, document_id, start_offset, end_offset,"
                    " text, sentence, value, qualifier, dimension, measure, substance, agency,"
                    " corridor, period_candidates) VALUES (:c, 1, 1, 0, 1, '4 kg', '4 kg.', 4,"
                    " 'exact', 'mass', :m, :s, :a, :r, '[]')"
                ),
                {"c": claim_id, "m": measure, "s": substance, "a": agency, "r": corridor},
            )
        for n, (claim_id, kind) in enumerate(VERDICTS):
            conn.execute(
                text(
                    'INSERT INTO checks (claim_id, "check", verdict, headline, confidence,'
                    " explanation, citations, releases, checked_at) VALUES (:c, 'official', :v,"
                    " :h, 0.9, 'why', '[]', '[]', '2024-01-03')"
                ),
                {"c": claim_id, "v": kind, "h": n != 1},  # the second is not a headline
            )
    engine.dispose()


def _listed(store: Store) -> dict[str, list[int]]:
    every = verdict_listing.every_check(store, {"agency": "CBP", "verdict": "conflict"})
    headlines = verdict_listing.checked_claims(
        store, {"measure": "seizure", "verdict": "supported"}
    )
    claims = listings.claims(store, filters={"corridor": "northern", "verdict": "contradicted"})
    return {
        "every": [len(every.items), every.total],
        "headlines": headlines.items,
        "claims": [view.claim.id for view in claims.items],
    }


def test_verdicts_stored_before_the_upgrade_get_their_claims_values(store_url: str) -> None:
    _fill_at_0013(store_url)
    with Store.open(store_url) as store:  # upgrades to the newest revision
        with store.engine.connect() as conn:
            copied = conn.execute(text(
                "SELECT claim_id, claim_measure, claim_substance, claim_agency, claim_corridor"
                " FROM checks ORDER BY id"
            )).all()  # fmt: skip
        expected = [(c, *next(row[1:] for row in CLAIMS if row[0] == c)) for c, _ in VERDICTS]
        assert [tuple(row) for row in copied] == expected
        assert _listed(store) == {"every": [1, 1], "headlines": [1], "claims": [2]}
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0013")
            assert conn.execute(text("SELECT count(*) FROM checks")).scalar_one() == 4
            command.upgrade(cfg, "head")
        assert _listed(store) == {"every": [1, 1], "headlines": [1], "claims": [2]}
