"""Uploads of several files, bounds on every web input and answer, and HTTP answers that
are never 500 (issue 12, items 5, 8, 11 and 12), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.cache import ResponseCache
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, SCRIPT, form_token

HTML = {"accept": "text/html"}
BOUNDARY = "borderflow-test-boundary"


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["status"] == status and body["code"] == code and body["message"]
    return str(body["message"])


def _client(url: str, **limits: Any) -> TestClient:
    return TestClient(
        create_app(WebConfig(url, **limits)), base_url=BASE, raise_server_exceptions=False
    )


@pytest.fixture
def app_client(store_url: str) -> Iterator[TestClient]:
    with _client(store_url) as client:
        yield client


def _article(n: int) -> bytes:
    return f"Brief {n}\n\nOfficers seized {n + 3} kg of fentanyl in Detroit in 2024.\n".encode()


def _multipart(parts: list[tuple[bytes, bytes]]) -> tuple[bytes, dict[str, str]]:
    """A multipart body written byte by byte: file names exactly as given (a client
    library would escape them)."""
    body = b""
    for name, content in parts:
        body += (
            f"--{BOUNDARY}\r\n".encode()
            + b'Content-Disposition: form-data; name="file"; filename="' + name + b'"\r\n'
            + b"Content-Type: text/plain\r\n\r\n" + content + b"\r\n"
        )  # fmt: skip
    body += f"--{BOUNDARY}--\r\n".encode()
    headers = {**SCRIPT, "content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    return body, headers


# -- 5: every file of an upload lands ------------------------------------------------------------
def test_an_api_upload_of_five_files_stores_all_five(app_client: TestClient) -> None:
    files = [("file", (f"brief-{n}.txt", _article(n), "text/plain")) for n in range(5)]
    answer = app_client.post("/api/v1/documents", files=files, headers=SCRIPT)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["stored"] == 5 and body["refused"] == 0
    assert [i["file"] for i in body["items"]] == [f"brief-{n}.txt" for n in range(5)]
    assert len({i["document_id"] for i in body["items"]}) == 5
    assert app_client.get("/api/v1/documents").json()["total"] == 5
    for n, item in enumerate(body["items"]):
        doc = app_client.get(item["url"]).json()
        assert doc["title"] == f"Brief {n}" and doc["claims_total"] == item["claims"] >= 1


def test_bad_files_are_refused_one_by_one_and_the_good_ones_land(app_client: TestClient) -> None:
    files = [
        ("file", ("good-1.txt", _article(1), "text/plain")),
        ("file", ("tool.exe", b"MZ", "application/octet-stream")),
        ("file", ("empty.txt", b"   ", "text/plain")),
        ("file", ("good-2.md", _article(2), "text/markdown")),
    ]
    answer = app_client.post("/api/v1/documents", files=files, headers=SCRIPT)
    assert answer.status_code == 201, answer.text
    items = answer.json()["items"]
    assert [i["status"] for i in items] == ["added", "refused", "refused", "added"]
    assert items[1]["error"]["status"] == 415 and "tool.exe" in items[1]["error"]["message"]
    assert (
        items[2]["error"]["code"] == "bad_request" and "empty.txt" in items[2]["error"]["message"]
    )
    assert app_client.get("/api/v1/documents").json()["total"] == 2
    # When nothing lands, the answer is the error, with every file's reason.
    junk = [("file", ("a.exe", b"MZ", "x/y")), ("file", ("b.exe", b"MZ", "x/y"))]
    message = _error(
        app_client.post("/api/v1/documents", files=junk, headers=SCRIPT), 415, "unsupported_type"
    )
    assert "a.exe" in message and "b.exe" in message


def test_the_upload_form_takes_several_files(app_client: TestClient) -> None:
    token = form_token(app_client)
    files = [("file", (f"form-{n}.txt", _article(10 + n), "text/plain")) for n in range(3)]
    page = app_client.post("/upload", files=files, data={"csrf_token": token}, headers=HTML)
    assert page.status_code == 200, page.text
    for n in range(3):
        assert f">form-{n}.txt</a>: added" in page.text
    assert app_client.get("/api/v1/documents").json()["total"] == 3


# -- 8: bounded inputs -----------------------------------------------------------------------------
def test_an_oversized_upload_is_refused_by_its_declared_length(store_url: str) -> None:
    client = _client(store_url, max_upload_bytes=1_000, max_upload_files=2)
    sent: list[int] = []

    async def receive() -> dict[str, Any]:
        sent.append(1)
        return {"type": "http.request", "body": b"x" * 65_536, "more_body": True}

    answer = _drive(client.app, "/api/v1/documents", receive, length=10**9)
    assert answer["status"] == 413 and not sent  # refused before one byte was read
    message = json.loads(answer["body"])["error"]["message"]
    assert "1,000,000,000 bytes" in message and "at most 2 files of 1,000 bytes" in message


def test_an_oversized_file_is_refused_while_it_streams(store_url: str) -> None:
    client = _client(store_url, max_upload_bytes=10_000)
    head, _ = _multipart([(b"big.txt", b"")])
    head = head[: head.index(b"\r\n\r\n") + 4]  # the part's headers, then endless content
    chunks = [head] + [b"fentanyl " * 1_000] * 1_000  # 9 MB, never all sent
    read: list[int] = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        return {"type": "http.request", "body": chunks[len(read) - 1], "more_body": True}

    answer = _drive(client.app, "/api/v1/documents", receive, length=None)
    assert answer["status"] == 413
    assert json.loads(answer["body"])["error"]["message"] == (
        "big.txt: over the limit of 10,000 bytes"
    )
    assert len(read) <= 3  # stopped at the file's limit, not after the whole body


def test_too_many_files_in_one_upload_are_refused(store_url: str) -> None:
    client = _client(store_url, max_upload_files=3)
    files = [("file", (f"f{n}.txt", _article(n), "text/plain")) for n in range(4)]
    message = _error(
        client.post("/api/v1/documents", files=files, headers=SCRIPT), 413, "too_large"
    )
    assert "more than 3 files" in message
    assert client.get("/api/v1/documents").json()["total"] == 0


def test_page_sizes_are_clamped_to_the_setting(client: TestClient, web_url: str) -> None:
    small = _client(web_url, max_page_size=3)
    for path in ("/api/v1/claims", "/api/v1/documents", "/api/v1/checks"):
        page = small.get(path, params={"per_page": 10**9}).json()
        assert page["per_page"] == 3 and len(page["items"]) == 3, path
        assert page["pages"] == -(-page["total"] // 3)
    assert client.get("/api/v1/claims", params={"per_page": 10**6}).json()["per_page"] == 1000


def test_an_upload_answers_a_summary_not_every_claim(app_client: TestClient) -> None:
    sentences = " ".join(
        f"In {2000 + n % 20} police seized {n + 1} kg of fentanyl and {n + 2} pounds of "
        "cocaine near the northern border." for n in range(1_500)
    )  # fmt: skip
    answer = app_client.post("/api/v1/documents", data={"text": sentences}, headers=SCRIPT)
    assert answer.status_code == 201, answer.text
    assert len(answer.content) < 1_000  # was every claim echoed: ~10 bytes out per byte in
    item = answer.json()["items"][0]
    assert item["claims"] >= 2_000
    detail = app_client.get(item["url"]).json()
    assert detail["claims_total"] == item["claims"] and len(detail["claims"]) == 1_000
    paged = app_client.get(item["claims_url"], params={"per_page": 1000, "page": 2}).json()
    assert paged["total"] == item["claims"] and paged["items"]


def test_an_answer_over_the_size_limit_is_refused(web_url: str) -> None:
    small = _client(web_url, max_response_bytes=5_000)
    message = _error(small.get("/api/v1/claims", params={"per_page": 500}), 422, "invalid")
    assert "over this server's limit of 5,000" in message and "per_page" in message
    assert small.get("/api/v1/claims", params={"per_page": 2}).status_code == 200
    assert small.get("/vendor/plotly.min.js").status_code == 200  # a file, not built in memory


def _cache_of(app: FastAPI) -> ResponseCache:
    layer: Any = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


def test_junk_query_strings_do_not_grow_the_cache(web_url: str) -> None:
    client = _client(web_url, cache_entries=20, cache_bytes=300_000)
    client.get("/api/v1/documents")
    cache = _cache_of(client.app)  # type: ignore[arg-type]
    for n in range(300):
        assert client.get("/api/v1/documents", params={"junk": n, "x" * 50: n}).status_code == 200
        client.get("/", params={f"utm_{n}": "y" * 200}, headers=HTML)
    assert len(cache) == 1  # answered, never stored
    # Parameters the app reads, in any order, are one entry.
    first = client.get("/api/v1/claims", params=[("measure", "seizure"), ("per_page", "5")])
    again = client.get("/api/v1/claims", params=[("per_page", "5"), ("measure", "seizure")])
    assert first.json() == again.json() and len(cache) == 2
    # Distinct real queries are bounded by entries and by bytes, oldest dropped first.
    for n in range(100):
        client.get("/api/v1/claims", params={"q": f"fentanyl {n}", "per_page": 50})
        client.get("/api/v1/documents", params={"q": f"word{n}"})
        assert len(cache) <= 20 and cache.size <= 300_000


# -- 11/12: answers, never 500 ---------------------------------------------------------------------
def test_a_document_id_that_is_not_a_number_is_422(client: TestClient) -> None:
    for value in ("abc", "1.5", "-3", "١٢", "9" * 40):
        message = _error(client.get("/claims", params={"document_id": value}), 422, "invalid")
        assert "document_id" in message
        page = client.get("/claims", params={"document_id": value}, headers=HTML)
        assert page.status_code == 422 and "document_id" in page.text
        api = client.get("/api/v1/claims", params={"document_id": value})
        _error(api, 422, "invalid")
    assert client.get("/claims", params={"document_id": "1"}, headers=HTML).status_code == 200


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (b"..", None),
        (b".", None),
        (b"a" * 300 + b".txt", "a" * 196 + ".txt"),
        (b"nul\x00byte.txt", "nul_byte.txt"),
        (b"\x1b[31mred\x1b[0m.txt", "_[31mred_[0m.txt"),
        (b"bell\x07tab\tname.txt", "bell_tab_name.txt"),
        (b"rtl\xe2\x80\xaetxt.md", "rtl_txt.md"),
        (b"../../etc/passwd.txt", "passwd.txt"),
        (b"C:\\Users\\x\\brief.txt", "brief.txt"),
    ],
)
def test_strange_file_names_are_cleaned_or_refused(
    client: TestClient, sent: bytes, stored: str | None
) -> None:
    body, headers = _multipart([(sent, _article(len(sent)) + sent.hex().encode())])
    answer = client.post("/api/v1/documents", content=body, headers=headers)
    if stored is None:
        message = _error(answer, 415, "unsupported_type")
        assert "has no file type" in message
        return
    assert answer.status_code == 201, answer.text
    item = answer.json()["items"][0]
    assert item["file"] == stored
    document = client.get(item["url"]).json()["document"]
    assert document.endswith(item["file"]) and not any(ord(c) < 32 for c in document)


def test_a_file_name_with_a_line_break_is_a_clear_400(client: TestClient) -> None:
    for name in (b"two\nlines.txt", b"car\rriage.txt"):
        body, headers = _multipart([(name, _article(1))])
        answer = client.post("/api/v1/documents", content=body, headers=headers)
        assert answer.status_code in (201, 400), answer.text
        if answer.status_code == 400:
            assert "multipart" in answer.json()["error"]["message"]


def test_a_busy_store_answers_503_with_retry_after(store_url: str) -> None:
    client = _client(store_url, store_busy_seconds=0.3)
    holder = Store.open(store_url)
    try:
        with holder.write():  # another writer holds the store
            answer = client.post("/api/v1/documents", data={"text": "Agents seized 4 kg."},
                                 headers=SCRIPT)  # fmt: skip
    finally:
        holder.close()
    assert "busy" in _error(answer, 503, "busy")
    assert answer.headers["retry-after"].isdigit()
    again = client.post("/api/v1/documents", data={"text": "Agents seized 4 kg."}, headers=SCRIPT)
    assert again.status_code == 201, again.text


def test_parallel_uploads_of_the_same_bytes_never_answer_500(store_url: str) -> None:
    client = _client(store_url)
    data = _article(42)
    statuses: list[int] = []
    ids: list[int] = []
    lock = threading.Lock()

    def upload(n: int) -> None:
        answer = client.post(
            "/api/v1/documents", files={"file": (f"copy-{n}.txt", data, "text/plain")},
            headers=SCRIPT,
        )  # fmt: skip
        with lock:
            statuses.append(answer.status_code)
            if answer.status_code == 201:
                ids.append(answer.json()["document_id"])

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {201, 503}, statuses
    assert len(set(ids)) == 1  # one document, whoever stored it
    assert client.get("/api/v1/documents").json()["total"] == 1


def _drive(app: Any, path: str, receive: Any, *, length: int | None) -> dict[str, Any]:
    """One POST through the ASGI app with a hand-made body stream: (status, body)."""
    headers = [
        (b"host", b"127.0.0.1"),
        (b"authorization", b"Bearer any"),
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
    ]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    answer: dict[str, Any] = {"body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    # A loop of its own in a thread of its own: a browser test's session (Playwright's
    # synchronous API) keeps an event loop running in this process's main thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return answer
