#!/usr/bin/env python3
"""Makes a benchmark WARC: the BBC texts wrapped as HTML news pages (with
navigation, share bars, related links and a footer around them) and the
article-extraction benchmark's pages, as request + response records, repeated
until the archive holds at least SIZE_MB of uncompressed records. Each record is
gzipped on its own, as crawlers write them.

    python3 benches/make_warc.py 500 target/bench.warc.gz
"""
import gzip
import html
import io
import sys
import uuid
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def record(kind, uri, date, block):
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def bbc_page(category, name, text):
    lines = text.strip().split("\n")
    title, paragraphs = lines[0].strip(), [p.strip() for p in lines[1:] if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{html.escape(title)} - BBC News</title><meta property="og:site_name" content="BBC News">
<meta property="article:published_time" content="2005-03-01T10:00:00Z">
<script>window.dataLayer = [{{"page": "{category}/{name}"}}];</script></head><body>
<nav><ul><li><a href="/news">Home</a></li><li><a href="/news/{category}">{category}</a></li></ul></nav>
<main><article><h1>{html.escape(title)}</h1><div class="share-tools"><a href="#">Share</a></div>
{body}
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">More {category} news</a></li></ul></aside>
</article></main><footer><p>Copyright BBC.</p></footer></body></html>""".encode()


def response(page):
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: " + \
        str(len(page)).encode() + b"\r\n\r\n" + page


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target = int(sys.argv[1]) * 1_000_000
    out = Path(sys.argv[2])
    pages = []
    bbc = SHARED / "corpora" / "bbc"
    for path in sorted(bbc.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", "replace")
        pages.append((f"bbc/{path.parent.name}/{path.stem}", bbc_page(path.parent.name, path.stem, text)))
    for path in sorted((SHARED / "eval" / "article-extraction" / "html").glob("*.html.gz")):
        pages.append((f"aeb/{path.name.split('.')[0]}", gzip.decompress(path.read_bytes())))
    if not pages:
        sys.exit(f"no pages found under {SHARED}")
    written = 0
    round_ = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        while written < target:
            round_ += 1
            for key, page in pages:
                uri = f"https://example.org/{round_}/{key}"
                date = "2024-05-01T09:00:00Z"
                for rec in (record("request", uri, date, f"GET /{key} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode()),
                            record("response", uri, date, response(page))):
                    written += len(rec)
                    f.write(gzip.compress(rec, compresslevel=6))
                if written >= target:
                    break
    print(f"{out}: {written / 1e6:.1f} MB of records, {out.stat().st_size / 1e6:.1f} MB gzipped, {round_} rounds")


if __name__ == "__main__":
    main()
