"""Line rules for plain-text cleaning: what a breadcrumb, caption, teaser or byline looks like.

Each predicate looks at one whitespace-normalised line and answers a yes/no (or a small value)
without knowing the rest of the document; `storyline.extract.clean` decides *where* a rule may
apply (the head of the text, anywhere, or the tail). The rules are deliberately narrow: dropping a
real paragraph is worse than keeping a teaser, because an analyst can still see a kept teaser but
never a lost sentence.

Every pattern here is linear-time: no nested quantifiers, no two adjacent quantifiers that can
match the same characters, and bounded repeats. `PATTERNS` lists them all so a test can time each
one on hostile input. Predicates also refuse long lines before running a full-line match, so a
100 KB single line costs one cheap length check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# --- text normalisation ------------------------------------------------------------------------

#: Characters deleted outright: C0 controls (not tab/newline), DEL, zero-width space, soft hyphen.
#: The zero-width (non-)joiners U+200C/U+200D are kept: in Persian, Urdu and Indic scripts they
#: are spelling ("دریچه‌های"), and deleting them changes the word.
_DELETE = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xAD, 0x200B])
_DELETE.update(dict.fromkeys([0x2060, 0xFEFF]))


def normalise_line(line: str) -> str:
    """Drop control and zero-width characters and collapse every whitespace run to one space.

    Why: outlets pad with non-breaking and zero-width spaces, and rules compare lines as text.
    Curly quotes and other punctuation are kept; the quotes stage normalises them later.
    """
    if line.isprintable():
        # No control, format (zero-width, soft hyphen) or non-space whitespace character: the
        # translation is a no-op and only runs of plain spaces can need collapsing.
        if "  " not in line and line[:1] != " " and line[-1:] != " ":
            return line
        return " ".join(line.split())
    return " ".join(line.translate(_DELETE).split())


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n or a lone \\r, so line numbers match what an editor shows."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- shared vocabulary -------------------------------------------------------------------------

#: News agencies and desk names that appear alone as a source credit ("AFP/Al Arabiya", "— APP").
AGENCIES: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "AFP", "AP", "Reuters", "APP", "IRNA", "IANS", "PTI", "ANI", "Xinhua", "TASS", "RIA",
        "RIA Novosti", "Anadolu", "Anadolu Agency", "AA", "DPA", "EFE", "ANSA", "Kyodo",
        "Yonhap", "Bernama", "UNB", "Tasnim", "Mehr", "Fars", "ISNA", "WAM", "SPA", "KUNA",
        "QNA", "Sputnik", "Bloomberg", "UPI", "Associated Press", "The Associated Press",
        "Agence France-Presse", "Agence France Presse", "Al Arabiya", "Al Jazeera", "Agencies",
        "News Desk", "Web Desk", "Monitoring Desk", "Online Desk", "Staff Report",
        "Staff Reporter", "News Agencies", "Wires", "Wire", "Pajhwok", "Tolo", "TOLOnews",
        "Khaama", "Press TV", "IRIB", "ISNA", "BNA", "NNA", "Interfax", "CNA", "PA", "ABC",
        "BBC", "CNN", "NHK", "AIR", "Dawn", "Agence", "AKI", "Lusa", "Belga", "ANP", "TT",
        "NTB", "STT", "Ritzau", "CTK", "PAP", "MTI", "BTA", "Hina", "Tanjug", "ATS", "APA",
    )
)  # fmt: skip

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday)?\.?,? "
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_MONTH} {_DAY},? \d{{4}}|{_DAY} (?:of )?{_MONTH},? \d{{4}}|{_MONTH},? \d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}/\d{1,2}/\d{1,2}"
    r"|\d{1,3} (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?) ago)"
)
#: A clock time with its half of the day and zone: "6:45 p.m.", "14:05 GMT", "18:42 Kabul time".
_CLOCK = (
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?: ?[AaPp]\.?[Mm]\.?)?"
    r"(?: ?\(?(?:[A-Z]{2,5}|UTC[+-]\d{1,2}|GMT[+-]\d{1,2}|(?-i:[A-Z][a-z]{2,15}) time)\)?)?"
)
_TIME = r"(?:(?:,|, at| at| -| –| \||) ?" + _CLOCK + ")?"
_DATE_PREFIX = (
    r"(?:(?:Published|Updated|Posted|Last updated|Last modified|Modified|Date|Created"
    r"|First published|Publication date|Release date|Released|Issued|Dated"
    # a release's label and a public page's review stamp: "For immediate release: May 4, 2026",
    # "Page last reviewed: 4 December 2026"
    r"|For immediate release|(?:Page )?last reviewed|Page last updated)(?: on| at)?:? ?)?"
)

#: A line that is nothing but a date (optionally "Published:", a weekday and a time).
DATE_LINE = re.compile(
    rf"\A{_DATE_PREFIX}(?:{_WEEKDAY})?{_DATE}{_TIME}",
    re.IGNORECASE,
)

#: An old CMS's post line with a date but no year, its time and its poster: PHP-Nuke's "Posted
#: on Monday, May 22 @ 10:15:32 SAST by ntokozo" (its default format leaves the year out).
POSTED_NO_YEAR = re.compile(
    rf"\A(?:posted|submitted)(?: on)?:? (?:{_WEEKDAY})?{_MONTH} {_DAY}"
    rf"(?:(?: @|,? at|,) {_CLOCK})?(?: by [\w.@-]{{1,40}}(?: [\w.@-]{{1,40}})?)?\Z",
    re.IGNORECASE,
)

#: A kicker's words before a headline or a description: a section's or a place's name of up to
#: three words ("Pakistan", "Analysis", "Pune News"), the separator after it left to its user.
KICKER_WORDS = r"[^\W\d][\w'’.-]*(?: [\w'’.-]+){0,2}"

#: Bare URLs and www. hosts (no nested repeats: one run of non-space characters).
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
#: The host of a `URL` match (after the scheme, before any port, path or query).
URL_HOST = re.compile(r"(?:https?://)?([^/:?#\s]{1,255})", re.IGNORECASE)
#: A host that is a dotted IPv4 address.
IP_HOST = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")

#: Markdown links and images: [text](target), ![alt](src). Bounded, bracket-free innards.
MD_LINK = re.compile(r"(!?)\[([^\[\]\n]{0,300})\]\(([^()\s]{0,2000})\)")
#: Markdown autolinks <https://...>.
MD_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^<>\s]{1,2000})>", re.IGNORECASE)
#: ATX headings "# Title" (markers then the heading text).
MD_HEADING = re.compile(r"\A(#{1,6}) (.{1,500})")
#: Thematic breaks and setext underlines: "---", "***", "* * *", "===".
MD_RULE = re.compile(r"\A(?:[-*_=] ?){3,200}")
#: Bold markers "**text**" (the markers go, the text stays).
MD_BOLD = re.compile(r"\*\*([^*\n]{1,500})\*\*")

#: "Original url: <https://...>" (the URL may be on the next line).
ORIGINAL_URL = re.compile(
    r"\A(?:original(?:ly published at)? ?(?:url|link|source|article)|source ?(?:url|link)"
    r"|canonical ?(?:url|link)|article ?url|permalink)(?: ?:| ?-)? ?(.{0,2100})",
    re.IGNORECASE,
)

#: Breadcrumb separators between segments, after whitespace normalisation.
BREADCRUMB_SPLIT = re.compile(r" (?:/|>|»|›|→|\||::) ")
#: "Home" as the first crumb, in the languages of our sources (a trail need not be English).
_HOME = frozenset(
    {"home", "homepage", "home page", "start", "main", "front page", "accueil", "startseite",
     "inicio", "portada", "início", "página inicial", "pagina iniziale", "главная", "الرئيسية",
     "خانه", "صفحه اصلی", "صفحه نخست", "ہوم", "صفحہ اول", "سرورق", "anasayfa", "ana sayfa"}
)  # fmt: skip

#: An embedded video's label ("VIDEO: ...", "VÍDEO: ..."), counted only with its separator:
#: "Video games ..." may open a subheading. Its running time may follow on the next line.
_VIDEO_LABEL = r"(?:video|v[íi]deo|vid[ée]o|видео)(?= ?[:|–—])"

#: Teaser keywords at the start of a line; what follows decides header vs single teaser.
TEASER = re.compile(
    r"\A(?:read more|read further|read also|also read|read next|see also|also see|more on this"
    # Manila's papers' "READ: <headline>", the colon required ("Read the statement below" stays)
    r"|read(?= ?: ?[^\"'“‘«\s])"
    # a chain paper's "MORE: <headline>" between paragraphs (the colon and a capital required)
    r"|more(?= ?: ?(?-i:[A-Z0-9])[^.!?]*$)"
    # Turkish in capitals, whose dotted İ case-folds to no "i": "İLGİLİ HABER:"
    r"|(?-i:İLGİLİ HABERLER|İLGİLİ HABER|İlgili Haberler|İlgili Haber|ILGILI HABER)(?= ?:)"
    r"|more on this story|related articles?|related news|related stories|related story"
    r"|related posts?|related content|related coverage|related|recommended(?: stories| reading)?"
    r"|must read|don[’']t miss|do not miss|suggested reading|further reading|continue reading"
    r"|keep reading|trending(?: now| stories)?|most read|most popular|popular posts"
    r"|most watched videos?"
    r"|popular stories|latest news|latest stories|more news|more stories|more from \w{1,40}"
    # "More Commodities News" as a header alone ("More good news: the bridge …" is a sentence)
    r"|(?-i:More (?:[A-Z]\w{1,20} ){1,2}(?:News|Stories|Headlines))(?=\W{0,3}$)"
    r"|recent (?:news releases|press releases|news|posts|stories|articles|releases)"
    r"|other (?:news|stories|releases)|more (?:releases|press releases)"
    r"|you may also like|you might also like|you may like|you might like"
    r"|you may also be interested in|check also|also check|read the full story"
    r"|read the full article|read full article|read full story|full story|up next"
    r"|next article|previous article|next post|previous post|next story|previous story"
    r"|top stories|editor[’']s picks|also on \w{1,40}|watch(?: video| the video)?"
    r"|in case you missed it|in other news"
    # a forum's box of other threads (vBulletin's "Similar Threads", phpBB's "Similar topics")
    r"|similar threads|related threads"
    # a podcast's links under its episode: "Show notes"
    r"|show notes"
    # Papiamento
    r"|lesa tambe|lesa mas"
    rf"|{_VIDEO_LABEL}"
    # the same furniture in the other languages of the news we read
    r"|[àa] lire aussi|lire aussi|[àa] lire [ée]galement|lire la suite|voir aussi|[àa] voir aussi"
    r"|sur le m[êe]me sujet|les plus lus|articles? li[ée]s|dans la m[êe]me rubrique"
    r"|le[eé] tambi[ée]n|lea tambi[ée]n|leer m[áa]s|ver tambi[ée]n|te puede interesar"
    r"|te recomendamos"
    r"|m[áa]s informaci[óo]n"
    r"|tambi[ée]n te puede interesar|noticias relacionadas|lo m[áa]s le[íi]do|sigue leyendo"
    r"|mehr zum thema|lesen sie auch|lesen sie mehr|auch interessant|weiterlesen|siehe auch"
    r"|das k[öo]nnte sie auch interessieren|meistgelesen|verwandte artikel"
    r"|leia tamb[ée]m|leia mais|veja tamb[ée]m|saiba mais|mais lidas"
    r"|leggi anche|leggi di pi[ùu]|potrebbe interessarti|i pi[ùu] letti|vedi anche"
    r"|lees ook|lees meer|meer over dit onderwerp|zie ook|meest gelezen"
    # a video's label: "Bekijk de beelden van de berging op de A6", "Bekijk ook"
    r"|bekijk ook|bekijk (?:hier )?(?:de|het) (?:beelden|video)(?![\w-])"
    r"|czytaj (?:także|też|również|więcej)|zobacz (?:także|też|również)"
    r"|čtěte (?:také|též|více)|přečtěte si (?:také|též)|čítajte (?:aj|tiež)"
    r"|читайте (?:также|також|еще|ещё)|смотрите также"
    r"|ayrıca (?:okuyun|bakınız)|ilgili haberler?|bunlar da ilginizi çekebilir"
    r"|baca juga|baca selengkapnya|berita terkait"
    r"|läs (?:också|även|mer)|læs (?:også|mere)|les (?:også|mer)|relaterte saker"
    r"|citește și|citeste si|διαβάστε (?:επίσης|ακόμη)|olvassa el ezt is"
    r"|preberite (?:tudi|še)|preberi (?:tudi|še)|pročitajte (?:i|još|također|takođe)"
    r"|прочитајте (?:још|и)|прочитај (?:још|уште)|прочетете (?:още|също)|вижте още"
    r"|lasi arī|lasiet arī|taip pat skaitykite|skaitykite taip pat|loe ka|loe lisaks"
    r"|le tamén|lea tamén|llegeix també|llegiu també|lexo (?:edhe|më shumë)|lexoni edhe"
    r"|lestu einnig|lesa (?:meira|einnig)|sjá einnig|darllenwch hefyd|basahin din"
    r"|basahin(?= ?[:|–—])"
    r"|magbasa rin|прочитај(?:те)? (?:повеќе|уште|и)|irakurri (?:ere|gehiago)"
    r"|ასევე წაიკითხეთ|წაიკითხეთ ასევე|կարդացեք նաև|կարդալ ավելին|আরও পড়ুন"
    r"|shuningdek o[‘'ʻ`]?qing|həmçinin oxuyun|сондай-ақ оқыңыз|мөн уншаарай|бас[аы]\s+мэдээ"
    # Hausa, Yoruba, Zulu, Somali, Maltese, Irish, Luxembourgish, Belarusian
    r"|karanta kuma|funda futhi|akhri sidoo kale|aqra (?:wkoll|ukoll)|léigh freisin"
    r"|liest och|чытайце таксама|આ પણ વાંચો|ဆက်စပ်သတင်း|ਇਹ ਵੀ ਪੜ੍ਹੋ|vakio koa"
    # Sardinian, Upper and Lower Sorbian, Friulian, Asturian
    r"|leghe puru|leghe fintzas|čitajće tež|cytajśo teke|lei ancje|llei tamién"
    # Crimean Tatar, Gagauz
    r"|oquñız(?: da)?|oqunız(?: da)?|okuyunuz da"
    # Ossetian, Sakha, Ladino, Manx, Fijian, Oromo, Luganda, Tetum
    r"|ноджы бакӕс|эмиэ ааҕыҥ|melda tambi[eé]n|lhaih myrgeddin|wilika talega|dubbisaa dabalataa"
    r"|soma ne|lee m[oó]s"
    # Chichewa, Setswana, Sesotho, Wolof, Twi
    r"|werengani (?:zina|nso)|werenganinso|bala gape|buisa gape|bala hape|jàngal it|kenkan bio"
    r"|اقرأ (?:أيضًا|أيضا|ايضا)|بیشتر بخوانید|این را هم بخوانید|یہ بھی پڑھیں|مزید پڑھیں"
    r"|あわせて読みたい|関連記事|相关阅读|相关新闻|延伸阅读)(?!\w)",
    re.IGNORECASE,
)
_TEASER_SEP = frozenset(":|»>–—-→")

#: "Click here to read/see/watch ..." call-to-action lines.
CLICK_HERE = re.compile(r"\Aclick here\b", re.IGNORECASE)

#: Share widgets: "Share this:", "Share on Facebook", "Click to share on X".
SHARE = re.compile(
    r"\A(?:click to share on \w{1,20}|share (?:this|on|via|with)\b|share\b|tweet\b|email this"
    r"|print this|pin it|send this)",
    re.IGNORECASE,
)
#: An article's tool bar: "Print Email this story Text size: A A", "Print | Email | A- A+".
_TOOL = (
    r"(?:(?:print|e-?mail|share|save|listen)(?: this(?: story| article| page)?)?(?: to a friend)?"
    r"|printer[- ]friendly(?: version| page)?|back to top|top of (?:the )?page|(?:text|font) size:?"
    r"|a[+-]?)"
)
#: An old page's bar may put each tool in brackets: "[E-mail this story] [Printer-friendly]".
TOOLBAR = re.compile(rf"\[?{_TOOL}\]?(?:[\s|•·/]+\[?{_TOOL}\]?)+", re.IGNORECASE)
#: A section link closing a tool bar: "Print this story | E-mail this story | More Local News".
_TOOLBAR_MORE = re.compile(r"[|•·] ?more(?: \w{1,30}){1,4} ?\Z", re.IGNORECASE)
SOCIAL = frozenset(
    "facebook twitter x whatsapp linkedin telegram email e-mail mail print reddit pinterest "
    "share tweet messenger copy link viber vk tumblr pocket flipboard google+ sms threads "
    "bluesky instagram youtube tiktok".split()
)

#: Subscription and follow prompts.
SUBSCRIBE = re.compile(
    r"\A(?:subscribe|sign up|signup|follow us|like us on|join us on|join our|download (?:our|the)"
    r"|get (?:our|the) (?:[\w'’-]{1,20} ){0,4}(?:newsletters?|briefing|digest|bulletin)"
    r"|stay (?:updated|informed|connected"
    r"|tuned)|never miss|newsletter|get the latest|follow [A-Z][\w.&-]{0,40}(?: [A-Z][\w.&-]{0,40})"
    r"{0,3} on|turn on notifications|support (?:our|independent|local) journalism"
    # "Like Lahore on Facebook, follow … on X": the page's own account on a platform
    r"|like (?-i:[A-Z])[\w.&-]{0,40}(?: (?-i:[A-Z])[\w.&-]{0,40}){0,3} on (?:facebook|instagram)"
    r"(?:,| and| or) (?:follow|join|subscribe)"
    r"|become a member|donate (?:to|now|today)"
    # a news alerts box: "Get breaking news alerts" over "Sign up for texts when news breaks"
    r"|get (?:breaking[- ]news |news |text |e-?mail |push )alerts"
    # "Get Northline in your inbox", "Join the Herald's WhatsApp channel and get …"
    r"|get (?-i:[A-Z])[\w'’-]{0,30}(?: (?-i:[A-Z])[\w'’-]{0,30}){0,2} in your inbox"
    # "Get the day's court stories in your inbox", an app's "Get latest news & live updates …"
    r"|get the (?:[\w'’-]{1,20} ){1,5}in your inbox|get latest (?:news|updates)"
    r"|join the [^.]{0,40}?(?:whatsapp|telegram|signal) (?:channel|group|community)"
    # "Zagros Review is on Telegram. Follow our channel …"; a follow box's label in any
    # language: "Tiverei paWhatsApp: …"
    r"|(?:(?-i:[A-Z][\w'’&.-]{0,30})(?: (?-i:[A-Z])[\w'’&.-]{0,30}){0,3} is|we[’']re|we are)"
    r" (?:now |also )?on (?:telegram|whatsapp|signal|viber)\W{1,3}(?:(?:follow|join|subscribe)"
    r"(?: to)? (?:us|our|the (?:channel|group))\b|click here to join\b)"
    r"|(?!(?:via|by|from|on|in|through|per|using|over|to|at|the)\b)[\w'’-]{2,20} ?\w{0,4}"
    r"(?:whatsapp|telegram|viber)(?=\s?:)"
    # a paywall's offer: "Get full access to The Signal Room from Rs 199 a month. Cancel anytime."
    r"|get (?:full|unlimited|unrestricted|digital|premium|complete) access\b[^.]{0,60}?"
    r"\b(?:for|from|at) (?:just |only )?(?:[$€£₹¥]|rs\.? ?|inr ?|usd ?|eur ?)?\d+"
    # "The full transcript is available to members. Join now"
    r"|(?:the )?full (?:transcript|story|article|episode|interview) is (?:only )?available"
    r" (?:to|for) (?:members|subscribers|paying subscribers)(?=\W{0,3}(?:join|subscribe|sign up"
    r"|become|log in|$)))\b",
    re.IGNORECASE,
)
_SUBSCRIBE_HINT = re.compile(
    r"newsletter|inbox|updates|alerts|channel|subscri|e-?mail|\bapp\b|podcast|youtube|briefing|"
    r"\btexts?\b|\bsms\b|"
    r"cancel any ?time|a month\b|per month\b|a week\b|per week\b|"
    r"telegram|whatsapp|twitter|facebook|instagram|notification|\bour\b|\bfree\b|daily|weekly|"
    r"\bnow\b|\bhere\b|journalism|member|donat",
    re.IGNORECASE,
)
#: The same prompts in the other languages of the news we read, as the imperative addressed to
#: the reader ("Abonnez-vous", "Suscríbase", "Iscriviti", "Participe do canal ... no WhatsApp"):
#: that form is the prompt itself, so no second word is asked for; infinitives and nouns that
#: body sentences use ("S'abonner au Navigo coûtera ...", "Abbonati in calo") are not listed, and
#: the follow prompts need their platform's preposition ("Seguici su", "Síguenos en").
FOREIGN_SUBSCRIBE = re.compile(
    r"\A(?:abonnez-vous|abonnieren sie|jetzt abonnieren|suscr[íi]bete|suscr[íi]base|iscriviti"
    r"|participe (?:do|de) (?:nosso |o )?canal|receba (?:as )?not[íi]cias|ricevi le notizie"
    r"|abonneer (?:je|nu)|word abonnee|meld je aan voor|zapisz się|subskrybuj"
    r"|siga-nos (?:no|nas|em)|seguici su|s[íi]guenos en|suivez-nous sur|folgen sie uns auf"
    r"|obserwuj nas (?:na|w)|soutenez (?:une|notre) (?:rédaction|journalisme|presse|information))"
    r"(?!\w)",
    re.IGNORECASE,
)

#: Follow prompts in the other languages that name no preposition form listed above ("Sigue
#: toda la información de Madrid en Facebook y X"): the imperative, then "on" and a platform,
#: in one clause ("Sigue abierta la investigación sobre los mensajes de WhatsApp" is news).
FOREIGN_FOLLOW = re.compile(
    r"\A(?:sigue|siga|segue|segui|suivez|folgen sie|volg)\b[^.!?]{0,120}?"
    r"\s(?:en|no|na|nos|nas|em|su|sur|auf|op|on)\s(?:el |la |o |a |le |les |the )?"
    r"(?:facebook|instagram|twitter|tiktok|whatsapp|telegram|youtube|linkedin|threads|bluesky"
    r"|x|nuestr[oa] (?:newsletter|bolet[íi]n|canal))\b",
    re.IGNORECASE,
)

#: Widgets in the article's column: a gallery's slide counter ("1 of 8", "Foto 3 de 12"), an
#: inline poll's question ("Poll: Have you ever ...?") and its disclaimer.
SLIDE_COUNTER = re.compile(
    r"\A(?:(?:image|photo|picture|slide|foto|bild|imagen|immagine)s? )?(\d{1,3})"
    r"(?: (?:of|de|von|sur|di|van|av|z|из|з) | ?/ ?)(\d{1,3})\Z",
    re.IGNORECASE,
)
POLL_QUESTION = re.compile(
    r"\A(?:(?:quick|reader|readers'?|our|today'?s) )?(?:poll|vote|umfrage|sondage|encuesta"
    r"|enquete|sondaggio|peiling|ankieta) ?[:|–—] ?[^?]{3,200}\?\Z",
    re.IGNORECASE,
)
POLL_NOTE = re.compile(
    r"\(?(?:(?:this|the|these) )?(?:(?:poll|survey)(?: results)? (?:is|are) not scientific"
    r"|(?:is|this is) not a scientific (?:poll|survey))\.?\)?",
    re.IGNORECASE,
)

#: A public page's feedback widget: "Was this page helpful?" (with its "Yes No" buttons), "War
#: diese Seite hilfreich?", "Cette page vous a-t-elle été utile ?", "¿Le resultó útil esta página?".
PAGE_FEEDBACK = re.compile(
    r"(?:(?:was|is) this (?:page|article|information|content|answer|post) (?:helpful|useful)"
    r"|did you find (?:this|what you were looking for)\b.{0,30}"
    r"|(?:war|ist) diese (?:seite|information) hilfreich"
    r"|cette (?:page|information) (?:vous )?a-t-elle été utile"
    r"|¿?(?:le|te) (?:ha )?resultó útil (?:esta|la) (?:página|información)"
    r"|¿?(?:esta|la) (?:página|información) (?:le|te) (?:ha )?resultó útil"
    r"|is deze (?:pagina|informatie) nuttig|questa pagina (?:è|ti è) stata utile)"
    r" ?\?(?:[\s|/]*(?:yes|no|ja|nein|oui|non|sí|si|nee)\b){0,2}\.?",
    re.IGNORECASE,
)
#: A typo-report widget: "Pamanīji kļūdu? Iezīmē tekstu un nospied Ctrl+Enter", "Нашли ошибку?
#: Выделите текст и нажмите Ctrl+Enter", "Found a typo? Select it and press Ctrl+Enter".
ERROR_REPORT = re.compile(r"\bctrl ?\+ ?enter\b", re.IGNORECASE)
#: A press release's end mark, alone on its line: "-30-", "- 30 -", "###", "-ends-", "ENDS".
END_MARK = re.compile(
    r"-{1,2} ?(?:30|[Ee]nds?|END|ENDS) ?-{1,2}|# ?# ?#|\*{0,3} ?ENDS ?\*{0,3}"
    r"|(?i:end of (?:the )?(?:article|story)\.?)"
    # a news agency's: Persian agencies' "انتهای پیام/" ("end of message"), and the desk and
    # editor codes their English services print, "/3321/ 2945"
    r"|(?:انتهای پیام|پایان پیام|پایان خبر)\s?/?(?:\s?\d{1,6}\s?/?){0,3}"
    r"|/\s?\d{3,6}\s?/\s?\d{3,6}\s?/?"
)
#: A release's label and its number alone on their lines: "FOR IMMEDIATE RELEASE", "Press
#: Release No. KCSDB/PR/2011/37", "No. PR-2026-071 | Dated: 14-07-2026" (no labelled set keeps
#: them: seven releases of seven sets).
_RELEASE_CODE = r"[\w/.-]{0,30}\d[\w/.-]{0,30}"
#: A release number's or label's date after a separator: "| Dated: 14-07-2026", "– 14 July 2026".
_RELEASE_DATED = (
    r"(?:\s{0,3}[|·•,–—-]\s{0,3}(?:(?:dated|date|issued)\s?:?\s?)?"
    r"(?=[\w ,./-]{0,30}(?:(?:19|20)\d\d|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}))[\w ,./-]{4,30})?"
)
RELEASE_LABEL = re.compile(
    r"(?:for immediate release|(?:press|news|media) release)"
    rf"(?:\W{{0,3}}|\s?(?:(?:no\b\.?|number|nr\b\.?|ref\b\.?)\s?:?\s?|#\s?)?{_RELEASE_CODE})"
    rf"{_RELEASE_DATED}"
    # without the label, a reference code with a capital letter, a slash or digits on both sides
    # of a dash ("No. PR-2026-071", "Ref: KCSDB/37", "Release No. 24-031"), not a ranking's
    # "No. 10" or "No. 1-ranked", nor "Nov-2019"
    r"|(?:release )?(?:no\b\.?|nr\b\.?|ref\b\.?)\s?:?\s?"
    r"(?=[\w.-]{0,30}/|[\w./-]{0,30}\d[/-]\d|(?-i:[\w./-]{0,30}[A-Z]))"
    rf"{_RELEASE_CODE}{_RELEASE_DATED}",
    re.IGNORECASE,
)

#: A pager between a story's pages or the site's stories, alone on its line: "< Prev Next >",
#: "« Previous | Next »", "← Older posts Newer posts →".
PAGER = re.compile(
    r"(?:[<>«»‹›←→|\s-]{0,6}(?:prev(?:ious)?|next|older|newer)"
    r"(?: (?:page|article|story|post|entry|posts|entries|stories|articles))?"
    r"[<>«»‹›←→|\s-]{0,6}){1,2}",
    re.IGNORECASE,
)
#: An old CMS's counter of the article's readers alone on its line: "Hits: 1382", "Views: 2,417",
#: Joomla's language packs ("Zugriffe: 1382", "Visite: 214"); two digits at least, so a box
#: score's "Hits: 9" stays.
HIT_COUNTER = re.compile(
    r"(?:hits|views|reads|visits|read|zugriffe|visitas|visite|affichages|просмотров|wyświetleń"
    r"|odsłon|bekeken)\s?:\s?[1-9][\d,.]{0,12}\d"
    # Drupal's node links: "638 reads" (a list item of its own beside "Add new comment")
    r"|(?:[-*•] )?[1-9][\d,.]{0,12} (?:reads|views)",
    re.IGNORECASE,
)
#: An old player's notice: "Requires Adobe Flash Player", "You need Flash to watch this video".
FLASH_PLAYER = re.compile(
    r"\b(?:requires?|need|install|get|upgrade|download|enable)"
    r"(?: to (?:install|upgrade|download|enable))? (?:the )?(?:latest )?(?:version of )?(?:your )?"
    # the player named, or "Flash" followed by what it is for: "need flash flood warnings",
    # "requires flash or a tripod", "low-light shots require flash." are a story's
    r"(?:adobe flash(?: player)?|flash (?:player|plug-?in)|flash(?= to (?:view|watch|play|see)\b))"
    r"|\b(?:adobe )?flash player (?:is|must be) (?:required|needed|installed|enabled)\b",
    re.IGNORECASE,
)
#: A photo gallery's link label: "Bildergalerie: Der Markt 2026 (6 Bilder)", "Photo gallery:
#: ...", "Fotogalerie: ...", or any short line ending with its number of pictures "(12 photos)".
GALLERY_LABEL = re.compile(
    r"(?:(?:photo ?|picture |image )?gallery|bildergalerie|fotogalerie|fotostrecke|galerie photos?"
    r"|galer[íi]a(?: de fotos| fotogr[áa]fica)?|galleria(?: fotografica)?|fotogaleria|fotogalerij"
    r"|fotoserie)\s?[:|–—-]"
    r"|.{1,140}\(\d{1,3} (?:photos|pictures|images|bilder|fotos|foto|immagini|zdjęć|zdjęcia"
    r"|afbeeldingen)\)\s?\Z",
    re.IGNORECASE,
)
#: A video's running time alone on its line, as players print it under the title.
MEDIA_DURATION = re.compile(r"\((?:\d{1,2}:)?\d{1,2}:\d{2}\)|(?:\d{1,2}:)?\d{1,2}:\d{2}")
#: The teaser keywords of an embedded video's title, which its running time may follow.
VIDEO_TEASER = re.compile(_VIDEO_LABEL, re.IGNORECASE)
#: Teaser keywords that are a label only: alone on their line or before a separator, never
#: before free text ("Más información sobre las ayudas" is a section heading).
#: "Okuyunuz da anlayınız, diye uyardı bakan" ("read it and understand, the minister warned"):
#: the Crimean Tatar and Gagauz "read also" are also the imperative of a sentence, so they are
#: teasers only before a separator.
_LABEL_ONLY = re.compile(
    r"m[áa]s informaci[óo]n|(?:oquñız|oqunız)(?: da)?|okuyunuz da|soma ne|lee m[oó]s"
    r"|te recomendamos",  # "Te recomendamos estos cinco destinos" is a subhead
    re.I,
)
#: Of those, the imperatives: a header alone on its line only with its colon ("Oquñız:"; a
#: line "Oqunız." is a sentence).
_IMPERATIVE_LABEL = re.compile(r"(?:oquñız|oqunız)(?: da)?|okuyunuz da|soma ne|lee m[oó]s", re.I)

#: "About <Name>" headers that open an outlet promo or an author box.
ABOUT = re.compile(r"\Aabout (.{1,80})", re.IGNORECASE)
AUTHOR_NAMES = frozenset(
    {"admin", "administrator", "the author", "author", "the writer", "writer", "the reporter",
     "editor", "the editor", "staff", "webmaster", "the contributor", "the authors", "webdesk",
     "web desk", "news desk", "editorial team", "editorial staff"}
)  # fmt: skip
_OUTLET_WORDS = re.compile(
    r"\b(?:platform|website|web ?site|news|agency|outlet|portal|publication|magazine|newspaper"
    r"|media|site|organi[sz]ation|network|independent|blog|channel|broadcaster|journal|daily"
    r"|weekly|think tank|we)\b",
    re.IGNORECASE,
)
_BIO_WORDS = re.compile(
    r"\b(?:journalist|reporter|writer|correspondent|editor|author|covers|has written|based in"
    r"|graduate|contributor|columnist|freelance|he|she|his|her|they|their|studied|analyst"
    r"|researcher|fellow|professor|holds a)\b",
    re.IGNORECASE,
)

#: The words for a newsroom's people, in the languages of the news we read: what an author's
#: bio at the foot of an article says its person is.
_ROLE = (
    r"(?:reporter(?:ka)?|journalist(?:in)?|correspondent|editor|writer|columnist|redakteur(?:in)?"
    r"|korrespondent(?:in)?|giornalista|redattore|redattrice|corrispondente|journaliste"
    r"|r[ée]dact(?:eur|rice)|correspondante?|periodista|redactor(?:a)?|corresponsal|jornalista"
    r"|rep[óo]rter|redacteur|verslaggever|dziennikar(?:z|ka)|wartawan|jurnalis)"
)
#: A person's name: two to four capitalised words, with the particles of names between them.
_PERSON = r"[A-ZÀ-Þ][\w'’-]{1,30}(?: (?:[A-ZÀ-Þ][\w'’-]{1,30}|de|van|von|der|da|di|del|la|le)){1,3}"
#: A bio that opens with its person's name and what they are or cover: "Jane Roe is a reporter
#: at the Herald.", "Kerstin Haubold ist Redakteurin in der Lokalredaktion Görlitz.", "Ana
#: Ruiz es periodista", "Jane Roe covers city hall".
TAIL_BIO = re.compile(
    # not "The Commission reports on …", "Prime Minister Jane Doe was a journalist …": a bio
    # speaks of its person by name alone, in the present tense
    r"(?!(?:The|Le|La|Les|Der|Die|Das|El|Los|Il|Lo|De|Het|Prime|President|Minister|Mayor"
    r"|Senator|Governor|King|Queen|Pope|Judge|Chief|Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady"
    r"|Father|Rev)\b)"
    rf"{_PERSON}"
    r" (?:(?:is|ist|è|est|es|é|jest|adalah)\b(?: \w{1,20}){0,4}? "
    rf"(?i:{_ROLE})\b|(?:covers|writes about|reports on|schreibt über|scrive di|couvre|cubre)\b"
    # "Niamh Carrick is a former primary school principal. She writes a fortnightly column on
    # education.": what the person is, then the column they write
    r"|(?:is|was) [^!?]{3,100}?\. (?:(?:He|She) (?:writes|contributes|pens)|They (?:write"
    r"|contribute)) (?:a |an |the )?(?:[\w-]{1,20} ){0,3}(?:column|blog|newsletter)\b)",
)
#: A bio under an opinion piece that names its author by role: "The writer is an
#: environmental engineer who teaches …", "The author is a former public school teacher …".
WRITER_BIO = re.compile(
    r"\A[(*_ ]{0,3}(?:the )?(?:writer|author|columnist|contributor)s? (?:is|are|was) (?:a|an|the"
    r"|former|currently|based|professor|(?-i:[A-Z]))\b",
    re.IGNORECASE,
)
#: What makes such a line the story's: its speaker, or a suspect's news.
WRITER_NEWS = re.compile(
    r"\b(?:said|says|police|arrested|charged|accused|suspect|court|publisher said)\b", re.IGNORECASE
)
#: A bio line that opens with the role, under a line with the name: "Giornalista, si occupa di
#: cultura e di città."
ROLE_FIRST = re.compile(rf"{_ROLE}(?=[,:]| )", re.IGNORECASE)  # not "Editor's note"
#: A line that is a person's name and nothing else, as an author box heads its bio.
PERSON_LINE = re.compile(_PERSON)

#: Other promotional lines: copyright notices, ads, "originally appeared on" notes.
PROMO = re.compile(
    r"(?:copyright\b|©|\(c\) \d{4}|all rights reserved|advertisement\b|advertisment\b"
    r"|sponsored(?: content| post)?\b|this (?:article|story|post|piece)"
    r" (?:was |first |originally ){0,2}(?:appeared|published|ran)"
    r"|(?:first|originally) published (?:on|in|by|at (?:https?://|www\.|[\w-]{2,40}\.[a-z]{2,10}"
    r"\b|(?-i:(?:The )?[A-Z][\w'’&-]*(?: [A-Z][\w'’&-]*){0,3})\.?\Z))"
    # a letters page's rules: "Letters should be brief and include the writer's full name …",
    # and a company blog's closing pitch: "We're hiring! If problems like this sound like fun …"
    r"|\A(?:all )?letters (?:to the editor )?(?:should|must|may) (?:be|include|not)\b"
    r"(?=[^.]{0,200}\b(?:name|address|telephone|phone|words|length|edit|shorten)\b)"
    r"|\A(?:psst[.!,]? )?(?:we[’']re|we are) hiring ?[!.:—–-](?=.{0,200}?\b(?:roles?|jobs?"
    r"|careers?|positions?|openings?|vacancies|join (?:us|our team|the team)|apply)\b)"
    # a magazine's note on its print issue: "This story appears in the Winter 2026 issue of
    # Hinterland. Subscribe …", "This piece appears in Issue 14 of The Long Acre Review."
    r"|\A(?:editor[’']s note:\s?)?this (?:article|story|piece|essay|feature|review|interview"
    r"|column|report) (?:appears|appeared|will appear|ran|runs) in (?:issue (?:no\.? )?\d{1,4}"
    r"|(?:the |our )?(?:(?:spring|summer|autumn|fall|winter|holiday|january|february|march"
    r"|april|may|june|july|august|september|october|november|december)(?:[/–-]\w+)?"
    r"(?: \d{4})?|\d{4}) (?:print )?(?:issue|edition)|(?:the |our )?print edition|print)\b"
    # an ad's label set between paragraphs: "Story continues below", "Article continues after
    # this advertisement" (with "advertisement" the line is an ad's anyway)
    r"|\A(?:the )?(?:story|article|text) continues (?:below|after (?:the |this )?ad)\W{0,3}\Z"
    r"|republished (?:here )?with (?:the )?(?:kind )?permission"
    r"|reprinted (?:here )?with (?:the )?(?:kind )?permission"
    # an affiliate disclosure: "We may earn a commission if you buy through links on this page"
    r"|(?:may|might|could) (?:earn|receive|get) (?:a )?(?:small )?(?:affiliate )?commission"
    r"[^.]{0,80}?\b(?:links?|you (?:buy|book|click|shop|purchase|subscribe))\b"
    r"|contains? affiliate links"
    r"|\Awhen you (?:buy|shop|purchase) (?:something )?(?:through|via|using) (?:our |the )?"
    r"(?:retail )?links\b"
    r"|\b(?:through|via|using) (?:our |the |these )?(?:retail |affiliate )?links?"
    r"(?: on (?:our|this|the) (?:site|page|website))?,? we (?:may|might"
    r"|could) (?:earn|receive|get) (?:a |an )?(?:small )?(?:affiliate )?commission"
    # a science wire's foot: "Citation: <title> (2025, June 3) retrieved 7 June 2025 from
    # https://…", "This document is subject to copyright. Apart from any fair dealing …"
    r"|\Acitation:.{0,300}?\bretrieved\b.{0,40}?\bfrom\s+https?://"
    # a corrections page's note on how to send one: "Corrections can be reported by emailing …"
    r"|\A(?:corrections|errors|mistakes) (?:can|may|should) be (?:reported|sent|submitted)\b"
    r"(?=[^@]{0,200}@)"
    # a podcast page's episode label and its credits: "Season 6 · Episode 142", "Produced by
    # … . Sound design by … . Music by …"
    r"|\A(?:season|series) \d{1,3} ?[·|•,–-] ?(?:episode|ep\.?) \d{1,4}\Z"
    r"|\A(?:[\w'’&-]{1,30}(?: [\w'’&-]{1,30}){0,4} (?:is|was) )?produced by [^.]{1,80}\."
    r" (?:sound design|music|mixed|mixing|editing|edited|engineered"
    r"|executive produc\w+|theme music|artwork)\b"
    r"|\Athis (?:document|article|story|material) is subject to copyright"
    # a science wire's source note: "Materials provided by the X Institute. Note: Content may
    # be edited for style and length." (the note alone too)
    r"|\A(?:story source:? )?materials? (?:provided|supplied) by [^.]{1,120}\. note: content"
    r" may be edited\b|\Anote: content may be edited for (?:style|length)\b"
    # an Indian portal's line under every story: "Catch all the latest Nashik news … on …"
    r"|\Acatch (?:all )?the latest\b[^.]{0,120}\b(?:news|updates)\b[^.]{0,80}\bon\b"
    # "(What's moving markets? Catch all the business news and updates on The … Times.)"
    # the line ends at the outlet's name, two capitalised words or one in capitals: "Catch all
    # the news on BBC Radio 4 every morning, she says" and "... banned on Friday." are a story's
    r"|\A\(?(?:[^.?!()]{1,60}\? )?catch all the (?:[\w-]{1,20} ){0,2}news\b[^.]{0,80}\bon"
    r"(?:(?: (?-i:[A-Z0-9][\w&'’-]{0,30})){2,6}| (?-i:[A-Z0-9]{2,10}))\.?\)?\Z"
    # a release wire's page: "News provided by", "You just read:", "Also from this source"
    r"|\A(?:news provided by|you just read:?|also from this source)\Z"
    # the wire's sign-off under a release: "SOURCE Corvane Systems" (the word in capitals)
    r"|\A(?-i:SOURCE [A-Z])[\w&.,'’ -]{1,60}\Z"
    # a betting ad's small print: "New customers only. T&Cs apply. Please gamble responsibly."
    r"|t ?& ?cs? apply|please gamble responsibly|begambleaware"
    # a disclaimer under the text: "The NSB is not responsible for the content of external sites",
    # a partner piece's "The Cape Herald's editorial team was not involved in its creation"
    r"|not responsible for the content of (?:external|other|third[- ]party|linked)"
    r" (?:internet )?(?:sites|websites|web sites|pages|links)"
    # a comment box's notice: "Comments are moderated. The Herald is not responsible for
    # readers' views."
    r"|\Acomments are (?:pre-?)?moderated(?:\.|\Z)"
    r"|\A[^,;]{0,60}\bis not responsible for (?:the )?(?:readers?|users?|commenters?)['’]?"
    r" (?:views|comments|opinions)\.?\Z"
    r"|(?:editorial|newsroom|news) (?:team|staff|department|desk)s? (?:was|were|had) not involved"
    # a funder's note: "Reporting for this story was supported by a fellowship from …",
    # "… retains full editorial control"
    r"|\Areporting for this (?:story|article|report|series) (?:was|is) (?:supported|funded"
    r"|made possible|underwritten) (?:in part )?by"
    # "This investigation was supported by a reporting grant from …"
    r"|\Athis (?:story|article|investigation|report|series|project|reporting|piece)"
    r" (?:was|is) (?:supported|funded|made possible|underwritten) (?:in part )?(?:by|through)"
    r" (?:a |an )(?:reporting |journalism |research |media )?(?:grant|fellowship)\b"
    # "This project is supported by the Northern Lights Foundation and individual donors.", the
    # whole line a funder's credit (a story's "This project is funded by a $40m grant …,
    # officials said" goes on)
    r"|\Athis (?:story|article|report|reporting|series|investigation|coverage)"
    r" (?:was|is) (?:(?:generously|partly) )?(?:supported|funded|made possible|underwritten)"
    r" (?:in part )?by (?:the )?(?-i:[A-Z])[^.;!?,]{0,100}\b(?:foundation|fund|trust|donors"
    r"|readers|members)\b[^.;!?,]{0,80}\.?\Z"
    # a project's only with its donors: "This project is supported by the Northern Lights
    # Foundation and individual donors." (a restored mill "funded by the Heritage Fund" is news)
    r"|\Athis (?:project|work) (?:was|is) (?:(?:generously|partly) )?(?:supported|funded|made"
    r" possible) (?:in part )?by (?:the )?(?-i:[A-Z])[^.;!?,]{0,100}\b(?:donors|readers"
    r"|members)\b[^.;!?,]{0,80}\.?\Z"
    # a correspondent's credit whose name is withheld: "This report was produced by a Chronicle
    # correspondent inside Afghanistan whose name is withheld for safety reasons."
    r"|\Athis (?:report|story|article) was (?:produced|written|reported|filed) by (?:a|an|our"
    r"|the) [^.!?]{0,80}\b(?:correspondent|reporter|journalist|contributor)s?\b[^.!?]{0,80}"
    r"\b(?:withheld|anonymous|not (?:being )?named|unnamed)\b[^.!?]{0,60}\.?\Z"
    # a letters page's ask under an editorial: "Have your say: write to letters@…"
    r"|\Ahave your say\s?[:,–—-]\s?(?:write|e-?mail|send|comment|tell)\b"
    # a tip ask in Dutch and German: "Heb jij een tip?", "Heb je iets gezien of meegemaakt?
    # Stuur je tip …", "Haben Sie einen Hinweis?"
    r"|\A(?:heb (?:jij|je|u) (?:een )?(?:(?:nieuws)?tip|vraag)|hebt u (?:een )?(?:nieuws)?tip"
    r"|(?:hast du|haben sie) (?:einen )?(?:hinweis|tipp|themenvorschlag))\s?\?\Z"
    r"|\A(?:heb (?:jij|je)|hebt u) iets (?:gezien|meegemaakt|gehoord)[^?]{0,40}\?\s?(?:stuur"
    r"|mail|app|tip|laat)\b[^.?!]{0,80}\b(?:ons|onze|redactie|whatsapp|tipspagina|tiplijn)\b"
    # a German broadcaster's note of the programme the story ran in: "Dieses Thema im Programm:"
    r"|\Adieses thema im programm\s?:?\Z"
    # "Spotted an error? Contact our corrections desk.", "See a mistake? Let us know"
    r"|\A(?:spot|spotted|found|see|seen|notice|noticed) (?:an? )?(?:error|mistake|typo"
    r"|factual error|something wrong)(?: in (?:this|the) (?:article|story|report))?\?\s?"
    r"(?:contact|let us know|e-?mail|tell us|report it|send|write|click|please)\b"
    # a site's reprint rule: "Reprinting of materials is permitted only with an active
    # hyperlink to …", "Reproduction of content without permission is prohibited"
    r"|\A(?:any )?(?:re-?printing|reproduction|republi(?:cation|shing)|copying|full or partial"
    r" use) of (?:the )?(?:site[’'s]* )?(?:materials?|content|articles?|texts?)\b[^.]{0,60}"
    r"\b(?:(?:permitted|allowed) (?:only )?with|only with (?:an? )?(?:active )?(?:hyper)?link"
    r"|without (?:prior )?(?:written )?(?:permission|consent)"
    r"|(?:is|are) (?:strictly )?(?:prohibited|forbidden)(?: without [^.]{1,60})?\.?\Z)"
    r"|\Aперепечатка (?:материалов|статей)\b[^.]{0,60}(?:ссылк|разрешени|согласи|запрещен)"
    r"[^.,]{0,20}\.?\Z"
    r"|retains? (?:full |complete |sole )?editorial (?:control|independence|responsibility)"
    r"|(?:is|are) solely responsible for (?:its|the|this|their) (?:editorial )?content"
    # a health page's review stamp: "Last medically reviewed on February 11, 2020"
    r"|\A(?:last )?medically reviewed (?:on|by)\b"
    # a consent banner's sentence left in the text: "We use cookies to …", "This website uses
    # cookies …", "By clicking any link on this page you are giving your consent …"
    r"|\A(?:we (?:use|place|set)|this (?:web ?site|site|page) (?:uses|places|stores)"
    r"|our (?:web ?site|site) uses|wir verwenden|diese (?:web ?)?seite verwendet"
    r"|nous utilisons(?: des)?|ce site utilise(?: des)?|utilizamos|usamos"
    r"|este sitio(?: web)? utiliza|utilizziamo(?: i)?|questo sito(?: web)? utilizza(?: i)?"
    r"|wij gebruiken|deze (?:web ?)?site gebruikt|używamy(?: plików)?) (?:\w+ ){0,2}cookies?\b"
    r"|\Aby (?:continuing to (?:use|browse)|clicking|using|browsing) (?:this|our|the)"
    r" (?:web ?site|site|page)\b[^.]{0,120}\b(?:cookies|consent)\b"
    # an obituary's flower-shop widget: "To send flowers to the family … visit our floral store",
    # "Send flowers to the service of Ruth …", and its buttons "Send Flowers  Plant a Tree"
    r"|\A(?:to )?(?:send|order) flowers to the (?:family|service)\b"
    r"|\A(?:send flowers|plant (?:a )?trees?|share (?:a )?memor(?:y|ies)|sign (?:the )?guest ?book)"
    r"(?:[\s|•·]{1,5}(?:send flowers|plant (?:a )?trees?|share (?:a )?memor(?:y|ies)"
    r"|sign (?:the )?guest ?book)){1,3}\Z|\A(?:send|shop) flowers\Z"
    # the IAB consent text: "The Terrace and our partners store and access information on your
    # device, such as cookies, to personalise ads …"
    r"|\A[^.]{0,60}\band (?:our|its|their) (?:\d{1,4} )?(?:partners|vendors) (?:store|use|process"
    r"|access)\b[^.]{0,120}\bcookies\b"
    # a health page's disclaimer: "… is not a substitute for professional medical advice"
    # (and "… is not a substitute for advice from your GP or another qualified health professional")
    r"|\bnot (?:intended (?:to be |as )?)?a substitute for (?:(?:professional )?medical advice\b"
    r"|(?:the )?(?:professional )?advice (?:of|from) (?:your|a|an) (?:own )?(?:doctor|gp|physician"
    r"|pharmacist|qualified|health))"
    # a nonprofit newsroom's republishing note: "Our stories may be republished free of charge
    # under a Creative Commons license.", its button "Republish this story"
    r"|\A(?:our|this|these|all (?:of )?our) (?:stories|story|articles?|content|reporting)"
    r" (?:may|can) be republished\b[^.]{0,80}\b(?:creative commons|free(?: of charge)?|licen[cs]e"
    r"|attribution|credit|guidelines|terms)\b|\Arepublish (?:this|our) (?:story|article)\Z"
    # a market page's: "… does not provide investment advice. Data may be delayed."
    r"|\b(?:(?:is|are) not|does not (?:provide|offer|give|constitute)|not (?:be )?(?:construed|"
    r"considered|taken) as) (?:financial or |personal )?investment advice\b"
    # a photo agency's terms under its pictures: "Editorial use only. Images may not be used …"
    r"|\Aeditorial use only(?:[.:]|\Z)"
    # an opinion page's disclaimer: "The views expressed in this commentary are those of the
    # authors and do not necessarily reflect …", "Views expressed are the writer's own."
    # "The views expressed in MIAS commentaries are those of the author."
    r"|\A(?:the )?(?:views?|opinions?)(?: and opinions?)? expressed in (?:[\w'’-]{1,20} ){1,3}"
    r"(?:are|is) (?:solely )?those of the (?:authors?|writers?|contributors?)[.!]?\Z"
    r"|(?:\A|(?<=[.!?] ))(?:(?:the )?(?:views?|opinions?)(?: and opinions?)? expressed"
    r" (?:in this [\w-]{1,20}"
    r"(?: [\w-]{1,20})? |here(?:in)? |by (?:the )?(?:authors?|writers?|contributors?)"
    r"(?: (?:in|on|of) this (?:section|page|column|site|blog|space))? )?(?:are|is)"
    r" (?:solely )?(?:those of the|the (?:authors?|writers?|columnists?|contributors?)['’]s?"
    r"|(?:his|her|their) own|the author)"
    # "Columns reflect the views of their authors, not necessarily those of the Post." (one
    # look behind at each place for both)
    r"|(?:columns?|opinion (?:pieces?|columns?)|commentar(?:y|ies)|op-eds?"
    r"|letters(?: to the editor)?) (?:reflect|represent|express) (?:only )?the (?:views?|opinions?)"
    r" of (?:their|the|its) (?:authors?|writers?)(?:,? (?:and )?not (?:necessarily )?(?:those|the"
    r" views?) of [^.!?]{1,60})?)"
    # AdSense's own label, and a paper's print-edition note: "Published in Dawn, June 12th, 2022"
    r"|\Aads by google\Z"
    # a letters page's note on how to send one, with the address: "Write to us: Letters should
    # be no longer than 250 words … Send them to letters@…"
    r"|\Awrite to us ?[:.–-] (?=[^@]{0,300}@)"
    # a data story's download link: "Download the data (CSV)", "Get the data"
    r"|\A(?:download|get) (?:the |this |our )?(?:full |raw )?(?:data(?:set)?|data set"
    r"|chart data|spreadsheet)(?: \(?(?:csv|xlsx?|json|pdf)\)?)?\.?\Z"
    # (with a comma the day is an ordinal: "Published in Nature, March 3, 2021." cites a paper),
    # and an obituary's paper: "Published in Amandala View on Oct. 12, 2017.", "… from Dec. 1
    # to Dec. 2, 2026."
    r"|\Apublished in (?-i:[A-Z])[^,]{1,50}, [a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th),?"
    r" (?:19|20)\d\d\.?\Z"
    r"|\Apublished in (?-i:[A-Z])[^,]{1,50}? (?:on|from) [a-z]{3,9}\.? \d{1,2}"
    r"(?:st|nd|rd|th)?(?: to [a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?)?,? (?:19|20)\d\d\.?\Z"
    # a newsletter box's blurb: "Our football newsletter, … every weekday morning.", "The day's
    # biggest stories …, in your inbox every weekday morning." (a sentence about someone's
    # newsletter, "Her newsletter reaches 40,000 readers every day.", does not open so)
    r"|\A[\w'’&-]{1,20}(?: [\w'’&-]{1,20}){0,3}, in your inbox\Z"  # "Wordhoard, in your inbox"
    r"|\A(?:our [\w'’-]{1,20}(?: [\w'’-]{1,20})? newsletter,"
    r"|the (?:day|week|morning|evening)['’]s\b)"
    r"[^.]{0,160}\bevery (?:week)?day\b[^.]{0,20}\.?\Z)",
    re.IGNORECASE,
)

#: Tag and category lists, and "Leave a comment" widgets (navigation, not body).
NAV = re.compile(
    r"\A(?:tags?|topics?|filed under|categories|category|posted in|keywords)\s?:", re.IGNORECASE
)
COMMENTS = re.compile(
    r"\A(?:leave a (?:comment|reply)|post a comment|\d{1,6} comments?|comments?|add comment"
    # Drupal's node links: "Add new comment", "Log in to post comments"
    r"|add (?:a )?new comment|log ?in (?:or register )?to post comments"
    r"|show comments|view comments|join the (?:conversation|discussion))\b",
    re.IGNORECASE,
)

#: The header of a comment section that says it is one: a count ("12 Comments", "Comentarios
#: (3)"), a call to comment, in the languages of the news we read. Everything after it is the
#: readers' words (`clean._comments_tail`); a bare "Comments" subheading is not enough.
COMMENTS_HEADER = re.compile(
    r"\A(?:(?:\d{1,6}|one|no) (?:comments?|comentarios?|commentaires?|kommentare?|coment[áa]rios?"
    r"|commenti|reacties|yorum(?:lar)?|responses?|replies|thoughts)"
    r"|(?:comments?|comentarios?|commentaires?|kommentare?|coment[áa]rios?|commenti|reacties"
    r"|yorum(?:lar)?|reader comments|readers[’']? comments|responses"
    # Basque, Georgian, Armenian, Tagalog, Urdu, Bengali, Macedonian and Serbian, Albanian,
    # Fijian, Tetum
    r"|iruzkinak|კომენტარები|մեկնաբանություններ|mga komento|تبصرے|মন্তব্য|коментари"
    r"|komente|vakamacala|koment[áa]riu"
    # Russian, Ukrainian, Polish, Czech, Nordic, Finnish, Hungarian, Greek, Arabic, Persian
    r"|комментарии|коментарі|komentarze|koment[áa]ře|kommentarer|kommentit|hozzászólások"
    r"|σχόλια|التعليقات|تعليقات|نظرات|دیدگاه‌ها) ?\(\d{1,6}\)"
    r"|leave a (?:comment|reply)|laissez un commentaire|deja (?:un|tu) comentario"
    r"|schreiben sie einen kommentar|para comentar debes estar registrad[oa])"
    # the whole line: trailing punctuation, or WordPress's ' on "Title"' / ' to "Title"'
    r"(?:\W{0,3}|\s+(?:on|to|sur|zu|en|a)\s+[\"“«„'‘].{0,150})\Z",
    re.IGNORECASE,
)
#: A numbered comments header that the extractor ran together with the comments under it, the
#: first commenter's name and a colon after it (an old table layout's `<b>Reader comments
#: (3)</b><br>Ramesh K., Kothrud: …` read as one line): the name is one to four capitalised
#: words; "Comments (3) from the minister: none were helpful" is a sentence.
COMMENTS_LEAD = re.compile(
    r"\A(?:reader comments|readers[’']? comments|comments?|comentarios?|commentaires?|kommentare?"
    r"|coment[áa]rios?|commenti|reacties|yorum(?:lar)?) ?\(\d{1,6}\) "
    r"(?-i:[A-ZÀ-Þ])[\w.'’-]{0,20}(?:,? (?-i:[A-ZÀ-Þ])[\w.'’-]{0,20}){0,3}: \S",
    re.IGNORECASE,
)
#: An embedded post's attribution, the last line of a tweet embed: "— Name (@handle) October
#: 20, 2024".
EMBED_ATTRIBUTION = re.compile(r"\A[—–] ?[^()\n]{1,80}\(@\w{1,30}\) ?(.{4,40})\Z")
#: A photo platform's embed: "A post shared by Inner West Renters (@innerwestrenters) on Oct
#: 19, 2019 at 2:11pm PDT" under the post, "View this post on Instagram" over it.
SHARED_BY = re.compile(
    r"\Aa (?:post|photo|video|reel) shared by [^()\n]{1,80}\(@[\w.]{1,30}\)(?: on .{4,60})?\Z",
    re.IGNORECASE,
)
VIEW_POST_ON = re.compile(
    r"\Aview (?:this|the full) (?:post|photo|video|reel|profile) on [\w .]{2,30}\Z", re.IGNORECASE
)

#: A name in a photo credit: capitalised, after a lower-case particle ("al-Busaidi", "van Dijk").
_PHOTO_CREDIT_NAME = (
    r"(?-i:(?:(?:al|el|de|da|del|van|von|der|den|bin|ibn|du|la|le|di|dos|das)[- ])?"
    r"[A-ZÀ-ÞĀ-ſА-ЯЁ][\w'’.-]*)"
)
#: Photo captions by their opening words ("Photo:", "File photo", "Image:", "Pictured:").
CAPTION_PREFIX = re.compile(
    r"\A(?:[-*•] )?(?:(?:photo(?:graph)?(?: credit)?|picture|pictured|image(?: credit)?|caption"
    r"|file ?photo|file picture|file image)(?: ?[:|–—-]| by\b)"
    # plural credits, as a list's item too ("- Photos: Hilal al-Busaidi"), before names or a
    # few words ("Photos: supplied", "Photos by staff"): "Photographs by Dorothea Lange, on loan
    # from …, fill the gallery" and a checklist's "- Photos: two recent passport-size pictures,
    # taken within the last six months" are sentences
    r"|(?:[-*•] )?(?:photo(?:graph)?s|pictures|images)(?: credits?)?(?: ?[:|–—-] ?| by )"
    rf"(?:{_PHOTO_CREDIT_NAME}(?:(?:,? and |, | & | ?/ ?| ){_PHOTO_CREDIT_NAME}){{0,11}}\.?\Z"
    r"|(?:[^\s.!?]+ ){0,6}[^\s.!?]+\.?\Z)"
    r"|file ?photo\b|image copyright\b|photo courtesy\b"
    # a broadcaster's hidden labels read aloud before a caption or a credit: "Image caption,
    # Families leave …", "Media caption, Watch: …", "Image source, Getty Images"
    r"|(?:image|media|video) (?:caption|source), (?-i:[A-Z0-9])"
    # a chart's or map's credit with its data source: "Chart: Field & Forecast; data: …"
    r"|(?:chart|graphic|map|infographic|graph)s?(?: by)? ?: ?[^.;|]{1,60}[;|] ?"
    r"(?:data|sources?) ?:)",
    re.IGNORECASE,
)
#: Photo credits closing a caption: "(AFP)", "(Reuters/Jane Doe)", "(Photo: AFP)".
#: A reading time alone on its line, its label before or after: "3 min read", "5-minute read",
#: "Reading time: 4 minutes", "Lesezeit: 4 Min.", "4 min de lecture", "Czas czytania: 3 min".
READING_TIME_LINE = re.compile(
    r"(?:(?:estimated |est\. )?(?:reading time|read time|time to read|lesezeit|lesedauer|leestijd"
    r"|temps de lecture|tiempo de lectura|tempo de leitura|tempo di lettura|czas czytania|lästid"
    r"|læsetid|lesetid|lukuaika)\s?:?\s?(?:about |approx\.? |ca\.? |~)?\d{1,3}\s?"
    r"(?:minutes?|mins?\.?|minuten|minuti|minutos|minut[ay]?|minuter|minutter|minuuttia)"
    r"|(?:about |~)?\d{1,3}[ -]?(?:minutes?|mins?\.?|minuten|minuti|minutos|minut[ay]?|minuter"
    r"|minutter)[ -](?:read|reading time|de lecture|de leitura|di lettura|de lectura|lesezeit"
    r"|leestijd|czytania|läsning|læsning|lesing))",
    re.IGNORECASE,
)
#: A site's own credits in its footer ("Powered by WordPress", "Site by Savanna Digital") and a
#: republished piece's licence note ("This article is republished from The Conversation under a
#: Creative Commons license. Read the original article.").
SITE_CREDIT = re.compile(
    r"(?:proudly )?powered by (?-i:[A-Z])[\w.&'’ -]{1,30}"
    r"|(?:web ?)?site (?:design(?:ed)? )?by (?-i:[A-Z])[\w.&'’ -]{1,30}"
    r"|this (?:article|story|text|post|piece|essay) (?:is|was|has been) (?:republished"
    r"|reproduced|released|licensed)\b[^.]{0,80}\bcreative commons\b"
    r"(?:[^.]|\.\d){0,60}\."
    r"?(?: (?:read|view|see) the original(?: article| story| piece)?\.?)?"
    r"(?: please credit [^.]{1,60}\.?)?",
    re.IGNORECASE,
)
#: A business paper's sign-off under every story: "Catch all the Business News, Market News,
#: Breaking News Events and Latest News Updates on Live Mint. Download The Mint News App to get
#: Daily Market Updates."
CATCH_ALL_NEWS = re.compile(
    r"catch all the (?:latest )?(?:[\w&'’-]+ ){0,3}news\b[^.]{0,160} on [^.]{1,60}\.(?: download\b"
    r"[^.]{0,120}\.?)?",
    re.IGNORECASE,
)
#: A tags line of related topics: "Read related topics: Perth Property Market".
RELATED_TOPICS = re.compile(r"read related topics?: [^.!?]{1,120}", re.IGNORECASE)
#: A travel writer's disclosure of who paid: "The writer travelled as a guest of Tourism WA." (the
#: writer alone, a sponsor of six words at most: "Journalists travelled with the support of the
#: army into the city" and "… as a guest of the regime and saw nothing …" are a story's).
TRAVEL_DISCLOSURE = re.compile(
    r"the (?:writer|author|reporter) (?:travell?ed|was hosted) (?:as (?:a |the )?guest of"
    r"|courtesy of|with (?:the )?(?:support|assistance) of) (?:[^\s.,;]+ ){0,5}[^\s.,;]+\.?",
    re.IGNORECASE,
)
#: A ticket button alone on its line: "Book tickets", "Buy tickets now".
TICKET_BUTTON = re.compile(r"(?:book|buy|get) (?:your )?tickets?(?: now| here| online)?", re.I)
#: A wire's standards note under its stories: "Our Standards: The Thomson Reuters Trust
#: Principles."
STANDARDS_NOTE = re.compile(r"our standards: (?:the )?[^.]{1,60} principles\.?", re.IGNORECASE)
#: An obituary's guest book over the readers' messages: "Condolences", "Sign the guest book",
#: "Kondolenzbuch" (a header only when every line after it is a short message: `clean`).
GUESTBOOK_HEADER = re.compile(
    r"(?:(?:leave|send|share|post) (?:a |your )?)?condolences?|(?:sign the )?guest ?book"
    r"|tribute wall|(?:book|wall) of memories|\d{1,6} memories(?: shared)?|memories shared"
    r"|\d{1,6} (?:condolences|tributes)"
    r"|kondolenzbuch|kondolenzen|condoléances|condolencias|condoglianze|condoleances"
    r"|(?:condolences?|guest ?book) ?\(\d{1,6}\)",
    re.IGNORECASE,
)
#: A photographer's or an agency's name after a credit's colon: capitalised words ("Qhana Aru",
#: "Radio Llaqta", "AFP/Getty Images", "Jan Hrubý, Kurýr"), a particle or two between them;
#: "Nadie sabe cuántos murieron" is a sentence.
#: "Photo" in more of the languages we read, for a caption's closing credit: Chichewa, Swahili,
#: Shona, Setswana, Wolof, Twi, Hausa, Yoruba, Turkish, Finnish, Polish, the Balkans',
#: Bulgarian, Ukrainian, Hindi, Bengali, Japanese, Chinese, Korean, Vietnamese.
_PHOTO_WORDS = (
    r"chithunzi|picha|mufananidzo|setshwantsho|nataal|mfoni|hoto|àwòrán|fotoğraf|kuva|zdjęcie"
    r"|slika|снимка|світлина|फ़ोटो|फोटो|ছবি|写真|照片|사진|ảnh"
)
_CREDIT_NAME = (
    r"(?-i:[A-ZÀ-ÞА-Я][\w'’.&-]*(?:(?: |/|, )(?:[A-ZÀ-ÞА-Я][\w'’.&-]*"
    r"|de|da|del|di|do|dos|van|von|y|e)){0,5})"
)
#: A count over an obituary's guest book ("9 entries", "14 messages"), a header only on an
#: obituary (`OBITUARY`): a show's "312 entries" over its results is the story's subhead.
GUESTBOOK_COUNT = re.compile(r"\d{1,6} (?:entries|messages)", re.IGNORECASE)
#: An obituary's words: what makes a count of entries a guest book's.
OBITUARY = re.compile(
    r"\b(?:survived by|predeceased|passed away|died peacefully|in lieu of flowers|funeral"
    r"|memorial service|visitation|rest in peace)\b",
    re.IGNORECASE,
)
BODY_CAPTION_CREDIT = re.compile(
    r"\((?:[^()]{0,40} )?(?:photo|picture|image)s? (?:by|courtesy of) [^()\s][^()]{1,60}\)$"
    # the same in Romance languages and German: "(foto di Enrico Sacco)", "(photo de …)", "(Foto
    # von …)", "(foto de …)"
    r"|\((?:foto|photo|fotografia|fotografía|imagen|immagine|bild) (?:di|de|von|by|del|da)"
    r" (?-i:[A-ZÀ-Þ])[^()]{1,60}\)$"
    # a credit after a colon names its photographer or agency in any of our languages:
    # "(Foto: Qhana Aru)", "… on stable ground. Photo: Radio Llaqta" ("(file)" stays the story's)
    r"|\((?:photo|picture|image|foto|fotó|bild|imagen|imagem|immagine|фото|عکس|صورة"
    rf"|{_PHOTO_WORDS})s?:\s*"
    r"(?:(?:reader|staff|file|submitted|courtesy(?: of)?|contributed)\s)?"
    rf"{_CREDIT_NAME}\)$"
    r"|[.!?] (?:photo|picture|image|foto|fotó|bild|imagen|imagem|immagine|фото"
    rf"|{_PHOTO_WORDS}):\s*"
    rf"{_CREDIT_NAME}$"
    r"|\((?:ap|afp|reuters|epa|getty images|xinhua) photo/[^()\s][^()]{1,60}\)$"
    # a caption's sentence, then its photographer and paper: "… crumbling concrete. (Ross
    # Vandehei/Fox River Courier)"; "… the region (New York/New Jersey)." ends the sentence
    r"|(?<=[.!?] )\((?-i:[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,3})\s?/\s?"
    # … whose paper has a paper's name ("(New York/New Jersey)" is a place's)
    r"(?-i:(?:[A-ZÀ-Þ][\w'’&.-]* ){0,4}(?:Courier|Times|Post|Herald|News|Press|Tribune|Gazette"
    r"|Journal|Star|Sun|Chronicle|Record|Mail|Telegraph|Observer|Standard|Examiner|Register"
    r"|Inquirer|Bulletin|Review|Guardian|Mirror|Express|Echo|Leader|Argus|Daily|Photo|Photos"
    r"|Images|Staff|Sentinel|Dispatch|Democrat|Advertiser|Citizen|Enterprise|Ledger|Beacon|Globe"
    r"|Monitor|Today))\)$",
    re.IGNORECASE,
)
CAPTION_CREDIT_END = re.compile(
    r"\((?:photo|image|picture|file|afp|ap|reuters|getty|epa|xinhua|anadolu|ap photo"
    r"|afp photo|reuters photo|[^()]{0,40} photo(?: by [^()\s][^()]{1,60})?"
    # the credit in the other languages of the news we read: "(foto Gazzetta delle Valli)",
    # "(Foto: dpa)", "(Bild: Keystone)", "(Imagen: EFE)", "(фото: ТАСС)"
    rf"|(?:foto|fotó|bild|imagen|imagem|immagine|фото|عکس|صورة|{_PHOTO_WORDS})(?::\s*|\s+)"
    r"[^()\s][^()]{1,60})\)$"
    r"|[.!?] (?:file|archive) (?:photo|picture|image)\.?$|(?:photo|image|picture)(?: credit)?"
    r"(?::| by) [^.()]{1,60}$",
    re.IGNORECASE,
)
#: Words that mark a caption near the top ("... is pictured ...", "(L) ...").
CAPTION_HINT = re.compile(
    r"\bpictured\b|\((?:L|R|C|left|right|centre|center|top|bottom)\)|\bin this (?:file )?"
    r"(?:photo|picture|image)\b|\bphoto taken\b|\bphotographed\b",
    re.IGNORECASE,
)

#: Prefixes of a byline; the rest of the line must look like names.
BYLINE = re.compile(
    r"\A(?:by|written by|posted by|reported by|story by|words by|text by|author|authors|reporter"
    r"|correspondent"
    # a photo essay's: "Text and photographs by …", "Words and pictures by …"
    r"|(?:text|words|story|photos?|photographs|pictures) and (?:text|words|story|photos?"
    r"|photographs|pictures|images|video) by)(?: ?:)? (.{1,150})",
    re.IGNORECASE,
)
#: The newsroom signing as the author in the languages of `FOREIGN_BYLINE` and their neighbours.
NEWSROOMS = frozenset(
    "redaktion redaktioun rédaction redacción redazione redação redakcja redakce redactie "
    "redaksyon toimitus redaksjonen redaktionen".split()
)
#: A newsroom signing a foreign byline with its article: "Par la rédaction", "Von der
#: Redaktion", "Door de redactie".
_NEWSROOM_BYLINE = re.compile(
    r"(?:par|von|vun|por|door|de|da|di|by)(?: (?:la|le|der|die|de|het|the|el|a|o|il|la))?"
    r" (?:redaktion|redaktioun|r[ée]daction|redacci[óo]n|redazione|reda[çc][ãa]o|redakcja"
    r"|redakce|redactie|redaksyon|toimitus|newsroom|editorial (?:team|staff|desk))",
    re.IGNORECASE,
)
#: Byline prefixes in other languages ("Par Jeanne Roux", "Von Jorinde Mahl"): read in the head
#: only, with two name words or more, since "Von Berlin" or "Door Locks Failed" may be body.
FOREIGN_BYLINE = re.compile(r"\A(?:par|von|vun|por|door|autor|auteur)(?: ?:)? (.{1,150})", re.I)
#: A Nigerian paper's byline in the head: the reporter and the place ("From Tunde Ashiru,
#: Abeokuta", "From John Smith in Lagos"); "From Paris With Love" is a headline.
FROM_BYLINE = re.compile(
    r"From (?:[A-Z][\w'’.-]+ ){1,3}?[A-Z][\w'’.-]+(?:,| in) [A-Z][\w'’ .-]{1,30}"
)
#: Prefixes that make a short line a source credit on their own ("Reporting by ...").
CREDIT_PREFIX = re.compile(
    r"\A(?:sources? ?:|via ?:|courtesy(?: of)? ?:?|with inputs? from|inputs? from|additional"
    r" reporting by|reporting by|editing by|writing by"
    r"|written by(?= (?-i:[A-Z])[\w.'’-]*(?: (?-i:[A-Z])[\w.'’-]*){0,3}(?:\.?\Z| (?:in|from)"
    r" (?-i:[A-Z])| and (?-i:[A-Z])| based on\b| with\b))|compiled by"
    r"|translated by"
    r"|edited by"
    r"|with reporting from|with files from|agencies ?:|contributing ?:"
    # a source or an interview's credit in other languages: "Źródło:", "Fuente:", "Quelle:",
    # "المصدر :", "Propos recueillis par …", "La rédaction avec APM"
    r"|(?:źródło|fuente|fonte|quelle|kaynak|источник|المصدر|bron|zdroj)\s?:"
    r"|propos recueillis par|la rédaction avec"
    # "Kayla Moore contributed reporting.", "Staff writer Jo Lee contributed to this report."
    r"|(?-i:[A-Z])[\w.'’-]{0,20}(?:,? (?:and )?[\w.'’-]{1,20}){0,9} contributed (?:reporting"
    r"|to this (?:report|story|article))(?: from [^.]{1,60})?\.?\Z"
    # "— with Harbour Daily wires", "With agency inputs": the line ends there
    r"|[—–-]?\s?with (?:[\w'’.&-]{1,20} ){0,3}(?:wires?|wire services|agency inputs|agencies)"
    r"\.?\Z"
    # "—With a report from Joy M. Sarabia": names only, to the end of the line ("With a report
    # from the coroner expected next week, …" is a sentence)
    r"|[—–-]?\s?with (?:a )?reports? from (?-i:[A-Z][\w.'’-]*)(?: (?-i:[A-Z][\w.'’-]*)){0,4}"
    r"(?:(?:,| and) (?-i:[A-Z][\w.'’-]*)(?: (?-i:[A-Z][\w.'’-]*)){0,4}){0,3}\.?\Z)"
    r"(?: ?:)?(?: |$)",
    re.IGNORECASE,
)
#: A wire's credit after a dash under a paragraph: "— CPN", "— Warta", "-APP" (an agency this
#: list does not know: a word or two, capitalised, and nothing else).
DASH_CREDIT = re.compile(
    # one word after an em or en dash and no full stop: an interview's answer ("— Tak.") and a
    # quotation's author ("— John Smith") are not; a hyphen's is a list's item ("- USA")
    r"[—–] ?(?:[A-Z]{2,6}|[A-Z][a-z]{2,15})"
)
#: A writer's initials in brackets under a Polish or Czech story: "(jk)", "(mk/pap)"; an
#: agency and its reporter: "EHA / Murat Yılmaz", "PAP / Jan Kowalski".
INITIALS_CREDIT = re.compile(
    r"\(\s?[a-ząćęłńóśźżčďěňřšťůž]{2,4}(?:\s?/\s?[a-ząćęłńóśźżčďěňřšťůž]{2,5})?\s?\)"
    r"|[A-ZÇĞİÖŞÜ]{2,6} ?/ ?[A-ZÀ-ÞÇĞİÖŞÜ][\w'’-]+(?: [A-ZÀ-ÞÇĞİÖŞÜ][\w'’-]+){1,2}"
)
#: Softer prefixes: the rest must then be names including a known agency ("With AFP").
CREDIT_SOFT_PREFIX = re.compile(r"\A(?:sources?|source|via|with|from|courtesy) ", re.IGNORECASE)

#: Separators inside a credit ("AFP/Al Arabiya", "Reuters and AP") and a date line ("... | 14:05").
CREDIT_SPLIT = re.compile(r" ?[/,&+] ?| and | with ")
DATE_SPLIT = re.compile(r" [|•·] ")
#: "You are here:" before a breadcrumb trail.
YOU_ARE_HERE = re.compile(r"\Ayou are here ?:? ?", re.IGNORECASE)

#: Bullet or numbered list markers; such a line always starts a new paragraph.
BULLET = re.compile(r"\A(?:[-*•▪·‣◦]|\d{1,3}[.)]) ")

#: Everything the cleaner compiles, for the timing test and the docs.
PATTERNS: dict[str, re.Pattern[str]] = {
    "DATE_LINE": DATE_LINE,
    "URL": URL,
    "MD_LINK": MD_LINK,
    "MD_AUTOLINK": MD_AUTOLINK,
    "MD_HEADING": MD_HEADING,
    "MD_RULE": MD_RULE,
    "MD_BOLD": MD_BOLD,
    "ORIGINAL_URL": ORIGINAL_URL,
    "BREADCRUMB_SPLIT": BREADCRUMB_SPLIT,
    "TEASER": TEASER,
    "CLICK_HERE": CLICK_HERE,
    "SHARE": SHARE,
    "SUBSCRIBE": SUBSCRIBE,
    "SUBSCRIBE_HINT": _SUBSCRIBE_HINT,
    "ABOUT": ABOUT,
    "OUTLET_WORDS": _OUTLET_WORDS,
    "BIO_WORDS": _BIO_WORDS,
    "PROMO": PROMO,
    "NAV": NAV,
    "COMMENTS": COMMENTS,
    "COMMENTS_HEADER": COMMENTS_HEADER,
    "EMBED_ATTRIBUTION": EMBED_ATTRIBUTION,
    "CAPTION_PREFIX": CAPTION_PREFIX,
    "CAPTION_CREDIT_END": CAPTION_CREDIT_END,
    "CAPTION_HINT": CAPTION_HINT,
    "BYLINE": BYLINE,
    "FOREIGN_BYLINE": FOREIGN_BYLINE,
    "CREDIT_PREFIX": CREDIT_PREFIX,
    "CREDIT_SOFT_PREFIX": CREDIT_SOFT_PREFIX,
    "BULLET": BULLET,
    "CREDIT_SPLIT": CREDIT_SPLIT,
    "DATE_SPLIT": DATE_SPLIT,
    "YOU_ARE_HERE": YOU_ARE_HERE,
}

#: Literals of which every PROMO match contains one (lower case): a cheap test before the search.
_PROMO_LITERALS = (
    "copyright", "©", "(c) ", "all rights reserved", "advertis", "sponsored", "this article",
    "this story", "this post", "this piece", "this essay", "this feature", "this review",
    "this interview", "this column", "this report", "letters ", "hiring", "continues",
    "editor's note", "editor’s note", "first published",
    "originally published",
    "with permission", "commission", "affiliate", "apply", "gamble", "gambleaware",
    "not responsible", "not involved", "reporting for this", "editorial", "solely responsible",
    "medically reviewed", "when you", "catch", "news provided", "you just read", "this source",
    "source ", "links", "citation", "cookie", "flowers", "plant", "memor", "guest",
    "medical advice", "investment advice", "substitute for", "republish", "material",
    "this investigation", "this project", "this reporting", "error", "mistake", "typo",
    "something wrong",
    "printing", "reproduction", "copying", "use of", "перепечатка", "have your say",
    "content may be edited", "editorial use", "ads by google",
    "published in",
    "newsletter", "inbox",
    "consent", "the day", "the week", "the morning", "the evening", "expressed", "moderated",
    "data", "spreadsheet", "write to us", "corrections", "errors", "mistakes",
    "season", "series", "produced by",
    "heb jij", "heb je", "hebt u", "hast du", "haben sie", "dieses thema", "reflect the view",
    "represent the view", "express the view", "reflect the opinion", "represent the opinion",
    "express the opinion",
)  # fmt: skip
#: Characters that IGNORECASE matches to an ASCII letter but str.lower() does not map to it.
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f")  # İ ı ſ


def may_match_promo(line: str) -> bool:
    """False only when PROMO cannot match: no literal it needs is in the line."""
    if not line.isascii() and any(c in line for c in _ODD_FOLDS):
        return True
    low = line.lower()
    return any(lit in low for lit in _PROMO_LITERALS)


# --- small text predicates ---------------------------------------------------------------------

_CLOSERS = "\"'”’»)]*_"
_PARTICLES = frozenset(
    "and & de da del della van von der den bin bint ibn al el la le du di y e of the".split()
)
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december then now late early mid this that "
    "these those contrast comparison far all most some".split()
)
_SECTION_WORDS = frozenset(
    "analysis opinion exclusive breaking update editorial interview explainer live world "
    "politics business news latest sports sport culture video podcast feature features "
    "commentary comment op-ed press release releases media advisory statement for immediate "
    "local national international regional metro state nation region city county community "
    "health science tech technology entertainment lifestyle travel weather crime courts "
    "education environment economy markets money obituaries arts books food music".split()
)

#: A release's contact block: "Contact: Dwight Pruitt, Public Information Officer", "Phone: (410)
#: 555-0147 | E-mail: ...", "Media contact: ...", "Pressekontakt: ...".
CONTACT = re.compile(
    r"\A(?:(?:media|press|news|for (?:more|further) information,?(?: please)?)\s+)?"
    r"(?:contacts?|phone|tel|telephone"
    r"|e-?mail|fax|mobile|cell|inquiries|enquiries|pressekontakt|kontakt|contact presse"
    r"|contacto(?: de prensa)?|contato(?: para imprensa)?)\s?:",
    re.IGNORECASE,
)
_EMAIL_OR_PHONE = re.compile(r"\S@\S+\.\w|\(?\+?\d[\d ().-]{6,}\d")
PATTERNS.update(
    CONTACT=CONTACT, EMAIL_OR_PHONE=_EMAIL_OR_PHONE, FOREIGN_SUBSCRIBE=FOREIGN_SUBSCRIBE
)


#: A summary box's label over the story's list of its main points: "Key points", "Key
#: takeaways:", "At a glance", "Story highlights", a wire story's "Summary" (the benchmarks' gold
#: leaves the box out).
SUMMARY_LABEL = re.compile(
    r"(?:key (?:points|takeaways|facts|figures|highlights)|at a glance|story highlights"
    r"|the essentials"
    r"|summary|(?:fast|quick) facts|key findings|what you need to know|what we know"
    # the same box in the languages of the news we read
    r"|das wichtigste in kürze|das wichtigste|l[’']essentiel|en bref|lo más importante|en resumen"
    r"|in breve|in sintesi|em resumo|in het kort|w skrócie|kratko|главное|özetle)\s?:?",
    re.IGNORECASE,
)
#: The note a newsroom puts under an automated summary: "AI-assisted summary reviewed by our
#: newsroom."
SUMMARY_NOTE = re.compile(
    r"(?:this )?(?:ai|machine)[- ](?:assisted|generated|written)\b[^.]{0,80}\bsummar(?:y|ies)\b"
    r"[^.]{0,80}\.?",
    re.IGNORECASE,
)
#: A reader poll's answer, alone on its line under the poll's question: "Yes", "No", "Can't say",
#: "Not sure", in the languages of the news we read.
_POLL_ANSWER = (
    r"(?:yes|no|not sure|can'?t say|cannot say|don'?t know|undecided|maybe|ja|nein|weiß nicht"
    r"|oui|non|sans opinion|s[ií]|no s[eé]|sim|não|tak|nie|ano|ne|igen|nem|evet|hay[ıi]r"
    r"|да|нет|не знаю|так|ні|نعم|لا|بله|خیر|ہاں|نہیں|हाँ|हां|नहीं|पता नहीं|ya|tidak|có|không)"
)
#: A poll's answer is a bare word: "No." with its full stop is someone's answer in a story.
POLL_OPTION = re.compile(_POLL_ANSWER, re.IGNORECASE)
#: The answers a poll must offer, one of each: a yes and a no.
POLL_YES = frozenset(
    "yes ja oui sí si sim tak ano igen evet да так نعم بله ہاں हाँ हां ya có".split()
)
POLL_NO = frozenset(
    "no nein non não nie ne nem hayır hayir нет ні لا خیر نہیں नहीं tidak không".split()
)
#: A poll's answers run together on one line: "Yes No", "Yes / No / Can't say".
POLL_OPTIONS = re.compile(
    _POLL_ANSWER + r"(?: {1,3}(?:[/|·] {1,3})?" + _POLL_ANSWER + r"){1,4}", re.IGNORECASE
)
POLL_MIN_OPTIONS = 2
#: The poll box's label above its question: "Poll", "Reader poll", "Today's question", "Umfrage".
POLL_LABEL = re.compile(
    r"(?:(?:reader'?s?|readers'|opinion|online|quick|today'?s|weekly) )?(?:poll|question of the"
    r" (?:day|week))|umfrage|sondage|encuesta|enquete|sondaggio|ankieta|anket|опрос|опитування"
    r"|استطلاع|نظرسنجی|पोल|जनमत",
    re.IGNORECASE,
)
#: A release's notes for editors at its foot: what follows is for the press, not the story.
EDITOR_NOTES = re.compile(
    r"(?:notes?|information) (?:to|for) (?:the )?editors?\s?:?", re.IGNORECASE
)

#: A contact block's heading alone on its line, over the names, numbers and addresses it lists:
#: "Media contact", "Press contacts:", "Researcher contact", "For more information",
#: "Pressekontakt".
CONTACT_LABEL = re.compile(
    r"(?:(?:(?:media|press|news|researcher|research|program|programme|project|editorial)\s+)?"
    r"(?:contacts?|enquiries|inquiries)|for (?:more|further) information(?:,? (?:please )?contact)?"
    r"|pressekontakt"
    r"|kontakt|contacts? presse|contacto(?: de prensa| para medios)?"
    r"|contato(?: para imprensa)?|perscontact|contatti stampa|ufficio stampa) ?:?",
    re.IGNORECASE,
)

#: A column's invitation to write to its author: "Have a money question? Email Renata at ...",
#: "Got a tip? Contact ...", "Questions? Write to ...", "Write to Anna Brevik at ...", a
#: reporter's tagline ("Reach reporter Caleb Nunez at cnunez@… or 480-555-0142").
CONTACT_ASK = re.compile(
    r"\A(?:(?:(?:have|got|do you have) (?:a |an |any )?[\w' -]{0,30}"
    r"(?:question|tip|story|comment|claim)s?(?: you(?:['’]d)? (?:want|like) (?:us )?to "
    r"(?:check|see|read|know)(?: about)?)?|questions|comments|tips|story ideas?)\?\s+"
    r"(?:e-?mail|write|contact|send|reach|call|text|tell us)\b"
    r"|(?:write to|e-?mail|contact|reach) [A-ZÀ-Þ][\w'’-]+(?: [A-ZÀ-Þ][\w'’-]+){0,3} at"
    r" (?:\S+@|\+?\(?\d[\d ().-]{6,18}\d(?: or \S+@)?)"
    # a reporter's tagline: "Reach reporter Caleb Nunez at … or 480-555-0142"
    # a letters page's address: "Send your letters to letters@…", "Write to us at …"
    # (the address ends its sentence: "Email comments to parks@… by Nov. 30; the council will
    # vote …" is a story's notice)
    r"|(?:send|e-?mail|write|post) (?:us )?(?:your )?letters? (?:to|at) [^\s@]{1,64}@"
    r"[^\s@;,]{1,80}?[.!]?(?:\Z|\s(?-i:[A-Z]))"
    r"|(?:send|e-?mail|write|post) (?:us )?(?:(?:your )?(?:views|news tips|tips|story ideas"
    r"|feedback)|your comments) (?:to|at) [^\s@]{1,64}@[^\s@;,]{1,80}?[.!]?(?:\Z|\s(?-i:[A-Z]))"
    r"|(?:reach|contact|e-?mail) (?:the )?(?:reporter|writer|columnist|correspondent|author)"
    r" [A-ZÀ-Þ][\w'’-]+(?: [A-ZÀ-Þ][\w'’-]+){0,3} (?:at|via|on) (?:\S+@|\+?\(?\d))",
    re.IGNORECASE,
)

#: A German broadcaster's note under the story naming the programme it ran in (dropped as a
#: promo), and the slot on the line under it: "NDR Info | 10.03.2026 | 19:30 Uhr".
PROGRAMME_NOTE = re.compile(r"\Adieses thema im programm\s?:?\Z", re.IGNORECASE)
PROGRAMME_SLOT = re.compile(
    r"[|·].{0,60}\b\d{1,2}[:.]\d{2}(?:\s?uhr)?\W{0,3}\Z", re.IGNORECASE
)  # its parts set apart: "Der Rat beschloss um 19:30" is a sentence
PROGRAMME_SLOT_WORDS = 12

#: A reporter's tagline in the third person, the line ending with an e-mail address: "Kari
#: Lindahl can be reached at klindahl@herald.example." A name of two to four capitalised words
#: (case counts), and an address, not a number: "Crime Stoppers can be reached at 1-800-…" in a
#: story is the story's.
REACHED_AT = re.compile(
    r"\A[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,3} (?:can|may) be (?:reached|contacted)"
    r" (?:at|by e-?mail at|via) [^\s@]{1,64}@[^\s@]{1,80}(?: or [^@]{1,40})?\Z"
)

PATTERNS.update(
    PAGE_FEEDBACK=PAGE_FEEDBACK,
    END_MARK=END_MARK,
    CONTACT_LABEL=CONTACT_LABEL,
    CONTACT_ASK=CONTACT_ASK,
    REACHED_AT=REACHED_AT,
    COMMENTS_LEAD=COMMENTS_LEAD,
    POLL_OPTION=POLL_OPTION,
    POLL_OPTIONS=POLL_OPTIONS,
    POLL_LABEL=POLL_LABEL,
    ERROR_REPORT=ERROR_REPORT,
    BODY_CAPTION_CREDIT=BODY_CAPTION_CREDIT,
    GUESTBOOK_HEADER=GUESTBOOK_HEADER,
)


#: The closing invitation of an editorial or a column: "… To respond, write to
#: letters@gulfmorning.example"; the address ends the line.
RESPOND_TO = re.compile(
    # after a sentence only when that sentence is the note on the paper's views ("Gulf Morning
    # editorials represent the view of the newspaper."), not the editorial's own last sentence
    r"\A(?:[^.!?]{0,160}\b(?:editorials?|opinions?|views?|columns?|letters?)\b[^.!?]{0,160}"
    r"[.!?] )?"
    r"to (?:respond|reply)(?: to (?:this|it|us)(?: (?:editorial|column|article|story|piece))?)?,?"
    r" (?:write|e-?mail)(?: to)?(?: the editors? at)? \S+@\S+?\.?\Z",
    re.IGNORECASE,
)


def is_contact(line: str, *, head: bool) -> bool:
    """A contact line of a release: its label, then a name, an e-mail address or a telephone
    number; away from the head only with the address or number ("Contact: the town hall said
    ..." in a body stays)."""
    if len(line) <= 300 and CONTACT_ASK.match(line):
        return nwords(line) <= 40 and has_address_or_number(line)
    if len(line) <= 300 and "@" in line and RESPOND_TO.match(line):
        return nwords(line) <= 40
    if len(line) > 200 or not CONTACT.match(line):
        return False
    return has_address_or_number(line) or (head and nwords(line) <= 10)


def has_address_or_number(line: str) -> bool:
    """An e-mail address, or a telephone number (nine digits or more: a date or "2019 - 2023"
    has eight)."""
    for found in _EMAIL_OR_PHONE.finditer(line):
        if "@" in found.group(0) or sum(c.isdigit() for c in found.group(0)) >= 9:
            return True
    return False


def words(line: str) -> list[str]:
    return line.split(" ") if line else []


def nwords(line: str) -> int:
    """``len(words(line))`` without building the list."""
    return line.count(" ") + 1 if line else 0


def ends_sentence(line: str) -> bool:
    """True when the line ends like a finished sentence (., ! or ?), not with an ellipsis."""
    core = line.rstrip(_CLOSERS)
    if not core or core.endswith(("...", "…")):
        return False
    return core[-1] in ".!?"


def ends_ellipsis(line: str) -> bool:
    core = line.rstrip(" ])")
    return core.endswith(("...", "…", "[…", "[..."))


def is_body_like(line: str) -> bool:
    """A line that reads like a real paragraph: a dozen words or more, ending a sentence."""
    return nwords(line) >= 12 and ends_sentence(line)


def is_headline_like(line: str) -> bool:
    """A short line without a closing period, not starting in lower case: a headline."""
    n = nwords(line)
    if not 2 <= n <= 30 or len(line) > 250 or ends_sentence(line) or ends_ellipsis(line):
        return False
    if line[-1] in ",;:" or URL.search(line):
        return False
    first = next((c for c in line if c.isalnum()), "")
    return bool(first) and not first.islower()


def has_alnum(line: str) -> bool:
    return any(c.isalnum() for c in line)


def canon(line: str) -> str:
    """Case- and punctuation-blind form used to compare a line with the headline."""
    return "".join(filter(str.isalnum, line.casefold()))


def strip_markdown_links(line: str) -> str:
    """Replace [text](target) with text and drop images; for reading bylines and credits."""
    if "](" not in line:  # MD_LINK needs this pair: most lines skip the substitution
        return line
    return MD_LINK.sub(lambda m: "" if m.group(1) else m.group(2), line)


# --- line rules --------------------------------------------------------------------------------


#: A time alone under a publication label: "Last updated 6:45 p.m.", "Updated: 18:45 GMT" (a
#: bare time stays: some live pages' labelled texts keep their entries' times).
LABELLED_TIME = re.compile(
    r"\A(?:Published|Updated|Posted|Last updated|Last modified|Modified)(?: at)?:? ?"
    + _CLOCK
    + r"\Z",
    re.IGNORECASE,
)
#: A span of two dates: an obituary's "March 2, 1938 – October 11, 2017".
DATE_RANGE_SPLIT = re.compile(r" [–—-] ")


def is_date_line(line: str) -> bool:
    """A line that is only a date, e.g. "August 27, 2021" or "Updated: 2021-08-27 14:05 GMT",
    a labelled time ("Last updated 6:45 p.m.") or a span of two dates."""
    if len(line) > 120:
        return False
    if POSTED_NO_YEAR.match(line):
        return True
    parts = [p.strip(" ,.") for p in DATE_SPLIT.split(line)]
    if all(DATE_LINE.fullmatch(p) or LABELLED_TIME.fullmatch(p) for p in parts if p):
        return True
    span = [p.strip(" ,.") for p in DATE_RANGE_SPLIT.split(line)]
    return len(span) == 2 and all(DATE_LINE.fullmatch(p) for p in span)


def breadcrumb_segments(line: str) -> list[str] | None:
    """The segments of a navigation trail ("Home / World / Headline"), or None."""
    if len(line) > 400:
        return None
    body = YOU_ARE_HERE.sub("", line, count=1) if YOU_ARE_HERE.match(line) else line
    segs = [s.strip() for s in BREADCRUMB_SPLIT.split(body)]
    if len(segs) < 2 or not all(segs):
        return None
    if segs[0].casefold() in _HOME:
        return segs
    short = all(nwords(s) <= 4 and len(s) <= 40 and not ends_sentence(s) for s in segs[:-1])
    if not short:
        return None
    seps = set(BREADCRUMB_SPLIT.findall(body))
    if len(segs) >= 3 and seps - {" / ", " | "}:
        return segs
    if len(segs) >= 4:
        return segs
    return None


def is_section_label(line: str) -> bool:
    """ "Opinion", "Breaking News": a section kicker near the headline, navigation not body."""
    return len(line) <= 30 and all(w.casefold() in _SECTION_WORDS for w in words(line.strip(":")))


def is_caption(line: str, *, head: bool) -> bool:
    """A photo caption: "Photo: ..." anywhere; near the top also "(AFP)" endings or "pictured"."""
    if CAPTION_PREFIX.match(line):
        return nwords(line) <= 80
    if len(line) <= 160 and CJK_PHOTO_CREDIT.search(line):
        return True
    if nwords(line) > 50:
        return False
    if not head:
        # in the body only a credit that names a photographer: "(Record photo by Deb Hollenbeck)",
        # "(AP Photo/Jane Roe)"; "(file)" or "(AFP)" may close a sentence of the story
        return bool(BODY_CAPTION_CREDIT.search(line[-110:]))
    return bool(CAPTION_CREDIT_END.search(line[-110:]) or CAPTION_HINT.search(line))


def _name_tokens_ok(tokens: list[str], *, first_may_be_lower: bool = False) -> bool:
    if not tokens or len(tokens) > 8:
        return False
    if tokens[0].strip(".,").casefold() in _NOT_NAMES:
        return False
    for i, tok in enumerate(tokens):
        bare = tok.strip(".,'’()-")
        if not bare:
            continue
        if bare.casefold() in _PARTICLES and i > 0:
            continue
        if bare[0].isupper() or bare[0].isdigit():
            continue
        if i == 0 and first_may_be_lower and len(tokens) == 1:
            continue
        return False
    return True


#: Byline prefixes of one word: the name after them must be capitalised.
_SHORT_BYLINE = re.compile(r"(?:by|par|von|por|door)\b", re.IGNORECASE)


def is_byline(
    line: str, date_line: Callable[[str], bool] | None = None, *, foreign: bool = False
) -> bool:
    """ "By Jane Doe", "By [AFP](#)", "Written by admin | 2 hours ago", "Par Jeanne Roux":
    author lines.

    The name part must be capitalised tokens, so "By Sunday, the rebels had ..." stays body.
    ``date_line`` also accepts a tail in another language ("Par Jeanne Roux – publié le 3 mars
    2024 à 10h15"); the cleaner passes the date stage's reader, and ``foreign=True`` (the
    prefixes of `FOREIGN_BYLINE`, two name words or more), for the head lines only.
    """
    if len(line) > 160 or nwords(line) > 16 or line.rstrip(_CLOSERS).endswith(("!", "?")):
        return False
    plain = strip_markdown_links(line)
    if foreign and (_NEWSROOM_BYLINE.fullmatch(plain.strip()) or FROM_BYLINE.fullmatch(plain)):
        return True  # "Par la rédaction", "Von der Redaktion", "From Tunde Ashiru, Abeokuta"
    m = BYLINE.fullmatch(plain)
    other = m is None and foreign
    if other:
        m = FOREIGN_BYLINE.fullmatch(plain)
    if not m:
        return False
    rest = m.group(1).strip()
    name, tail = rest, ""
    for sep in (" | ", " - ", " – ", " — ", ", ", " · ", " on "):
        if sep in rest:
            name, tail = rest.split(sep, 1)
            break
    lower_ok = (
        not _SHORT_BYLINE.match(line) or name.casefold() in AUTHOR_NAMES
    )  # "Written by admin"; "By staff", "Par exemple" are not names
    if not _name_tokens_ok(words(name), first_may_be_lower=lower_ok):
        return False
    if other and any(ch.isdigit() for ch in name):
        return False
    if other and len(words(name)) < 2 and name.casefold() not in NEWSROOMS:
        return False  # "Von Berlin"; "vun Redaktioun" signs as the newsroom
    if not tail:
        return True
    if is_date_line(tail.strip()) or (date_line is not None and date_line(tail.strip())):
        return True
    desk = _DESK_TAIL.match(tail)  # "By Ray Hruby, Courier Staff Writer Posted June 7, 2017"
    after = tail[desk.end() :].strip(" |,·–—-") if desk else ""
    if after and (is_date_line(after) or (date_line is not None and date_line(after))):
        return True
    return nwords(tail) <= 5 and (_name_tokens_ok(words(tail)) or bool(_STAFF_TAIL.fullmatch(tail)))


#: A byline's tail naming the author's desk: "By Carol Ann Brune, Record staff", "…, Herald
#: staff writer", "…, contributing writer".
_STAFF_TAIL = re.compile(
    r"(?:[A-Z][\w'’.&-]*\s){0,3}(?:staff|contributing|special|freelance)?\s?"
    r"(?:staff|writer|reporter|correspondent|contributor)",
)

#: The same desk in a byline's title case ("Courier Staff Writer"), a date line after it.
_DESK_TAIL = re.compile(_STAFF_TAIL.pattern, re.IGNORECASE)

#: Credit lines of Chinese and Japanese papers: the responsible editor, the source, the
#: photographer ("责任编辑：王磊", "来源：新华社", "編集：山田"), a few characters after the
#: label. Not 记者 ("reporter:"), which also marks an interview's questions
#: ("记者：资金从哪里来？").
CJK_CREDIT = re.compile(
    r"\A[（(]?(?:责任编辑|責任編輯|编辑|編輯|校对|审核|监制|来源|來源|出品|编审|編集|出典|摄影|攝影|写真)"
    r"\s*[:：]\s*[^\s:：？?]{1,20}(?:\s+[^\s:：？?]{1,20}){0,3}[）)]?\Z"
)
#: A photo credit closing a Chinese caption: "... 记者 张帆 摄", "新华社记者 李明 摄", or in
#: brackets with its label first, "...（摄影：刘松涛）", "(图/王芳)".
CJK_PHOTO_CREDIT = re.compile(
    r"(?:(?:记者|記者|通讯员|通訊員|摄影|攝影)\s*[^\s。，,]{1,10}\s*[摄攝]\s*[)）]?"
    r"|[(（](?:摄影|攝影|图片|圖片|图|圖)\s*[:：/／]\s*[^\s()（）:：]{1,12}[)）])\Z"
)


def is_credit(line: str) -> bool:
    """A source credit line: "AFP/Al Arabiya", "(Reuters)", "— APP", "Reporting by ...".

    Either a credit prefix ("Source:", "Reporting by") on a short line, or a short list of names
    of which at least one is a known agency.
    """
    if len(line) > 200:
        return False
    if len(line) <= 60 and CJK_CREDIT.match(line.strip()):
        return True
    if len(line) <= 34 and DASH_CREDIT.fullmatch(line.strip()):
        return True
    if len(line) <= 40 and INITIALS_CREDIT.fullmatch(line.strip()):
        return True
    core = line.strip(" -–—()[].")
    if not core:
        return False
    if CREDIT_PREFIX.match(core):
        return nwords(core) <= 25 and not is_body_like(core)
    soft = CREDIT_SOFT_PREFIX.match(core)
    if soft:
        core = core[soft.end() :]
    parts = [p.strip(" ()") for p in CREDIT_SPLIT.split(core)]
    parts = [p for p in parts if p]
    if not parts or len(parts) > 5:
        return False
    if not all(nwords(p) <= 4 and _name_tokens_ok(words(p)) for p in parts):
        return False
    return any(p.casefold() in AGENCIES for p in parts)


def is_outlet_name(line: str) -> bool:
    """1-4 capitalised tokens and nothing else ("AT News"): an outlet name under a headline."""
    toks = words(line)
    if not 1 <= len(toks) <= 4 or len(line) > 50:
        return False
    for tok in toks:
        if not tok[0].isupper() and tok not in {"&", "of", "the"}:
            return False
        if not all(c.isalnum() or c in "&'’.-" for c in tok):
            return False
    return not is_date_line(line) and not line.endswith(".")


def url_share(line: str) -> tuple[int, int]:
    """(number of URLs, characters they cover) in a line."""
    n = chars = 0
    for m in URL.finditer(line):
        n += 1
        chars += len(m.group(0))
    return n, chars


def is_link_dump(line: str) -> bool:
    """Mostly URLs or Markdown links: spam lists, link menus, a bare URL on its own line.

    A paragraph that merely cites a URL stays: we need the URLs to cover half the
    non-space characters, or three URLs with fewer than three other words per URL.
    """
    if "](" not in line[:20000] and "://" not in line and "www." not in line.lower():
        return False  # neither URL nor MD_LINK can match: most body lines stop here
    n, chars = url_share(line)
    dense = len(line) - line.count(" ")
    if n:
        if chars * 2 >= dense:
            return True
        if n >= 3:
            other = len(words(URL.sub("", line).strip()))
            return other < 3 * n
        return False
    links = MD_LINK.findall(line[:20000])
    if len(links) >= 3:
        outside = len(MD_LINK.sub("", line).strip())
        return outside * 5 < dense
    return False


#: Words a sentence has and a headline rarely does: the article's own sentence after a teaser
#: keyword ("Up next: The teams continue their six-game series on Saturday ...").
_SENTENCE_VERB = re.compile(
    r"\b(?:is|are|was|were|will|would|has|have|had|continue|continues|said|says|starts?|begins?"
    r"|plays?|meets?|hosts?|visits?|returns?|resumes?|opens?|runs?|takes?|faces?)\b",
    re.IGNORECASE,
)


def teaser_kind(line: str) -> str | None:
    """ "header" for a bare "Check Also" / "Related:", "line" for "Read more: <headline>".

    "Read more" inside a sentence, or a full sentence starting with it, is body text (None).
    """
    if CLICK_HERE.match(line) and nwords(line) <= 15:
        return "line"
    m = TEASER.match(line)
    if not m:
        return None
    rest = line[m.end() :].strip()
    if not rest.strip(" .…:>»→|-–—"):
        if _IMPERATIVE_LABEL.fullmatch(m.group(0)) and ":" not in rest:
            return None
        return "header"
    if rest[0] not in _TEASER_SEP and _LABEL_ONLY.fullmatch(m.group(0)):
        return None
    if rest[0] in _TEASER_SEP:
        after = rest.lstrip(" :|»>–—-→")
        if nwords(after) >= 25 and ends_sentence(after) and _SENTENCE_VERB.search(after):
            return None  # "Up next: The teams continue their series on Saturday at ..."
        return "line"
    if (
        nwords(rest) <= 10
        and len(rest) <= 80  # scripts without spaces: "関連記事：..." is one "word" of any length
        and not ends_sentence(line)
        and not m.group(0)[0].islower()
    ):
        # "Read more about the talks" / "Related coverage" without a separator: short, no period.
        return "line"
    return None


def is_widget(line: str) -> bool:
    """A gallery's slide counter ("3 of 12", the first number no larger than the second), a
    gallery's link label ("Bildergalerie: … (6 Bilder)"), an inline poll's question, or a
    poll's "results are not scientific" note."""
    if len(line) > 220:
        return False
    m = SLIDE_COUNTER.match(line)
    if m is not None:
        return 0 < int(m.group(1)) <= int(m.group(2))
    if len(line) <= 160 and GALLERY_LABEL.match(line):
        return True
    if len(line) <= 60 and PAGER.fullmatch(line):
        return True  # "< Prev Next >"
    if len(line) <= 40 and HIT_COUNTER.fullmatch(line):
        return True  # an old CMS's "Hits: 1382"
    if len(line) <= 200 and FLASH_PLAYER.search(line):
        # "Click to play. Requires Adobe Flash Player. Video: …"; "The site still requires
        # Adobe Flash, …, the auditors said" is a story's
        return nwords(line) <= 20 and not _ATTRIBUTED.search(line)
    if PAGE_FEEDBACK.fullmatch(line) or (len(line) <= 160 and ERROR_REPORT.search(line)):
        return True
    return bool(POLL_QUESTION.match(line) or POLL_NOTE.fullmatch(line))


def is_share(line: str) -> bool:
    """Share widgets ("Share this:", "Share on Facebook") and lines of only social names."""
    if len(line) > 120:
        return False
    # Only social names ("Facebook Twitter WhatsApp"); a lone "X" is not enough. Stops at the
    # first other word, which in body text is the first word.
    social, first = 0, ""
    for tok in words(line):
        tok = tok.strip(",|•·:").casefold()
        if not tok:
            continue
        if tok not in SOCIAL:
            social = -1
            break
        first = first or tok
        social += 1
    if social > 0 and (social >= 2 or first != "x"):
        return True
    if TOOLBAR.fullmatch(_TOOLBAR_MORE.sub("", line).strip(" |•·")):
        return True
    m = SHARE.match(line)
    if not m:
        return False
    rest = line[m.end() :].strip(" :.!…")
    if m.group(0).casefold() in {"share", "tweet"}:
        return not rest or all(t.strip(",|•·:").casefold() in SOCIAL for t in words(rest))
    return nwords(rest) <= 8 and not ends_sentence(line)


#: Bullets and arrows a promo line may open with (symbols such as emoji are read by category).
_LEADING_MARKS = frozenset("•·▪►▶▸→⇒➜➤✓✔✅")


#: A newsletter offered to the reader's inbox, whatever the line opens with.
_NEWSLETTER_ASK = re.compile(
    r"\bnewsletters?\b.{0,200}\byour inbox\b|\byour inbox\b.{0,200}\bnewsletters?\b", re.IGNORECASE
)
#: What makes such a line an offer: "get", "sign up", "subscribe", "free", "delivered".
_NEWSLETTER_OFFER = re.compile(r"\b(?:get|sign up|subscribe|free|delivered|join)\b", re.IGNORECASE)
#: A donation ask opening its line: "… we have a small favour to ask", "Please consider
#: supporting us".
DONATION_ASK = re.compile(
    r"\A(?:…|\.\.\.)? ?(?:we have a (?:small )?favou?r to ask|please consider supporting (?:us|our)"
    r"|support (?:us|our journalism|independent journalism) (?:today|now|from)"
    r"|make a (?:one-off |one-time |monthly )?contribution)\b"
    # a nonprofit's box: "Support independent local news", "… Reader donations pay for reporting
    # like this. Become a member today."
    # ("Support independent Afghan journalism": a people's name after one of those words)
    r"|\Asupport (?:our |independent |local |nonprofit |public-interest ){1,3}"
    r"(?:(?-i:[A-Z])[\w-]{2,20} )?(?:news|journalism|reporting)\W{0,2}\Z"
    # its buttons: "Give $10 Give $25 Other amount", and its heading "Your gift can help"
    r"|\A(?:(?:give|donate) (?:[$£€]|rs\.? ?)\d[\d,]{0,6}\s{0,3}){2,6}(?:other amount)?\Z"
    r"|\Ayour (?:gift|donation|support) (?:can|will) (?:help|make a difference)\W{0,2}\Z"
    r"|\A(?:[^\n]{0,200}[.!?] )?become a (?:member|supporter|sustaining member|donor)"
    r"(?: today| now)?[.!]?\Z",
    re.IGNORECASE,
)


#: A reader-revenue appeal's words anywhere in its paragraph, about the outlet's own journalism:
#: "Every contribution, however big or small, powers our journalism", "Support the Review from
#: as little as £1", "We have no shareholders and no billionaire owner", "Your contribution keeps
#: our reporting free", "X is free to read because readers like you chip in", "If you value our
#: work, please support us". Never a line that quotes or attributes (`_ATTRIBUTED`): "'Every
#: contribution, however big or small, makes a difference,' said …" is the story's.
APPEAL = re.compile(
    r"\A[^\n]{0,300}?\b(?:(?:every|any) contribution, (?:however|no matter how) big or small,?"
    r" (?:\w+ ){0,2}(?:our|this|independent) (?:journalism|reporting|newsroom|work)"
    r"|support (?:us|the [\w'’ ]{1,40}?) from as little as [$£€]\s?\d"
    r"|we have no shareholders (?:and|or) no billionaire owners?"
    r"|your (?:contribution|support|donation|gift) keeps (?:our|this) (?:journalism|reporting"
    r"|work) (?:free|open)"
    # "PulseLine is free to read because readers like you chip in"
    r"|(?:is|are|remains|stays) free (?:to read|for (?:everyone|all(?: readers)?)),? (?:because"
    r"|thanks to) (?:readers|people|supporters|members) like you"
    # "If you value our work, please support us with any amount"
    r"|if you (?:value|appreciate) (?:our|this|what we do|the work we do"
    r"|(?:independent|local|public-interest) (?:journalism|news|reporting))\b[^.!?\n]{0,60}?,? "
    r"please (?:support|consider supporting|donate|chip in|contribute)"
    # "If you like our work, please support us", "If you enjoyed this article, please support our
    # journalism" ("If you enjoy this walk, please support the volunteers …" is a story's)
    r"|if you (?:like|liked|enjoy|enjoyed) (?:our (?:work|journalism|reporting|stories|coverage)"
    r"|what we do|what you (?:read|see)|reading our [\w-]+|this (?:article|story|post|newsletter"
    r"|piece))\b[^.!?\n]{0,40}?,? please (?:support|consider supporting|donate to|contribute to)"
    r" (?:us|our)\b"
    # "… is a nonprofit newsroom. Make a tax-deductible gift today and …"
    r"|make a tax-deductible (?:gift|donation|contribution) (?:today|now))\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“”«»„]")


#: Literals of which every `APPEAL` match contains one (lower case): asked before the search,
#: which runs on every line the cleaner reads.
_APPEAL_LITERALS = (
    "contribution",
    "as little as",
    "shareholders",
    "keeps our",
    "keeps this",
    "like you",
    "if you value",
    "if you appreciate",
    "if you like",
    "if you enjoy",
    "tax-deductible",
)


def is_appeal(line: str) -> bool:
    """A reader-revenue appeal's paragraph (`APPEAL`), neither quoted nor attributed."""
    low = line.lower()
    return (
        len(line) <= 600
        and any(lit in low for lit in _APPEAL_LITERALS)
        and bool(APPEAL.match(line))
        and not _QUOTED.search(line)
        and not _ATTRIBUTED.search(line)
    )


def _without_leading_marks(line: str) -> str:
    """The line without the emoji, arrows or bullets it opens with (never a quotation mark or
    a dash: "« Soutenez la grève », a lancé ..." and "— Follow us, the officer said" stay)."""
    i = 0
    while i < min(len(line), 8) and (
        line[i] == " " or line[i] in _LEADING_MARKS or unicodedata.category(line[i])[0] == "S"
    ):
        i += 1
    return line[i:] if i < len(line) and line[i].isalnum() else line


#: A sign-up form's consent line: "By providing an email address. I agree to the Terms of Use and
#: acknowledge that I have read the Privacy Policy.", "By subscribing, you agree to our Terms".
SIGNUP_CONSENT = re.compile(
    r"\A(?:by (?:providing|submitting|entering|signing up|subscribing|clicking|registering|"
    r"continuing)\b[^.]{0,80}[.,]? ?)?(?:i|you) (?:agree|consent|accept)\b[^.]{0,60}"
    r"\b(?:terms of (?:use|service)|terms (?:and|&) conditions"
    r"|privacy (?:policy|notice|statement))"
    # "We use your sign-up to provide content in ways you have consented to."
    r"|\Awe use your sign-?up to\b",
    re.IGNORECASE,
)
PATTERNS["SIGNUP_CONSENT"] = SIGNUP_CONSENT


#: Words that attribute a line to someone: a sentence of the story, not the page's own prompt
#: or notice ("Join the club's WhatsApp group …, the secretary said"; "… uses cookies to track
#: visitors, the regulator found").
_ATTRIBUTED = re.compile(
    r"\b(?:said|says|told|according to|warned|warns|urged|urges|asked|found|finds|added"
    r"|argued)\b",
    re.IGNORECASE,
)


def is_subscribe(line: str) -> bool:
    """Subscription and follow prompts ("Subscribe to our newsletter", "Follow us on X")."""
    if len(line) > 300 or nwords(line) > 40:
        return False
    if SIGNUP_CONSENT.match(line):
        return True
    line = _without_leading_marks(line)  # "📲 Participe do canal ...", "► Subscribe ..."
    if nwords(line) <= 35 and _NEWSLETTER_ASK.search(line) and _NEWSLETTER_OFFER.search(line):
        return True  # "Like this? Get stories like it in your inbox ... with our newsletter."
    if FOREIGN_SUBSCRIBE.match(line) or FOREIGN_FOLLOW.match(line):
        return nwords(line) <= 30
    label = _PROMPT_LABEL.match(line)
    if label and _APP_PROMPT.match(line[label.end() :]) and not _ATTRIBUTED.search(line):
        return True  # "Get alerts: Download the Skyline Weather app for severe weather …"
    if nwords(line) <= 40 and _ASK_THEN_SUBSCRIBE.match(line):
        return True  # "Want more stories like this? Subscribe to the … for unlimited access"
    if nwords(line) <= 40 and _SUBSCRIBE_AT_PRICE.search(line) and not _ATTRIBUTED.search(line):
        return True  # "Keep reading local news you can trust. Subscribe for R49 a month and …"
    m = SUBSCRIBE.match(line)
    if not m:
        return False
    head = m.group(0).casefold()
    if head.startswith(("join the", "donate", "get ", "sign up")) and _ATTRIBUTED.search(line):
        return False  # "Join the club's WhatsApp group …, the secretary said": a story's words
    if head.startswith("sign up") and nwords(line) >= 12 and not _OWN_OFFER.search(line):
        return False  # "Sign up for the free reminder service, which sends an email …": the city's
    if head.startswith("like ") and not _OWN_ACCOUNT.search(line):
        return False  # "Like Taylor on Instagram, join the fan club, the promoter promised."
    if head.startswith(("follow", "like ", "join us")):
        return True
    if head.endswith(_PLATFORMS):
        # a follow box's label that names its platform again in the call: "Tiverei paWhatsApp:
        # Joinai chiteshi chedu che WhatsApp …" ("Inside Telegram: how a messaging app …" is a
        # headline)
        platform = next(p for p in _PLATFORMS if head.endswith(p))
        return nwords(line) <= 30 and line.casefold().count(platform) >= 2
    if head.startswith("get ") and " access" in head:
        # "Get full access to The Signal Room from Rs 199 a month. Cancel anytime." is the
        # paywall's; "Get unlimited access to Disney+ for $7.99 a month under the new plan"
        # is a consumer story's: the offer names a subscription's terms
        return bool(_PAYWALL_TERMS.search(line))
    return bool(_SUBSCRIBE_HINT.search(line) or _SIGN_UP_TO_NAME.match(line))


#: Messaging platforms a follow box's label names ("Tiverei paWhatsApp:").
_PLATFORMS = ("whatsapp", "telegram", "viber")
#: A reader's question, then the call: "Want more stories like this? Subscribe to …",
#: "Enjoyed this article? Sign up for …", "Like what you read? Become a member", "Like this
#: story? Follow us on Telegram …".
_ASK_THEN_SUBSCRIBE = re.compile(
    r"\A(?:want|like|liked|enjoy|enjoyed|enjoying|love|loved|value|found|did you enjoy"
    r"|do you enjoy)\b[^.?!]{0,50}\? (?:subscribe|sign up|become a (?:member|subscriber"
    r"|supporter)|support (?:us|our journalism|independent journalism|our work)"
    r"|follow us(?= on | at |@|\W{0,2}\Z)"
    r"|join (?:our|the) (?:[\w'’-]{1,20} ){0,3}(?:newsletter|mailing list))\b",
    re.IGNORECASE,
)
#: A paywall's offer in the imperative, its price by the month, week or year or its unlimited
#: access, opening a sentence of the line: "Keep reading local news you can trust. Subscribe for
#: R49 a month and get unlimited access" (a price offers access or ends the line: "Viewers can
#: subscribe for $7.99 a month", "… Subscribe for $15.49 a month to get the standard plan" are a
#: consumer story's).
_SUBSCRIBE_AT_PRICE = re.compile(
    r"(?:\A|[.!?] )(?:subscribe (?:now |today )?(?:for|from) (?:just |only )?(?:[$€£₹¥R]|rs\.? ?)?"
    r"\d[\d.,]{0,8} ?(?:a|per|/) ?(?:month|week|year|mo)\b(?=[^.!?]{0,60}\baccess\b|\W{0,3}\Z)"
    # "Reporting like this takes time. Subscribe for unlimited access to the Sentinel's …",
    # "Unlock unlimited access to WA's best journalism"
    r"|(?:subscribe (?:now |today )?(?:for|to get)|unlock) (?:unlimited|full|unrestricted|digital)"
    r" access\b)",
    re.IGNORECASE,
)
#: A newsletter box's lines under its heading: the blurb ("What's happening in Connecticut
#: schools, every Thursday.", "… straight to your inbox"), the address field and the button.
NEWSLETTER_BOX_LINE = re.compile(
    r"(?:\A|[,—–-] ?)(?:every|each) (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekday"
    r"|morning|evening|afternoon|night|week|day|month|fortnight)s?(?: (?:morning|evening"
    r"|afternoon|at \d{1,2}(?::\d\d)? ?[ap]\.?m\.?))?[.!]?\Z"
    r"|\b(?:in|to|into) your inbox\b|\bdelivered (?:daily|weekly|free|every|straight|directly)\b"
    r"|\bunsubscribe (?:at )?any ?time\b"
    r"|\A(?:your |enter (?:your )?)?e-?mail(?: address)?(?: here)?\W{0,3}\Z"
    r"|\A(?:sign ?up|sign me up|subscribe|join|register|submit|get it|count me in"
    r"|join (?:the|our) (?:channel|group|community))"
    r"(?: now| today| here| for free| free)?\W{0,3}\Z",
    re.IGNORECASE,
)
#: A paywall offer's terms: "Cancel anytime", a trial, a subscription, our journalism.
_PAYWALL_TERMS = re.compile(
    r"cancel any ?time|free trial|subscri|\bour (?:journalism|reporting|stories|site)"
    r"|every (?:story|article)|all (?:our )?(?:stories|articles)",
    re.IGNORECASE,
)
#: A prompt's own label ("Get alerts: ", "Stay informed: "), and the prompt then: the outlet's
#: app to download, or its own newsletter or alerts to join ("Tip: Download the official NHS app"
#: and "Step 2: …" are a story's advice).
_PROMPT_LABEL = re.compile(
    r"\A(?:get (?:news |breaking news |weather )?alerts|(?:breaking )?news alerts|stay (?:informed"
    r"|updated|connected)|get the app|never miss a story|don['’]t miss out)\s?: ",
    re.IGNORECASE,
)
_APP_PROMPT = re.compile(
    r"download (?:the|our) [^.]{0,50}\bapp\b|(?:sign up|subscribe)\b[^.]{0,20}\bour (?:[\w-]+ )?"
    r"(?:newsletters?|app|alerts|e-?mails|briefing|digest)\b",
    re.IGNORECASE,
)
#: What a long sign-up line offers when it is the outlet's own: its newsletter, alerts, inbox or
#: account ("our", "us"), not a public service's reminders.
_OWN_OFFER = re.compile(
    r"newsletter|inbox|(?:our|breaking|news|e-?mail|text) alerts|briefing|digest|bulletin|subscri"
    r"|\b(?:our|us)\b|\bnews\b|stories|headlines|delivered|the latest|in your e-?mail"
    r"|\bfrom (?-i:The [A-Z])\w+|(?-i:[A-Z]\w+ (?:Daily|Weekly|Today|Tonight|Morning|Evening))\b",
    re.IGNORECASE,
)
#: A page's own account in its follow prompt: a handle or "us"/"our".
_OWN_ACCOUNT = re.compile(r"@\w|\b(?:us|our)\b", re.IGNORECASE)
#: A newsletter box's button or heading naming the newsletter: "Sign up to The Final Whistle",
#: "Sign up for The Terrace Post" (after "for" only a name headed by a capital "The": "Sign up
#: for Medicare Part D" may head a consumer story's section).
_SIGN_UP_TO_NAME = re.compile(
    r"sign ?up (?:to (?:the )?|for (?-i:The) )(?-i:[A-Z])[\w'’&-]*(?: (?-i:[A-Z])[\w'’&-]*){0,4}"
    r"\W{0,2}\Z",
    re.IGNORECASE,
)


#: A disclosure about this very page: "This post may contain affiliate links …".
_THIS_PAGE = re.compile(
    r"\A(?:this|the|our) (?:post|article|page|story|guide|review|site|list) (?:may )?contains?\b",
    re.IGNORECASE,
)
#: A note about this very story ("This story was produced by ..."), which may run long.
_THIS_STORY = re.compile(
    r"\A(?:this|the above) (?:story|article|report|piece|post|column|interview|content|feature)\b",
    re.IGNORECASE,
)


_FUNDING = re.compile(
    r"\b(?:supported|funded|underwritten|made possible) (?:in part )?by\b|\bfellowship\b|\bgrant\b"
    r"|\bwith (?:the )?(?:financial )?support (?:from|of)\b",
    re.IGNORECASE,
)


#: What a consent banner says its cookies are for, in the languages of its openings.
_CONSENT_PURPOSE = re.compile(
    r"experience|consent|accept|agree|personali[sz]|analy[st]|improve|browsing|preferences"
    r"|privacy|cookie policy|settings|advertis|\bads\b|functionality|erfahrung|zustimm"
    r"|akzept|datenschutz|einverstanden|expérience|consentement|accepte|confidentialité"
    r"|experiencia|consentimiento|acept|privacidad|esperienza|consenso|accett|ervaring"
    r"|toestemming|akkoord|doświadcz|zgod|prywatn",
    re.IGNORECASE,
)
#: A disclaimer's label before it: "Medical disclaimer:", "Disclaimer -".
_DISCLAIMER_LABEL = re.compile(
    r"\A(?:(?:medical|health|legal|important) )?disclaimer ?[:–—-] ?", re.IGNORECASE
)
#: A disclaimer about the page itself: "This article is for general information only …", "The
#: information on this site …".
_SELF_DISCLAIMER = re.compile(
    r"(?:this|the) (?:article|information|content|page|story|site|website|material)\b"
    r"|(?:the )?(?:information|content) (?:in|on|provided)\b"
    # "HealthBeat Today news stories are for general information and …"
    r"|[^.]{0,80}\b(?:are|is) (?:provided )?for (?:general )?information(?:al purposes)?\b",
    re.IGNORECASE,
)


#: A sentence of credits: "Sound design by Luc Gagnon.", "Music by Slow Lantern."
_CREDIT_CLAUSE = re.compile(r"(?:\A|(?<=\. ))[A-Z][\w ]{0,50}? by [^.]{1,80}\.")
#: Credits of a podcast's episode name at least this many jobs.
CREDIT_CLAUSES = 3
#: The rest of the disclaimer's own sentence, and no other after it ("… are those of the
#: author.", "… are her own.").
_SENTENCE_END = re.compile(r"[^.!?,;]{0,30}[.!?]?[\s”\"'’)]*")
#: A market page's disclaimer says the page is for information, or that its data lag.
_FOR_INFORMATION = re.compile(
    r"\bfor (?:general )?information(?:al)? (?:purposes )?only\b"
    r"|\b(?:data|quotes?|prices?)\b[^.]{0,40}\bdelayed\b",
    re.IGNORECASE,
)
#: Words of a market page's disclaimer at most.
INVESTMENT_WORDS = 40
#: A columnist's bio with its views disclaimer at the end has at most this many words.
BIO_WORDS = 60


def is_promo_line(line: str) -> bool:
    """Copyright notices, "Advertisement", "This article first appeared on ..."."""
    if len(line) <= 600 and DONATION_ASK.match(line):
        return True
    if is_appeal(line):
        return True
    if len(line) > 300 or not may_match_promo(line):
        return False
    if line[:1] in "DdMmHhLlIi" and (label := _DISCLAIMER_LABEL.match(line)):
        line = line[label.end() :]  # "Disclaimer: The views expressed in this column are …"
    m = PROMO.search(line)
    if not m:
        return False
    # The notice must open the line or the line must be short; a sentence about copyright law,
    # or one that mentions an advertisement, is body.
    hit = m.group(0).casefold()
    if "not involved" in hit:
        # "This article was produced in partnership with …; our editorial team was not involved";
        # "… said its newsroom staff were not involved in the decision" is the story's
        return bool(_THIS_STORY.match(line))
    if ("editorial" in hit and "editorial use" not in hit) or "solely responsible" in hit:
        # "… retains full editorial control" closes a funder's note; "the paper retains editorial
        # control under the new owner" is the story's
        return bool(_FUNDING.search(line))
    if "permission" in hit and m.start() > 2:
        # A permission note not at the start is one only when the line is about this story
        # ("This story was produced by ..., and is republished here with permission.") or is a
        # few words; "... the catalogue had been republished with permission." is body.
        return bool(_THIS_STORY.match(line)) or nwords(line) <= 8
    if "affiliate links" in hit and _THIS_PAGE.match(line):
        return True  # "This post contains affiliate links. If you book through them, we earn …"
    if "commission" in hit:
        return True  # "However, when you buy through our retail links, we may earn a commission"
    if "substitute for" in hit:
        # "This article is for general information only and is not a substitute for professional
        # medical advice …" is the page's disclaimer, under its label too ("Medical disclaimer:
        # This article …"); "Doctors say symptom checkers are not a substitute for medical
        # advice" is the story's
        own = _DISCLAIMER_LABEL.sub("", line, count=1)
        return bool(_SELF_DISCLAIMER.match(own)) and not _ATTRIBUTED.search(own)
    if "investment advice" in hit:
        # "Markets Meridian does not provide investment advice. Data may be delayed." under a
        # market report is the page's; "The robo-adviser does not provide investment advice to
        # retail clients" is the story's: the line says what it is for or that its data lag
        return (
            nwords(line) <= INVESTMENT_WORDS
            and bool(_SELF_DISCLAIMER.match(line) or _FOR_INFORMATION.search(line))
            and not _ATTRIBUTED.search(line)
        )
    if "cookie" in hit:
        # a banner says what the cookies are for ("to enhance your experience", "consent");
        # "We use cookie cutters …" and "… uses cookies to track visitors, the regulator found"
        # are the story's
        return bool(_CONSENT_PURPOSE.search(line)) and not _ATTRIBUTED.search(line)
    if "produced by" in hit[:120] and not hit.startswith("this "):
        # a podcast's credits name three jobs or more ("Produced by … . Sound design by … . Music
        # by …"); "Produced by the BBC. Music by Elgar was played …" is the story's
        return len(_CREDIT_CLAUSE.findall(line)) >= CREDIT_CLAUSES
    if ("expressed" in hit or "reflect" in hit) and m.start() > 2:
        # the disclaimer closing a columnist's bio: "Jane Roe is a former school librarian in
        # Utuado. The views expressed in this column are her own." ("Critics said the views
        # expressed in this column are his own opinion, not the paper's" goes on after it)
        return nwords(line) <= BIO_WORDS and bool(_SENTENCE_END.fullmatch(line[m.end() :]))
    if m.start() > 2 and nwords(line) > 20:
        return False
    if hit.startswith(("copyright", "advertis", "sponsored")):
        low = line.casefold()
        year = any(len(w) == 4 and w.isdigit() for w in (t.strip("©.,;:()") for t in words(line)))
        return nwords(line) <= 4 or "©" in line or year or "all rights reserved" in low
    return True


def is_nav(line: str) -> bool:
    """ "Tags: Iran, Pakistan", "Filed under: World": tag lists and categories."""
    return len(line) <= 300 and bool(NAV.match(line)) and not is_body_like(line)


def is_comments(line: str) -> bool:
    """ "Leave a comment", "12 Comments": comment widgets; a comment box's house rules
    ("Comments are posted through Facebook. Please keep it civil.")."""
    line = line.lstrip("-*• ")  # a template's list of node links: "- Add new comment"
    if nwords(line) <= 30 and COMMENTS_POLICY.match(line):
        return True
    return nwords(line) <= 6 and bool(COMMENTS.fullmatch(line.strip(" .:!()")))


#: A science page's boxes under the story: "Story Source" over "Materials provided by …",
#: "Cite This Page" over the citation in three styles.
CITATION_HEADER = re.compile(
    r"\A(?:story source|cite this (?:page|article|story|post|commentary|report|paper|piece"
    r"|analysis|brief|publication)|how to cite(?: this (?:page"
    r"|article|story))?)\s?:?\Z",
    re.IGNORECASE,
)
#: A forecast strip's day: "Mon 29°/19° Snow", "Tuesday 36° / 22° Clearing".
WEATHER_DAY = re.compile(
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)\.?,?\s[-−]?\d{1,3}°[FC]?\s?/\s?[-−]?\d{1,3}°[FC]?"
    r"(?:\s[A-Za-z][A-Za-z -]{1,25})?",
    re.IGNORECASE,
)
#: A byline's desk alone on its line: "Register staff writer", "Herald staff report".
STAFF_LINE = re.compile(
    r"(?:[A-Z][\w&.'’-]{1,20} ){1,3}(?i:staff (?:writer|reporter|report|photographer)s?)"
)
#: A paywall's lines in the languages of the news we read: "Este artigo é exclusivo para
#: assinantes", "Já é assinante? Entrar", "Cet article est réservé aux abonnés", "Jetzt abonnieren".
PAYWALL_LINE = re.compile(
    r"(?:este (?:artigo|conteúdo) é exclusivo para assinantes|continue a ler com a assinatura\b"
    r"[^?!]{0,200}"
    r"|assine (?:já|agora)|assinar agora|este contenido es exclusivo para suscriptores"
    r"|suscr[íi]bete (?:ahora|ya)|cet article est réservé aux abonnés|je m[’']abonne"
    r"|dieser artikel ist (?:nur )?für abonnenten|jetzt abonnieren|articolo riservato agli"
    r" abbonati|abbonati ora|dit artikel is alleen voor abonnees|artykuł (?:dostępny )?tylko dla"
    r" (?:prenumeratorów|subskrybentów)"
    r"|(?:já é assinante|ya eres suscriptor|déjà abonné|bereits abonnent|sei già abbonato"
    r"|al abonnee|masz już konto)\s?\?(?:\s?(?:entrar|inicia sesión|se connecter|anmelden|accedi"
    r"|inloggen|zaloguj się)\.?)?"
    # a meter's count: "You have read 2 of your 3 free articles this month.", "You have 1 free
    # article left this month"
    r"|you(?:['’]ve| have) read \d{1,3} of (?:your )?\d{1,3} free (?:articles?|stories|story)"
    r"(?: this (?:month|week))?[.!]?"
    r"|you have \d{1,3} free (?:articles?|stories|story) (?:left|remaining)(?: this (?:month"
    r"|week))?[.!]?)",
    re.IGNORECASE,
)
#: An ad's label and the line that says the story goes on after it, in those languages.
AD_LINE = re.compile(
    r"(?:publicité|publicidad|publicidade|pubblicità|anzeige|werbung|advertentie|reklama|реклама"
    r"|reklam|إعلان)\W{0,3}"
    r"|(?:dalsza część (?:artykułu|tekstu) pod (?:materiałem wideo|reklamą|zdjęciem|filmem)"
    r"|artykuł (?:czytaj )?dalej pod (?:reklamą|materiałem wideo)|haberin devamı"
    r"|el artículo continúa (?:debajo|tras la publicidad)|la suite (?:de l[’']article )?après"
    r" (?:la|cette) publicité|weiterlesen nach der anzeige|l[’']articolo continua (?:sotto|dopo"
    r" la pubblicità)|продолжение (?:ниже|после рекламы)|het artikel gaat verder (?:onder|na) de"
    r" advertentie|a (?:reportagem|notícia) continua (?:depois|após) (?:da|a) publicidade)\W{0,3}",
    re.IGNORECASE,
)
#: A video player's own words left in the text: "Video Loading", "Click to play", "The video
#: will auto-play soon8" (a UK regional chain's player).
VIDEO_CHROME = re.compile(
    r"video (?:loading|unavailable|is loading|will (?:auto-?play|play) soon\d*)|(?:click|tap)"
    r" to (?:play|unmute|watch)|the video will (?:auto-?play|start|play) (?:soon|in)\s?\d*"
    r"(?: seconds?)?|view all|see all|show all|back to (?:all )?(?:news|articles|posts|stories"
    r"|press releases|the list)|[‹«<←] ?back(?: to [\w ]{2,20})?"
    # a player's length beside its transcript link, a gallery's count: "2:14 Transcript", "3 photos"
    r"|(?:\d{1,2}:)?\d{1,2}:\d\d transcript"
    r"|(?:view |see all )?\d{1,3} (?:photos?|images?|pictures?)",
    re.IGNORECASE,
)
#: A comment box's lines in Turkish and Arabic: "Yorum Yaz", "Bu habere henüz yorum
#: yapılmamış.", "Yorumlar editör onayından sonra yayınlanır …", "التعليقات".
FOREIGN_COMMENTS = re.compile(
    r"(?:yorum yaz|yorum yap|yorumlar|التعليقات|تعليقات|أضف تعليق"
    r"|bu habere henüz yorum yapılmamış"
    r"|yorumlar editör onayından sonra yayınlanır\b[^!?]{0,160})\W{0,3}",
    re.IGNORECASE,
)
#: A fact check's verdict label alone on its line: "Rating: Misleading", "Verdict: False".
VERDICT_LABEL = re.compile(
    r"\A(?:our )?(?:rating|verdict|ruling)\s?:\s?(?:true|false|misleading|mostly (?:true|false)"
    r"|half[- ]true|pants on fire|unproven|mixture|partly (?:true|false)|missing context"
    r"|altered|satire|correct|incorrect|fake|misattributed|unsupported|inaccurate|accurate"
    r"|needs context|out of context|exaggerated)\.?\Z",
    re.IGNORECASE,
)
#: A page's text-size tool after a byline or date on its line: "… 06:20 PM Text size: A-AA+
#: Print Email".
TEXT_SIZE_TAIL = re.compile(
    r"[\s|•·]{1,5}(?:text|font) ?size\s?:?\s?(?:A\s?[-−–+]?\s?){1,3}(?:[\s|•·]{1,5}(?:print"
    r"|e-?mail|share|save|comments?)){0,5}[\s|•·]*\Z",
    re.IGNORECASE,
)
#: A comment box's note on its own rules: how comments are posted or moderated, a call to
#: civility. A story says "comments" of people ("Comments are welcome until Friday, the council
#: said"), so the line must be the note and nothing else: no attribution after it.
COMMENTS_POLICY = re.compile(
    r"\A(?:(?:reader )?comments (?:are|will be) (?:posted|powered|provided|hosted) (?:through|by"
    r"|via|with) (?:facebook|disqus|a third[- ]party|our (?:partner|provider|platform))\b[^.]{0,40}"
    r"\.(?: please keep (?:it|comments|your comments|the conversation) [\w -]{1,30}\.?)?"
    r"|(?:reader )?comments (?:are|will be) moderated(?: before (?:they|being) [^.]{1,30})?\."
    r"(?: please keep (?:it|comments|your comments|the conversation) [\w -]{1,30}\.?)?"
    r"|please keep (?:it|comments|your comments|the (?:conversation|discussion)) (?:civil"
    r"|respectful|on[- ]topic|clean)\.?"
    # "Comments are open for 24 hours. Read our guidelines.", "Comments are closed."
    r"|(?:comments (?:on this (?:article|story|post) )?(?:are|have been)|commenting is) (?:now )?"
    r"closed(?: for this (?:article|story|post))?\.?"
    r"|comments (?:are|will be|will remain) (?:now )?(?:open|closed)(?: for this (?:article"
    r"|story|post)| for (?:\d{1,3}|twenty-four|forty-eight) (?:hours|days)| on (?:this"
    r" (?:article|story|page)|editorials|[\w-]{1,20} (?:articles|stories|pages)))?\.?"
    r"(?: read (?:our|the) (?:community |comment )?(?:guidelines|rules|policy)\.?)?"
    # "Comments closed. Due to the sensitive and/or legal subject matter of some of the content
    # on …, we reserve the ability to disable comments from time to time."
    r"|comments (?:are )?closed\. (?:due to|because of) (?:[^.]|\.(?=\w)){1,160}?,? we reserve the"
    r" (?:ability|right) to (?:disable|close|remove|turn off) comments[^.,]{0,40}\."
    # a members' site's call under the story: "Sign in or become a member to join the
    # conversation."
    r"|(?:sign|log) in(?: or (?:become a (?:paid )?member|sign up|subscribe|register))? to (?:join"
    r" the (?:conversation|discussion)|comment|leave a comment)\.?)\Z",
    re.IGNORECASE,
)


def about_name(line: str) -> str | None:
    """The <Name> of an "About <Name>" header line, or None."""
    if len(line) > 90:
        return None
    m = ABOUT.fullmatch(line.rstrip(":"))
    if not m:
        return None
    name = m.group(1).strip()
    toks = words(name)
    if not 1 <= len(toks) <= 5 or ends_sentence(name) or not line[0].isupper():
        return None
    if name.casefold() in AUTHOR_NAMES or name.casefold() in {"us", "the site", "this site"}:
        return name
    first = toks[0] if toks[0].casefold() != "the" or len(toks) == 1 else toks[1]
    return name if first[:1].isupper() else None


_JOINING_WORDS = frozenset("and of for the on in to & de des du la le et y".split())


def _spells_out(acronym: str, paragraph: str) -> bool:
    """Whether the paragraph opens with the name the acronym stands for: "About UNDRA" over "The
    United Nations Displacement and Return Agency works …" (a release's boilerplate)."""
    if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
        return False
    initials = ""
    for word in paragraph.split()[:16]:
        if word.casefold() in _JOINING_WORDS:
            continue
        if not word[:1].isupper():
            break
        initials += word[0]
        if len(initials) >= len(acronym):
            break
    return initials == acronym


def promo_or_bio(paragraph: str, name: str, *, tail: bool = False) -> str | None:
    """Whether the paragraph after "About <Name>" describes an outlet (promo) or a person.

    It must name <Name> (or say "we"/"our") and use outlet or biography words; in the tail of the
    text (no real paragraph after it) naming <Name> is enough. Otherwise "About Kabul" followed
    by "Kabul has ..." is a subheading and the paragraph is body.
    """
    if nwords(paragraph) > 150:
        return None
    low = paragraph.casefold()
    key = name.casefold()
    mentions = (
        low.startswith((key, "the " + key, "we ", "our "))
        or f"{key} is" in low[:300]
        or _spells_out(name, paragraph)
    )
    outlet = bool(_OUTLET_WORDS.search(paragraph[:400]))
    bio = bool(_BIO_WORDS.search(paragraph[:400]))
    if key in AUTHOR_NAMES:
        return "author_box" if bio or mentions else None
    if not mentions:
        return None
    if outlet:
        return "promo"
    if bio:
        return "author_box"
    return "promo" if tail else None


def heading(line: str) -> tuple[str, str] | None:
    """(markers, text) of a Markdown ATX heading line, or None."""
    if not line.startswith("#"):
        return None
    m = MD_HEADING.fullmatch(line[:510])
    if not m:
        return None
    return m.group(1), m.group(2).rstrip(" #")


# Patterns defined after the table above, for the timing test and the docs.
PATTERNS.update(
    CONTACT_ASK=CONTACT_ASK,
    DONATION_ASK=DONATION_ASK,
    APPEAL=APPEAL,
    NEWSLETTER_OFFER=_NEWSLETTER_OFFER,
    CJK_CREDIT=CJK_CREDIT,
    CJK_PHOTO_CREDIT=CJK_PHOTO_CREDIT,
    NEWSLETTER_ASK=_NEWSLETTER_ASK,
    SENTENCE_VERB=_SENTENCE_VERB,
    TOOLBAR_MORE=_TOOLBAR_MORE,
)
PATTERNS.update(TAIL_BIO=TAIL_BIO, ROLE_FIRST=ROLE_FIRST, PERSON_LINE=PERSON_LINE)
PATTERNS.update(WRITER_BIO=WRITER_BIO, DASH_CREDIT=DASH_CREDIT)

PATTERNS.update(
    PAGER=PAGER,
    POSTED_NO_YEAR=POSTED_NO_YEAR,
    COMMENTS_POLICY=COMMENTS_POLICY,
    RELEASE_LABEL=RELEASE_LABEL,
    HIT_COUNTER=HIT_COUNTER,
    FLASH_PLAYER=FLASH_PLAYER,
    RESPOND_TO=RESPOND_TO,
)
PATTERNS.update(
    SHARED_BY=SHARED_BY,
    VIEW_POST_ON=VIEW_POST_ON,
    ASK_THEN_SUBSCRIBE=_ASK_THEN_SUBSCRIBE,
    NEWSLETTER_BOX_LINE=NEWSLETTER_BOX_LINE,
    CITATION_HEADER=CITATION_HEADER,
    VERDICT_LABEL=VERDICT_LABEL,
    PAYWALL_LINE=PAYWALL_LINE,
    AD_LINE=AD_LINE,
    VIDEO_CHROME=VIDEO_CHROME,
    FOREIGN_COMMENTS=FOREIGN_COMMENTS,
    INITIALS_CREDIT=INITIALS_CREDIT,
    WEATHER_DAY=WEATHER_DAY,
    STAFF_LINE=STAFF_LINE,
    TEXT_SIZE_TAIL=TEXT_SIZE_TAIL,
    DISCLAIMER_LABEL=_DISCLAIMER_LABEL,
)
