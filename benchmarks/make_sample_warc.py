"""Write the sample web archive (src/storyline/data/sample/feeds/archive-pages.warc).

SAMPLE DATA written for storyline: fictional outlets and invented reporting. The pages are ours,
the records deterministic (ids from URL and date), so re-running rewrites the same file.

    python benchmarks/make_sample_warc.py
"""

from __future__ import annotations

from pathlib import Path

from storyline.sources.warc import write_warc

OUT = Path(__file__).resolve().parents[1] / "src/storyline/data/sample/feeds/archive-pages.warc"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}">
</head><body><article><h1>{title}</h1>
<p class="byline">By {author}</p>
{body}
</article><footer>SAMPLE DATA written for storyline. Fictional outlet.</footer></body></html>
"""

PAGES = [
    {
        "url": "https://kabul-ledger.example/2024/05/14/helmand-water-talks-open/",
        "title": "Helmand water talks open in Kabul",
        "published": "2024-05-14T07:30:00+04:30",
        "author": "Sample Desk",
        "crawled": "2024-05-15T02:11:09Z",
        "body": [
            "KABUL - Delegations from Tehran and Kabul sat down on Tuesday for a first day of "
            "talks on how much of the Helmand's water should reach Sistan.",
            "A member of the visiting team said the sides agreed to send engineers to measure "
            "the flow at the dams before the next round.",
        ],
    },
    {
        "url": "https://www.zagrosobserver.example/2024/10/02/kamal-khan-gates-open/",
        "title": "Kamal Khan gates opened, officials say",
        "published": "2024-10-02T18:20:00+03:30",
        "author": "Observer Staff",
        "crawled": "2024-10-04T21:40:00Z",
        "body": [
            "ZABOL - Water began to move toward the Hamoun wetlands on Wednesday after the gates "
            "of the Kamal Khan dam were opened, provincial officials said.",
            "Farmers near Zabol said they would wait to see whether the flow lasts into winter.",
        ],
    },
    {
        "url": "https://caspianwire-review.example/news/border-market-opens-at-mand-pishin-45010",
        "title": "Border market opens at Mand-Pishin",
        "published": "2024-09-26T09:30:00+03:30",
        "author": "Wire Review Staff",
        "crawled": "2024-09-27T05:02:44Z",
        "body": [
            "MAND - Traders crossed into a new market on the frontier on Thursday, the first of "
            "several planned along the border.",
            "Stalls sold fruit, fabric and fuel under the eyes of guards from both sides.",
        ],
    },
]


def main() -> None:
    pages = []
    for page in PAGES:
        body = "\n".join(f"<p>{p}</p>" for p in page["body"])
        html = PAGE.format(body=body, **{k: v for k, v in page.items() if k != "body"})
        pages.append((str(page["url"]), html.encode("utf-8"), str(page["crawled"])))
    write_warc(OUT, pages, gzip=False)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(pages)} records)")


if __name__ == "__main__":
    main()
