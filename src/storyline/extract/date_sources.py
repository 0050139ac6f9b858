"""Where a publication date comes from: the record, the page's metadata, the URL, a date line.

Why a module of its own: each source reads a different input (a record's fields, the page's
``<meta>`` and header, the URL path, the first lines of the text) and labels what it finds with
its source; the date stage (`storyline.extract.dates`) only orders and compares these findings.
The sources are listed here in precedence order.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain, islice
from typing import Any
from urllib.parse import unquote, urlsplit

from storyline.article import Removed
from storyline.extract.date_values import (
    DAY_NUMBER,
    PRECISION_RANK,
    format_date,
    parse_date_value,
    valid_date,
)
from storyline.extract.local_calendars import ethiopian_date, khmer_date, mongolian_date
from storyline.extract.solar_hijri import EASTERN_DIGITS, solar_hijri_date
from storyline.sources.markup import without_xml_declaration

#: Input record fields that hold a publication date, in order of preference. Fields that hold
#: crawl or ingest times ("timestamp", "date_download", "crawled", "fetched") are left out on
#: purpose: they say when someone saved the page, not when the outlet published it.
DATE_FIELDS: tuple[str, ...] = (
    "published",
    "date_published",
    "datePublished",
    "published_at",
    "publishedAt",
    "publication_date",
    "published_date",
    "publish_date",
    "date_publish",
    "pubDate",
    "pubdate",
    "pub_date",
    "date",
    "datetime",
    "issued",
)

# "/2021/08/18/", "/2021-08-18-", "/2021_8_18", "/2021/08/": a year, a month and maybe a day. A
# year and month joined by "-" or "_" with no day ("/ausgaben/2019-4/") is an issue number, not
# a month: only "/YYYY/MM/" directories give a month.
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-])(?P<m>0?[1-9]|1[0-2])"
    r"(?:(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01]))?(?=[/_-]|$|\.html?)"
)
# "20030331" standing alone in a path segment or a file name ("/20030331_Rede2.html").
_URL_COMPACT = re.compile(
    r"(?<![\d])(?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])(?![\d])"
)
#: The words of a newspaper edition's line, in the languages of the news we read: "Edición del
#: martes 9 de setiembre de 2003", "Ausgabe vom 3. März 2010", "vyšlo v pondelok 24. 11. 2008"
#: (the issue came out on that day). A date-line label, and what finds the line in an old
#: paper's archive page (`_edition_line`).
_EDITION = (
    r"edici[óo]n\s+del?|edi[çc][ãa]o\s+d[eo]|edizione\s+del|[ée]dition\s+du|ausgabe\s+vom"
    r"|edition\s+of|issue\s+of|vy[šs]lo(?:\s+v)?|vyd[áa]no|wydanie\s+z"
)
#: A volume's word on an old paper's masthead line, its number before or after it ("LXII.
#: évfolyam", "Jahrgang 62", "ročník XII", "62. årgang"): such a line is an edition's.
_VOLUME = r"évfolyam|évf\.|jahrgang|ro[čc]n[íi]k|årgang|vuosikerta|rocznik"
#: "Date of publication" as a label in other languages ("Dátum zverejnenia: 19. 05. 2010" in a
#: ministry's details table): read before the shorter words ("datum", "data") they begin with.
_PUBLICATION_NOUNS = (
    r"d[áa]tum\s+zverejnenia|datum\s+zve[řr]ejn[ěe]n[íi]|datum\s+objave|datum\s+objavljivanja"
    r"|data\s+public[ăa]rii|data\s+publikacji|data\s+di\s+pubblicazione"
    r"|data\s+de\s+publica[çc][ãa]o|publiceringsdatum|publiceringsdato|udgivelsesdato"
    r"|publiseringsdato|julkaisup[äa]iv[äa]|k[öo]zz[ée]t[ée]tel\s+d[áa]tuma|megjelen[ée]s\s+d[áa]tuma"
    r"|ημερομηνία\s+δημοσίευσης|дата\s+публікації|датум\s+објаве|дата\s+на\s+публикуване"
    r"|paskelbimo\s+data|publicēšanas\s+datums|avaldamise\s+kuup[äa]ev"
    r"|tarikh\s+terbit|tanggal\s+terbit|ngày\s+xuất\s+bản|วันที่เผยแพร่"
)
# Labels before a publication date, in the languages of the news the tool reads: "Published on",
# "Publié le", "Veröffentlicht am", "Gepubliceerd op", "Publicado el/em", "Pubblicato il"...
_DATE_LINE_LABEL = re.compile(
    # "originally published on …" in a migrated archive's byline ("oorspronkelijk gepubliceerd
    # op maandag 3 maart 2008"): the original day, which the migration rule sets over the import
    r"^(?:(?:originally|oorspronkelijk|urspr[üu]nglich|initialement|originalmente"
    r"|originariamente|pierwotnie)\s+)?"
    rf"(?:{_PUBLICATION_NOUNS}"
    # an old CMS's "Geschrieben von Vorstand am …", "Enviado por secretaria el …", "Posted by
    # admin on …": the author between the label and the date
    r"|(?:geschrieben|verfasst|eingestellt|posted|written|enviado|escrito|publicado|envoy[ée]"
    r"|[ée]crit|publi[ée]|scritto|inviato|pubblicato|geplaatst|geschreven|postat|skrivet"
    r"|publicerat|skrevet|wysłany|napisany|dodany|opublikowany)"
    r"\s+(?:von|by|por|par|da|door|av|af|przez)\s+[^\d|]{1,40}?\s+(?:am|on|el|le|il|op|em|en"
    r"|den|dnia)"
    # PHP-Nuke's "Lähettänyt admin perjantai, 15. tammikuuta 2010 @ …" (Finnish: the verb, the
    # author, then the weekday or the day), Czech "Zaslal redakce dne 3. 4. 2008"
    r"|(?:lähettänyt|kirjoittanut|julkaissut|zaslal|napsal|přidal|vložil)\s+[^\d|,]{1,40}?"
    r",?\s+(?:dne\s+)?(?=(?:maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai"
    r"|sunnuntai|pondělí|úterý|středa|čtvrtek|pátek|sobota|neděle)\b|\d)"
    # a press release's own line: "Pressemitteilung vom 14.05.2009", "Comunicato stampa del
    # 23/09/2009", "Pressemitteilung Nr. 112/2008 · 22.07.2008"
    r"|(?:pressemitteilung|presseinformation|pressemeldung|medienmitteilung|press\s+release"
    r"|news\s+release|media\s+release|comunicato\s+stampa|communiqu[ée]\s+de\s+presse"
    r"|nota\s+de\s+prensa|comunicado\s+de\s+prensa|persbericht|pressmeddelande"
    r"|tiskov[áa]\s+zpr[áa]va)(?:\s+n(?:r|o|º|°)\.?\s?\d{1,5}(?:/\d{2,4})?)?"
    r"(?:\s+(?:vom|del|du|de|van|of|från|ze))?(?:\s*[·|,-])?"
    # "Publicado originalmente el 05/07/2018" after the text (Spanish word order)
    r"|(?:publicad[oa]|published|pubblicat[oa]|publi[ée]e?)\s+(?:originalmente|originally"
    r"|originariamente|initialement)"
    # Joomla's article info in its language packs: "Creado en Martes, 15 Marzo 2011 19:20"
    r"|creado|criado|cr[ée]{2}|creato"
    r"|published|posted|date|dated|first published|publication date|released|created"
    r"|submitted(?:\s+by\s+[^\d|]{1,40}?\s+on)?"
    # the first of several versions: "Erstveröffentlichung: 10.11.2020", "zuerst veröffentlicht"
    r"|erstver[öo]ffentlich(?:ung|t)(?:\s+am)?|(?:erstmals|zuerst)\s+ver[öo]ffentlicht(?:\s+am)?"
    r"|publi[ée]e?|mis en ligne|paru|ver[öo]ffentlicht|erschienen|datum|gepubliceerd"
    r"|verfasst|geschrieben|eingestellt|erstellt"  # a German forum's or blog's "Verfasst am:"
    # a forum post's label in phpBB's other language packs ("Wysłany: Pon Lut 12, 2007 19:33")
    r"|wys[łl]any|wys[łl]ano|zaslal|inviato|postad|elk[üu]ldve|l[äa]hetetty|добавлено"
    r"|отправлено|post[ée]\s+le"
    # a German home page's or blog's own word for its post: "Eintrag vom 19.06.2005"
    r"|(?:eintrag|beitrag|artikel|meldung|nachricht|news)\s+vom"
    r"|geplaatst|publicado|publicada|fecha|data|pubblicato|pubblicata|opublikowano"
    r"|publicat|julkaistu|publicerad|publiceret|publisert|yay[ıi]nlanma(?:\s+tarihi)?"
    r"|yay[ıi]n\s+tarihi|giri[şs](?:\s+tarihi)?|تاریخ\s+انتشار|انتشار|تاريخ\s+النشر|نشر\s+في"
    r"|شائع\s+شدہ|شائع"
    # "date" alone in Persian and Urdu, Arabic, Pashto and Sorani ("تاریخ: ۱۳۹۱/۳/۲۰ هـ.ش")
    r"|تاریخ|تاريخ|نېټه|بەروار|ڕێکەوت"
    # Japanese, Chinese and Korean labels ("公開日：", "发布时间：", "기사입력")
    r"|公開日|掲載日|投稿日|作成日|登録日|発表日|配信日|公表日|发布时间|發布時間|发布日期|發佈日期|發布日期|发表时间|發表時間"
    r"|日期|게시일|등록일|기사입력|입력|작성일"
    # Hindi, Bengali and Thai ("प्रकाशित: १२ मार्च २०२३", "প্রকাশিত: ১২ মার্চ ২০২৩", "วันที่ 5 ...")
    r"|प्रकाशित(?:\s+तिथि)?|प्रकाशन\s+तिथि|दिनांक|প্রকাশিত|প্রকাশ|প্রকাশের\s+সময়|วันที่|เผยแพร่"
    # a Thai date line opens with its weekday: "วันอังคารที่ ๕ ธันวาคม ๒๕๖๐" (Tuesday the 5th)
    r"|วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)ที่"
    r"|โพสต์เมื่อ"
    # Nordic, Baltic, Slavic, Balkan, Greek, Hungarian, Celtic, Basque and South-East Asian
    # and African languages ("Birt: 3. des. 2010", "Objavljeno: 4. 5. 2021", "Опубликовано",
    # "Ngày đăng", "Diterbitkan", "Imechapishwa", "Cyhoeddwyd", "Publikuar më")
    r"|birtist|birt|avaldatud|publicēts|paskelbta|publikov[áa]no|zve[řr]ejn[ěe]no|publikovan[ée]"
    r"|zverejnen[ée]|vlo[žz]eno|vlo[žz]en[ée]|pridan[ée]|dodano|udgivet"
    r"|objavljeno|objavljen[oa]?|objava|közzétéve|megjelent|megjelenés"
    r"|δημοσιεύθηκε|δημοσίευση|опубликовано|дата\s+публикации|опубліковано|публикувано"
    r"|објављено|објавено|ngày\s+đăng|đăng\s+lúc|đăng\s+ngày|dipublikasikan|diterbitkan"
    r"|diposting|imechapishwa|ilichapishwa|inilathala|nai-post|cyhoeddwyd|pibliye"
    r"|postiwyd|publikuar(?:\s+m[ëe])?|argitaratua|argitaratze\s+data|გამოქვეყნდა"
    r"|հրապարակվել\s+է|հրապարակված|жарияланды|нашр\s+этилди|e\s+foilsithe|foilsithe"
    rf"|{_EDITION})"
    # (European Portuguese: "Publicado a 21 de junho de 2022")
    r"(?:\s+(?:on|at|le|am|op|el|em|en|il|the|den|pada|a(?=\s+\d)))?\s*[:：\-]?\s*",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    # a public page's review: "Page last reviewed: 12 March 2024" (NHS, councils, charities)
    r"^(?:page\s+)?(?:last\s+)?(?:updated|modified|edited|revised|reviewed|mis\s+[àa]\s+jour"
    r"|actualis[ée]e?"
    # Joomla's "modified" label in the languages whose "created" it reads
    r"|(?:última|ultima|ultimo|dernière|derniere)\s+(?:actualizaci[óo]n|atualiza[çc][ãa]o"
    r"|modifica(?:ção|cion|ción|tion)?|aggiornamento|mise\s+[àa]\s+jour)"
    r"|aktualisiert|ge[üu]pdatet|bijgewerkt|actualizado|actualizada|atualizado|aggiornato"
    r"|zaktualizowano|g[üu]ncellen?me(?:\s+tarihi)?|آخرین\s+به‌روزرسانی|به‌روزرسانی|تحديث"
    r"|最終更新日時|最終更新日|更新日時|更新日|更新时间|更新時間|最后更新|최종수정|수정일|수정"
    r"|अपडेटेड|अपडेट|আপডেট|হালনাগাদ|อัปเดต|แก้ไขล่าสุด"
    r"|uppfært|uppdaterad|uppdaterat|opdateret|oppdatert|päivitetty|uuendatud|atjaunināts"
    r"|atnaujinta|aktualizováno|aktualizovan[ée]|posodobljeno|ažurirano|ажурирано|frissítve"
    r"|ενημερώθηκε|обновлено|оновлено|обновено|cập\s+nhật|diperbarui|diperbaharui"
    r"|imesasishwa|diweddarwyd|eguneratua|actualitzat|përditësuar|განახლდა|թարմացվել\s+է)"
    r"(?:\s+(?:on|at|le|am|op|el|em|en|il|the|den|a(?=\s+\d)))?\s*[:：\-]?\s*",
    re.IGNORECASE,
)
# A time after the date in other languages: "à 10h15", "om 14:05", "10:15 Uhr", "a las 9:30",
# "às 08h00", "alle 18:40", "u 14:05" (Bosnian, Croatian, Serbian), "v 9:30", "ob 8.15", "klo
# 12.30", "plkst. 10:00", "в 14:05", "pukul 09.00" (English times are handled by `date_values`).
_LOCAL_TIME_TAIL = re.compile(
    r"[ ,|–—-]{0,4}(?:(?:at|à|a las|às|as|om|um|alle|ore|kl\.?|o godz\.?|godz\.?|saat|เวลา"
    r"|u|у|v|ve|o|ob|klo|kello|kell|plkst\.?|в|о|στις|pukul|jam|lúc"
    # the part of the day before a time in India's and Bangladesh's languages: "सकाळी ७:४५"
    # (Marathi, morning), "शाम", "সকাল", "காலை"
    r"|सकाळी|दुपारी|संध्याकाळी|रात्री|सुबह|दोपहर|शाम|रात|সকাল|দুপুর|বিকেল|সন্ধ্যা|রাত"
    r"|காலை|மாலை|இரவு|ఉదయం|సాయంత్రం|రాత్రి|രാവിലെ|വൈകിട്ട്|ರಾತ್ರಿ|ಬೆಳಿಗ್ಗೆ|ಸಂಜೆ"
    r"|સવારે|સાંજે|રાત્રે) {1,2})?"
    r"\d{1,2}[:.h]\d{2}(?::\d{2})?(?: ?(?:Uhr|h|hrs|horas|uur|sati|[ap]\.?m\.?|ص|م|น\.))?"
    # the zone the page writes its local time in: "GMT+5", "UTC+05:00", "PKT"
    r"(?: ?(?:(?:GMT|UTC) ?(?:[+−-] ?\d{1,2}(?::?\d{2})?)?|[A-Z]{2,5}))?\s{0,3}$",
    re.IGNORECASE,
)
#: Arabic month names dateparser does not know: the Levantine (Syriac) names used in Syria,
#: Lebanon, Jordan, Iraq and Palestine ("١٢ كانون الثاني ٢٠٢٢"), with their English names.
_LEVANTINE_MONTHS = (
    ("كانون الثاني", "January"),
    ("كانون الأول", "December"),
    ("تشرين الثاني", "November"),
    ("تشرين الأول", "October"),
    ("شباط", "February"),
    ("آذار", "March"),
    ("نيسان", "April"),
    ("أيار", "May"),
    ("حزيران", "June"),
    ("تموز", "July"),
    ("أيلول", "September"),
    ("آب", "August"),
)
_ARABIC_WEEKDAY = re.compile(
    r"(?:ال)?(?:سبت|أحد|احد|اثنين|إثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة)\s*[،,]?\s*"
)
#: A lunar Hijri date printed beside the Gregorian one ("9 ربیع الثانی 1443ھ", "1443 هـ").
_LUNAR_HIJRI = re.compile(r"(?<!\d)1[34]\d\d\s?(?:ھ|هـ|ه|AH\b)")
#: A whole lunar Hijri date before the Gregorian one on an Arabic date line, with what
#: separates them: "الأحد، ١١ رمضان ١٤٣٦ هـ - ٢٨ يونيو ٢٠١٥ م" (Egyptian and Gulf sites).
_HIJRI_DATE = re.compile(
    r"\d{1,2}\s+(?:محرم|صفر|ربيع\s+(?:الأول|الاول|الآخر|الثاني)|جمادى\s+(?:الأولى|الاولى|الآخرة"
    r"|الثانية)|رجب|شعبان|رمضان|شوال|ذو\s+القعدة|ذي\s+القعدة|ذو\s+الحجة|ذي\s+الحجة)\s+1[34]\d\d"
    r"\s?(?:هـ|ه|ھ)?\s*[-–،,]?\s*"
)
#: "م" (Miladi) after a Gregorian year.
_MILADI = re.compile(r"(?<=\d{4})\s?م(?=\s|$)")  # after a time it is "PM"


def _arabic_to_english(part: str) -> str:
    """An Arabic-script date part with Western digits, Levantine months in English and the
    weekday left out, for the English reader; other text is returned as it is."""
    if not re.search(r"[\u0600-\u06FF]", part):
        return part
    out = part.translate(EASTERN_DIGITS)
    out = _MILADI.sub("", _HIJRI_DATE.sub("", out))  # "١١ رمضان ١٤٣٦ هـ - ٢٨ يونيو ٢٠١٥ م"
    for arabic, english in _LEVANTINE_MONTHS:
        out = out.replace(arabic, english)
    return _ARABIC_WEEKDAY.sub("", out).strip(" -–،,")


# "Published: 10 July 2024 | Updated: 11 July 2024": one line, two dates.
_DATE_LINE_PARTS = re.compile(
    r"\s[|•·]\s|\s{2,}|,\s(?=(?:last\s+)?(?:updated|modified|published|posted)\b)",
    re.I,
)
#: The label of such a field, which makes an ideographic space a separator (`_label_line`).
_CJK_FIELD_LABEL = re.compile(
    r"\u3000(?:来源|來源|出处|出處|作者|记者|記者|编辑|編輯|责任编辑|責任編輯|通讯员|通訊員)"
)
#: A Chinese or Japanese article's other fields after its date on one line, each after an
#: ideographic space: "发布时间：2018年11月5日　来源：西湖在线　作者：记者 周敏　字号：大 中 小".
_CJK_FIELD = re.compile(
    r"(?:来源|來源|出处|出處|作者|记者|記者|编辑|編輯|责任编辑|責任編輯|责编|通讯员|通訊員|摄影|攝影"
    r"|字号|字號|浏览|瀏覽|点击|點擊|阅读|閱讀|出典|提供)[:：\s]?.{0,40}"
    r"|[\u4e00-\u9fff]{1,4}\s[\u4e00-\u9fff]{1,4}"  # "通讯员 陈立": a role and a name
    # a desk after the date: "平成20年7月17日(木)　社会部" (`_CJK_DESK_TAIL`)
    r"|[\u4e00-\u9fff]{1,6}(?:部|局|課|室)|[\uac00-\ud7a3]{1,5}(?:부|팀)"
)
#: A post's category or tags beside its date and author ("Publié le 3 mars 2009 par Hélène ·
#: Catégorie : Rosiers", "Posted 5 May 2019 | Category: News", "Kategorie: Vereinsleben").
_CATEGORY_PART = re.compile(
    r"(?:categor(?:y|ies|ia|ía|ie)|catégorie|kategorie|kategori[ae]?|rubri(?:k|que|ca)"
    r"|filed\s+under|posted\s+in|tags?|schlagworte?|sección|sezione|categorieën|rubriek)"
    r"\s?:\s?\S.{0,60}",
    re.IGNORECASE,
)
#: The section a date line names after its date, as an archive's line does ("First published
#: 16th May 2006 in News", "Erschienen am 3. Mai 2011 in Lokales"): capitalised words only.
_SECTION_TAIL = re.compile(
    r"(?<=\d{4})\s+in\s+[A-ZÀ-Þ][\w&'’-]{0,30}(?:\s+[A-ZÀ-Þ&][\w&'’-]{0,30}){0,3}$"
)
#: A reading time beside the date: "3 minute read", "5 min read", "Lesezeit: 4 Min.", "4 min de
#: lecture", "Tiempo de lectura: 3 min".
_READING_TIME = re.compile(
    r"(?:\d{1,3}[ -]?(?:minutes?|mins?\.?|min\.?|minuten|minuti|minutos)"
    r"(?: (?:read|reading time|de lecture|de leitura|di lettura|de lectura|lesezeit|leestijd))?)"
    r"|(?:reading time|lesezeit|leestijd|temps de lecture|tiempo de lectura|tempo de leitura"
    r"|tempo di lettura)\s?:?\s?\d{1,3}\s?(?:minutes?|mins?\.?|min\.?|minuten|minuti|minutos)",
    re.IGNORECASE,
)
#: A note beside the first publication's date that the page has been updated since, with no
#: date of its own: "Erstveröffentlichung: 10.11.2020 · Dieser Artikel wurde mehrfach
#: aktualisiert.", "This story has been updated."
_UPDATED_NOTE = re.compile(
    r"(?:this|the) (?:article|story|post|page) (?:was|has been) (?:\w+ ){0,2}updated\.?"
    r"|(?:dieser|der) (?:artikel|beitrag|text) wurde (?:\w+ ){0,2}aktualisiert\.?"
    r"|(?:cet|l['’]) ?article a été (?:\w+ ){0,2}mis à jour\.?"
    r"|(?:este|el) (?:artículo|texto) (?:fue|ha sido) (?:\w+ ){0,2}actualizado\.?",
    re.IGNORECASE,
)
#: An edition line's issue and volume numbers beside its date ("Año XIV", "Nº 4.871", "Číslo
#: 47/2008", "ročník XII", "Vol. 12 No. 45"): skipped as the lunar Hijri date is.
_ISSUE_PART = re.compile(
    r"(?:a[ñn]o|ano|ro[čc]n[íi]k|jahrgang|vol(?:ume|\.)?|issue|no\.?|n[º°o]\.?|[čc][íi]slo|nr\.?"
    r"|num[ée]ro|n[úu]mero|edici[óo]n|ausgabe|heft|broj|szám)\s?[\dIVXLC][\dIVXLC.,/]{0,9}"
    r"(?:\s(?:no\.?|n[º°o]\.?|nr\.?)\s?\d[\d.,]{0,7})?"
    # the number first, as Hungarian and the Nordic languages write it: "LXII. évfolyam, 48.
    # szám", "62. årgang, nr. 48"
    rf"|[\dIVXLC]{{1,8}}\.?\s(?:{_VOLUME})(?:,?\s(?:\d{{1,5}}\.?\s(?:szám|sz\.|nr\.?|no\.?)"
    r"|(?:nr\.?|no\.?|n[º°o]\.?)\s?\d{1,5}))?",
    re.IGNORECASE,
)
#: A paper's price on its masthead line after the date: "· Ára: 120 Ft", "Preis: 1,20 €".
_PRICE_PART = re.compile(
    r"(?:ára|price|preis|prix|precio|prezzo|pre[çc]o|cena|цена|ціна|fiyat[ıi]|hinta|pris)"
    r"\s?:?\s?[\d.,]{1,8}\s?[^\d\s]{0,4}",
    re.IGNORECASE,
)
#: The print edition a date line names after the date: "… · Sentinel print edition, page 23",
#: "… | Printausgabe, Seite 5", "… · p. A3".
_PRINT_PART = re.compile(
    r"(?:[^\d|•·]{0,40}\s)?(?:print(?:ed)? edition|printausgabe|druckausgabe|[ée]dition papier"
    r"|edici[óo]n impresa|e-?paper)"
    r"(?:,?\s(?:page|p\.|seite|s\.|p[áa]g\.?|p[áa]gina)\s?[A-Z]?\d{1,3})?"
    r"|(?:page|p\.|seite|s\.|p[áa]g\.?|p[áa]gina)\s?[A-Z]?\d{1,3}",
    re.IGNORECASE,
)
#: "24. 11. 2008": a day-first date written with a space after each dot (Czech, Slovak, German,
#: Croatian, Slovene), read as "24.11.2008".
_SPACED_DOTS = re.compile(r"(?<!\d)(\d{1,2})\.\s(\d{1,2})\.\s((?:19|20)\d\d)(?!\d)")
#: The full stop that closes a numeric date in Croatian, Serbian, Hungarian and Korean.
_YEAR_DOT = re.compile(r"(?<=\d)\.$")
#: A day-first date with dots and a two-digit year, with or without its time: "03.11.07, 21:14"
#: (German, Austrian and Swiss forums and weeklies, Russian and Czech sites). Read on a date line
#: only, where the dots say day first and nothing else can be meant.
_TWO_DIGIT_YEAR = re.compile(
    r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d\d)((?:,?\s{1,3}(?:um\s)?\d{1,2}[:.]\d{2}(?::\d{2})?)?)"
)
#: The abbreviated word "year" after a year: Polish "r.", Ukrainian "р.", Russian "г.",
#: Lithuanian "m.", Kazakh "ж.", Uzbek "y." ("12 IV 2011 r., godz. 13:05").
_YEAR_WORD = re.compile(r"(?<=(?:19|20)\d\d)\s?(?:r|р|г|m|ж|y)\.(?=[\s,]|$)")
#: Lithuanian's "d." (diena, day) after the day: "2005 m. rugsėjo 28 d.".
_DAY_WORD = re.compile(r"(?<=\d)\sd\.$")
#: A weekday's abbreviation of one to three letters before a day-first numeric date, in the
#: languages dateparser reads no such abbreviation of ("čt 03.06.2010", "Pt. 5.03.2010").
_SHORT_WEEKDAY = re.compile(
    r"^(?:po|út|ut|st|čt|ct|pá|pa|so|ne|pn|wt|śr|sr|cz|pt|sb|nd|mo|di|mi|do|fr|sa|ma|ti|on|to|lø"
    r"|sø|må|ke|la|su|pon|uto|sri|čet|pet|sub|ned|пн|вт|ср|чт|пт|сб|вс|hé|sze|cs|vas)\.?,?\s+"
    r"(?=\d{1,2}\.\d{1,2}\.(?:19|20)\d\d(?!\d))",
    re.IGNORECASE,
)
#: Galician month and weekday names, which dateparser does not know, as their Spanish ones.
_GALICIAN = {
    "xaneiro": "enero", "febreiro": "febrero", "maio": "mayo", "xuño": "junio",
    "xullo": "julio", "setembro": "septiembre", "outubro": "octubre",
    "novembro": "noviembre", "decembro": "diciembre", "luns": "lunes",
    "mércores": "miércoles", "xoves": "jueves", "venres": "viernes",
}  # fmt: skip
_GALICIAN_WORD = re.compile(rf"\b(?:{'|'.join(_GALICIAN)})\b", re.IGNORECASE)
#: Words only Galician has: "maio", "outubro" and the rest are Portuguese too, and a Portuguese
#: weekday beside a Spanish month reads as nothing.
_GALICIAN_ONLY = re.compile(
    r"\b(?:xaneiro|febreiro|xuño|xullo|decembro|luns|mércores|xoves|venres)\b", re.IGNORECASE
)


#: Basque months as their English names: Basque writes the year first, in the genitive, then
#: the month, then the day ("2004ko urriaren 7a" is 7 October 2004), which dateparser does not
#: read.
_BASQUE_MONTHS = {
    "urtarril": "January", "otsail": "February", "martxo": "March", "apiril": "April",
    "maiatz": "May", "ekain": "June", "uztail": "July", "abuztu": "August",
    "irail": "September", "urri": "October", "azaro": "November", "abendu": "December",
}  # fmt: skip
_BASQUE_DATE = re.compile(
    r"((?:19|20)\d\d)(?:\.\s?urteko|\s?e?ko)?\s(urtarril|otsail|martxo|apiril|maiatz|ekain"
    r"|uztail|abuztu|irail|urri|azaro|abendu)[a-z]{0,6}\s(\d{1,2})(?:a|an|ean|ak)?(?![\w])"
    r"(?:,?\s(?:astelehena|asteartea|asteazkena|osteguna|ostirala|larunbata|igandea))?",
    re.IGNORECASE,
)


def _basque_to_english(body: str) -> str:
    """A Basque date ("2004ko urriaren 7a, osteguna") as "7 October 2004"."""
    return _BASQUE_DATE.sub(
        lambda m: f"{m.group(3)} {_BASQUE_MONTHS[m.group(2).lower()]} {m.group(1)}", body
    )


def _galician_to_spanish(body: str) -> str:
    if not _GALICIAN_ONLY.search(body):
        return body
    return _GALICIAN_WORD.sub(lambda m: _GALICIAN[m.group(0).lower()], body)


#: Haitian Creole month and weekday names, which dateparser does not know beside a weekday
#: ("Pibliye mèkredi 17 oktòb 2018"), as their French ones.
_HAITIAN_MONTHS = {
    "janvye": "janvier", "fevriye": "février", "mas": "mars", "avril": "avril", "me": "mai",
    "jen": "juin", "jiyè": "juillet", "out": "août", "septanm": "septembre", "oktòb": "octobre",
    "novanm": "novembre", "desanm": "décembre",
}  # fmt: skip
_HAITIAN_WEEKDAYS = {
    "lendi": "lundi", "madi": "mardi", "mèkredi": "mercredi", "jedi": "jeudi",
    "vandredi": "vendredi", "samdi": "samedi", "dimanch": "dimanche",
}  # fmt: skip
_HAITIAN = _HAITIAN_MONTHS | _HAITIAN_WEEKDAYS
#: A Haitian date: its month after a day, perhaps its weekday before.
_HAITIAN_DATE = re.compile(
    rf"(?<!\w)(?:({'|'.join(_HAITIAN_WEEKDAYS)}),?\s+)?(\d{{1,2}})\s+"
    rf"({'|'.join(_HAITIAN_MONTHS)})\s+((?:19|20)\d\d)(?!\w)",
    re.IGNORECASE,
)
#: Haitian words other languages write too: "out" (August) is Portuguese's October, "me",
#: "mas", "avril" and "jen" are words elsewhere.
_HAITIAN_SHARED = frozenset({"me", "mas", "out", "avril", "jen"})
#: A line is read as Haitian only with the label "pibliye" or a word only Haitian writes.
_HAITIAN_ONLY = re.compile(
    rf"(?<!\w)(?:pibliye|{'|'.join(w for w in _HAITIAN if w not in _HAITIAN_SHARED)})(?!\w)",
    re.IGNORECASE,
)


def _haitian_to_french(body: str) -> str:
    """A Haitian Creole date ("mèkredi 17 oktòb 2018") as its French words."""
    if not _HAITIAN_ONLY.search(body):
        return body

    def french(m: re.Match[str]) -> str:
        # the pattern ignores case, so "mèkredİ" or "ſeptanm" match words the table spells
        # otherwise: such a date is left as written
        day = _HAITIAN.get(m.group(1).lower()) if m.group(1) else ""
        month = _HAITIAN.get(m.group(3).lower())
        if day is None or month is None:
            return m.group(0)
        return f"{day + ' ' if day else ''}{m.group(2)} {month} {m.group(4)}"

    return _HAITIAN_DATE.sub(french, body)


#: The word that opens a byline, in the languages of the news we read ("By", "Von", "Par",
#: "Door", "Av", "Oleh", "โดย", "Egilea:"), with an optional colon ("By: admin").
_BY_WORD = (
    r"(?:by|von|par|por|di|door|av|af|oleh|bởi|โดย|egilea|autor|autorka|yazar|kirjoittaja|ni"
    # Persian and Dari (report, writer, reporter), Pashto (writer, report), Sorani (prepared
    # by, written by), Urdu (report, writing), Arabic (by the pen of, prepared by)
    r"|گزارش|نویسنده|خبرنگار|لیکوال|راپور|ئامادەکردنی|نووسینی|رپورٹ|تحریر|بقلم|إعداد)"
    r"(?:\s?:)?"
)
# "Posted on June 19, 2024 by Staff Reporter", "2004 @ 18:42:10 CEST - By: admin", "středa 21.
# října 2009, 14:05 | Autor: Petr Kratochvíl": the byline after the date is not part of it.
_BY_TAIL = re.compile(rf"\s(?:[-–|•·]\s)?{_BY_WORD}(?:\s(.{{1,80}}))?$", re.IGNORECASE)
#: Small words inside a name ("Ursula von der Leyen", "Ahmed bin Saleh").
_NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "dos", "du", "la", "le", "al",
     "el", "bin", "ibn", "ben", "y", "and", "&"}
)  # fmt: skip


def _name_like(text: str) -> bool:
    """Whether the words after a byline word are a name ("Leila Haidari", "กองบรรณาธิการ", a
    user name: "by admin"), not prose that opens with "Von", "Di", "Door" or "By the way":
    at most five words, each capitalised, a particle inside a name, or in a script without
    case."""
    words = [w.strip(",.;()\"'") for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return True  # the name is in a child element ("Egilea: <b>mikelgoiri</b>")
    if len(words) > 5:
        return False
    if len(words) == 1:
        return True  # a user name ("by admin", "By: mikelgoiri")
    for i, word in enumerate(words):
        first = word[0]
        if first.isupper() or (first.isalpha() and not first.islower()):
            continue  # capitalised, or Thai, Arabic, CJK (no case)
        if i and word.lower() in _NAME_PARTICLES:
            continue
        return False
    return True


#: What may follow the author's name on a date line: the post's category ("Posted on March 5,
#: 2019 by admin in News", "… by Pastor Dan Whitfield in From the Pastor").
_CATEGORY_TAIL = re.compile(r"\s(?:in|under|filed\s+under|im|dans|en|em|w|i)\s", re.IGNORECASE)
#: A group signing as the author, led by its article: "door het bestuur", "by the editors",
#: "von der Redaktion", "par la rédaction".
_COLLECTIVE = re.compile(
    r"(?:the|het|de|der|die|das|la|le|les|el|il|lo|os|as|o|a)\s\S+(?:\s\S+){0,2}", re.IGNORECASE
)


#: A role signing as the author, perhaps after the paper's name: "by Observer correspondent",
#: "by our staff reporter", "by Herald staff", "by a correspondent".
_ROLE_BYLINE = re.compile(
    r"(?:(?:our|a|an|the)\s)?(?:[A-ZÀ-Þ][\w'’.-]{0,30}\s){0,3}(?:staff\s|special\s|news\s)?"
    r"(?:correspondents?|reporters?|writers?|editors?|desk|staff|bureau|team)",
    re.IGNORECASE,
)


#: A correspondent's role and place leading a date line in India's and Bangladesh's papers:
#: "प्रतिनिधी, पुणे" (Marathi, correspondent, Pune), "संवाददाता, लखनऊ", "নিজস্ব প্রতিবেদক, ঢাকা".
_ROLE_LEAD = re.compile(
    r"(?:प्रतिनिधी|प्रतिनिधि|संवाददाता|वार्ताहर|প্রতিনিধি|নিজস্ব প্রতিবেদক|নিজস্ব সংবাদদাতা|நிருபர்"
    r"|ప్రతినిధి|പ്രതിനിധി|ಪ್ರತಿನಿಧಿ|પ્રતિનિધિ|ਪ੍ਰਤੀਨਿਧੀ)(?:,\s?[^\d|,]{2,30})?"
)
#: A newsroom's word in the languages of the news we read: it signs a date line before the date
#: (`_DESK`) or after it (`_DESK_TAIL`).
_NEWSROOM = "redactie|redaktion|rédaction|redacción|redazione|redação|redakcja|redakce|redaksyon"
#: The newsroom signing after the date: "Publié mercredi 17 octobre 2018 · Rédaction Radio
#: Nord", "Pibliye mèkredi 17 oktòb 2018 · Redaksyon Radyo Kap Nouvèl".
_DESK_TAIL = re.compile(
    rf"\s[-–—|•·]\s(?:{_NEWSROOM})\b[^|•·\d]{{0,60}}$",
    re.IGNORECASE,
)


#: A Japanese, Chinese or Korean newsroom's department after the date: "平成20年7月17日(木)　社会部"
#: (the city desk), "编辑部", "사회부".
_CJK_DESK_TAIL = re.compile(
    r"\s(?:[\u4e00-\u9fff]{1,6}(?:部|局|課|室)|[\uac00-\ud7a3]{1,5}(?:부|팀))$"
)


#: A wire's or an outlet's name after a date: an agency of this list, or up to three capitalised
#: words ending in an outlet's word ("Continental Press", "Harbour News", "Valley Herald"); a
#: table's "| 10.04.2010 | Saisonauftakt Tennis |" or a timeline's "12 March 2019 | Brexit Vote
#: Delayed" is another line's title. Not `credits.AGENCY_ALT`: its short aliases are safe only
#: where a credit is expected, and after a teaser's date "| Mehr" is German for "more".
_SOURCE_AFTER = re.compile(
    r"(?:AFP|AP|Reuters|APP|IRNA|IANS|PTI|ANI|Xinhua|TASS|Anadolu|DPA|dpa|EFE|ANSA|Kyodo|Yonhap"
    r"|Bernama|UNB|Tasnim|ISNA|WAM|KUNA|QNA|Bloomberg|UPI|Sputnik|Interfax|RIA Novosti|Antara"
    r"|Lusa|Belga|ANP|APA|Ritzau|NTB|CTK|ČTK|PAP|MTI|BTA|Hina|Tanjug|Europa Press|Notimex"
    r"|Agence France-Presse|Associated Press|Deutsche Presse-Agentur|Press Trust of India"
    r"|(?:(?:The|[A-Z][\w&'’.-]{0,20}) ){0,2}(?:Press|News|Wire|Agency|Presse|Times|Post|Herald"
    r"|Tribune|Gazette|Radio|TV|Media|Network|Newswire|Service)"
    # a news section named by the word "news" first, in the languages that put it first:
    # "Balita ng Parokya" (Tagalog), "Berita Daerah", "Habari za Kitaifa", "Noticias de Lima"
    r"|(?:Balita|Berita|Habari|Noticias|Notícias|Nachrichten|Nieuws|Actualités|Notizie|Haberler"
    r"|Новости)(?: [\w'’-]{1,20}){0,3})\.?"
)


def _labelled_author(label: str, part: str) -> bool:
    """An author labelled with a colon may be a department or a group in lower-case words
    ("Autor: Odbor životního prostředí", the council's environment department): a few words
    without a digit."""
    rest = part[len(label) :]
    return ":" in label and 0 < len(rest.split()) <= 6 and not any(ch.isdigit() for ch in rest)


def _without_byline(body: str) -> str:
    """The body with a byline after the date cut off, when what follows the byline word is a
    name ("… 2004 @ 18:42:10 CEST by admin"), perhaps with its category after it ("… by admin
    in News"), a group led by its article ("geplaatst op 08-03-2016 door het bestuur"), or a
    role ("Posted 14.10.2008 by Observer correspondent"), or the newsroom signs after it
    (`_DESK_TAIL`); else the body as it is."""
    desk = _DESK_TAIL.search(body) or _CJK_DESK_TAIL.search(body)
    if desk is not None:
        return body[: desk.start()]
    match = _BY_TAIL.search(body)
    if match is None:
        return body
    name = _CATEGORY_TAIL.split(match.group(1) or "", maxsplit=1)[0]
    if not (
        _name_like(name)
        or _COLLECTIVE.fullmatch(name.strip())
        or _ROLE_BYLINE.fullmatch(name.strip())
    ):
        return body
    return body[: match.start()]


#: Another field of the page's details after the date, with its label: "Published: 12 March
#: 2009 Section: Research", "… Kategorie: Lokales".
_FIELD_TAIL = re.compile(
    r"\s(?:section|category|categories|filed under|tags?|topics?|rubrik|kategorie|ressort"
    r"|rubrique|catégorie|sección|categoría|categoria|sezione)\s?:[^:]{0,80}$",
    re.IGNORECASE,
)
#: A city's or the local clock named after a date's time: "18:42 Kabul time", "(Tehran time)",
#: "6 p.m. local time".
_CITY_CLOCK_TAIL = re.compile(
    r"\s\(?(?:(?-i:[A-Z][a-z]{2,15})(?: (?-i:[A-Z][a-z]{2,15}))?|local) time\)?\.?$", re.IGNORECASE
)
#: A read counter in brackets after the date: "(318 Lesungen)", "(412 Lecturas)", "(57 reads)".
_COUNT_TAIL = re.compile(r"\s{0,3}\(\s?\d[\d.,]{0,12}\s?[^\W\d_]{0,12}\.?\s?\)\s{0,3}$")
#: A view counter beside the date ("อ่าน 2,417 ครั้ง", "1,234 views", "Lượt xem: 512").
_COUNT_PART = re.compile(
    r"(?:อ่าน|read|views?|hits|lượt\s+xem|visitas|lecturas|aufrufe|zugriffe|gelesen|zobrazeno"
    r"|přečteno|zobrazen[ée]|prečítané|wyświetle[nń]\w{0,2}|odsłon\w{0,2}|bekeken|gelezen|vues"
    r"|visite|letture|visninger|visningar|просмотр\w{0,3}|прочетен\w{0,2}|прочитан\w{0,2}"
    r"|прегледи|прегледа)\s?:?\s?\d[\d,.]{0,12}"
    r"(?:\s?(?:ครั้ง|times|[×x]|mal|krát|пъти|пута|пати|раз\w{0,2}))?"
    r"|\d[\d,.]{0,12}\s?(?:ครั้ง|views?|reads|lượt\s+xem|visitas|lecturas|aufrufe"
    r"|просмотр\w{0,3}|wyświetleń|zobrazení)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateFinding:
    """A publication date: ISO value, its precision and the source it came from."""

    value: str  # "YYYY-MM-DD", "YYYY-MM", "YYYY" or a full ISO datetime
    precision: str  # datetime | day | month | year
    source: str  # record | url | html-meta | date-line | html-script | htmldate | feed
    evidence: str = ""
    utc: bool = False  # the source wrote a UTC time (the value may keep only its day)
    midnight: bool = False  # the source wrote the day without a time, or at 00:00
    #: the UTC moment the value's day was read from in the outlet's zone (`page_zone`), as written
    zoned_from: str = ""

    @property
    def day(self) -> str:
        """The value as a comparable ISO prefix (datetimes cut to the day)."""
        return self.value[:10]


def record_date(fields: dict[str, Any]) -> DateFinding | None:
    """The publication date from the input record's date fields (see `DATE_FIELDS`)."""
    for key in DATE_FIELDS:
        parsed = parse_date_value(fields.get(key))
        if parsed is not None:
            return DateFinding(parsed[0], parsed[1], "record", f"{key}: {fields[key]}")
    return None


#: The last page parsed and its tree (None when lxml refused it): the date stage reads the same
#: page's metadata and its header, and one parse serves both. Neither reader changes the tree.
#: One tuple, replaced whole, so a reader never pairs one page with another's tree.
_LAST_PARSE: list[tuple[str, Any]] = [("", None)]


#: What a ``<br>`` leaves in a parsed tree's text (`_parsed`): whitespace to ``str.split``, so
#: joined texts read it as a space, and a line break to whoever splits on it.
LINE_BREAK = "\u2028"


def _parsed(html: str) -> Any:
    """``lxml.html.fromstring(html)``, or None where it raises; the last page's tree is reused
    (the date stage passes the same string twice, ``html[:2_000_000]`` is ``html`` below that)."""
    last_html, last_tree = _LAST_PARSE[0]
    if last_html and last_html == html:
        return last_tree
    import lxml.html
    from lxml import etree

    try:
        # an XHTML page's declaration would make lxml refuse the page: every date lost
        tree = lxml.html.fromstring(without_xml_declaration(html))
    except (etree.ParserError, ValueError):
        tree = None
    else:
        for br in tree.iter("br"):  # a line break is a break: "Benassi<br>Pubblicato il ..."
            br.tail = LINE_BREAK + (br.tail or "")
    _LAST_PARSE[0] = (html, tree)
    return tree


def html_meta_date(html: str) -> DateFinding | None:
    """The publication date from the page's metadata only, through htmldate.

    Even with ``extensive_search=False`` htmldate 1.11 falls back to date-like classes, ``<time>``
    elements, the title and finally any date in the body text. So it is given a document made of
    the page's ``<meta>`` elements and JSON-LD blocks and nothing else (no canonical link either:
    the URL is a source of its own, with its own label).
    """
    from htmldate import find_date as htmldate_find_date
    from lxml import etree

    tree = _parsed(html[:2_000_000])  # the head is at the start; one parse for every reader
    if tree is None:
        return None
    published: list[str] = []
    explicit: list[str] = []  # fields that name the publication: never a generic "date"
    every: list[str] = []
    titles = _page_titles(tree)
    for el in tree.xpath('//meta|//script[@type="application/ld+json"]'):
        if el.tag == "meta" and _IMAGE_META.search(_meta_marks(el)):
            continue  # an image's upload folder (".../2022/08/22/lift.jpg"): not the article's
        markup = etree.tostring(el, encoding="unicode", with_tail=False)
        if el.tag != "meta":
            own = _jsonld_own_dates(el.text or "", titles)  # a review's is no date of the page
            if own is not None:
                markup = f'<script type="application/ld+json">{own}</script>'
        every.append(markup)
        if el.tag == "meta":
            if not _is_update_mark(el):
                published.append(markup)
                if _EXPLICIT_PUBLISHED.search(_meta_marks(el)):
                    explicit.append(markup)
        else:
            published.append(_JSONLD_UPDATE_KEY.sub('"_not_published": ""', markup))
            explicit.append(published[-1])
    # a generic <meta name="date"> is often the last save ("Aktualisiert: 16.08.2010" above an
    # article:published_time of the 14th): fields that name the publication are asked first
    tries = [(explicit, "html-meta")] if len(explicit) < len(published) else []
    tries += [(published, "html-meta"), (every, "html-meta (updated)")]
    generic_tier = len(explicit) < len(published)  # the second try reads a generic field
    for parts, source in tries:
        if not parts:
            continue
        doc = f"<html><head>{''.join(parts)}</head><body></body></html>"
        try:
            found = htmldate_find_date(
                doc, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
            )
        except Exception:  # a broken page yields no date, not a failed article
            return None
        if found:
            utc = re.search(rf"{found}[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:Z|[+-]00:?00)\b", doc)
            timed = re.findall(rf"{found}[T ](\d\d:\d\d)", doc)
            midnight = all(t == "00:00" for t in timed)  # no time written, or midnight
            evidence = "meta/JSON-LD"
            if parts is published and generic_tier:
                evidence = GENERIC_META  # no field that names the publication said it
            # a stamp of that day with the outlet's own offset says its local day itself: the
            # UTC one may be another field's (an image's upload time)
            offsets = re.findall(rf"{found}[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?([+-]\d\d:?\d\d)", doc)
            own_offset = any(o.replace(":", "") not in ("+0000", "-0000") for o in offsets)
            zoned_from = ""
            if utc is not None and not own_offset and (zone := page_zone(tree)) is not None:
                local = _local_day(utc.group(0), zone)
                if local is not None and local != found:
                    evidence = f"meta/JSON-LD {utc.group(0)}, the day in {zone.key}"
                    found, midnight, zoned_from = local, False, utc.group(0)
            return DateFinding(
                found,
                "day",
                source,
                evidence,
                utc=utc is not None,
                midnight=midnight,
                zoned_from=zoned_from,
            )
    return None


#: The zone of a country whose first zone in the tz database is not where its news is written.
_COUNTRY_ZONE = {
    "US": "America/New_York",
    "CA": "America/Toronto",
    "BR": "America/Sao_Paulo",
    "RU": "Europe/Moscow",
    "AU": "Australia/Sydney",
}
#: Languages whose pages, when they name no country, are written in one zone's day.
_LANGUAGE_ZONE = {
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "th": "Asia/Bangkok",
    "vi": "Asia/Ho_Chi_Minh", "id": "Asia/Jakarta", "ms": "Asia/Kuala_Lumpur",
    "tl": "Asia/Manila", "fil": "Asia/Manila", "km": "Asia/Phnom_Penh",
    "ne": "Asia/Kathmandu", "si": "Asia/Colombo", "ur": "Asia/Karachi", "fa": "Asia/Tehran",
    "he": "Asia/Jerusalem", "tr": "Europe/Istanbul", "el": "Europe/Athens", "ka": "Asia/Tbilisi",
    "hy": "Asia/Yerevan", "kk": "Asia/Almaty", "uz": "Asia/Tashkent", "mn": "Asia/Ulaanbaatar",
    "ru": "Europe/Moscow", "uk": "Europe/Kyiv", "be": "Europe/Minsk", "de": "Europe/Berlin",
    "it": "Europe/Rome", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw", "cs": "Europe/Prague",
    "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia", "hr": "Europe/Zagreb", "sl": "Europe/Ljubljana", "sr": "Europe/Belgrade",
    "bs": "Europe/Sarajevo", "mk": "Europe/Skopje", "sq": "Europe/Tirane", "fi": "Europe/Helsinki",
    "et": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius", "sv": "Europe/Stockholm",
    "da": "Europe/Copenhagen", "nb": "Europe/Oslo", "nn": "Europe/Oslo", "no": "Europe/Oslo",
    "is": "Atlantic/Reykjavik", "ga": "Europe/Dublin", "cy": "Europe/London",
    "am": "Africa/Addis_Ababa", "sw": "Africa/Nairobi",
}  # fmt: skip
_LOCALE = re.compile(r"([a-z]{2,3})(?:[-_]([a-z]{2}))?\b", re.IGNORECASE)


def page_zone(tree: Any) -> Any:
    """The zone a page's readers live in, from its ``og:locale`` or ``<html lang>`` (``es_MX``,
    ``ko``), or None when it does not say or says a language written in many zones ("en", "es",
    "fr", "ar"). A metadata time in UTC is a moment; the page's publication day is that moment's
    day where the outlet is (`html_meta_date`), which for a Mexico City story at 21:40 on a
    Tuesday is Tuesday, not the UTC Wednesday."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    import pytz  # the tz database's zones by country (zoneinfo has no such table)

    values = [str(v) for v in tree.xpath('//meta[@property="og:locale"]/@content')[:1]]
    values += [str(v) for v in tree.xpath("/html/@lang")[:1]]
    for value in values:
        match = _LOCALE.fullmatch(value.strip())
        if match is None:
            continue
        language, country = match.group(1).lower(), (match.group(2) or "").upper()
        if (language, country) == ("en", "US"):
            continue  # WordPress's default locale, kept by sites on every continent
        name = _COUNTRY_ZONE.get(country) or next(
            iter(pytz.country_timezones.get(country, []) if country else []), None
        )
        name = name or _LANGUAGE_ZONE.get(language)
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                return None
    return None


def _local_day(stamp: str, zone: Any) -> str | None:
    """The day a UTC time stamp falls on in ``zone``."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(zone).date().isoformat()


#: Metadata that names the last change, not the publication: ``article:modified_time``,
#: ``og:updated_time``, ``dateModified``, ``last-modified``, ``DC.date.modified``, a medical page's
#: ``lastReviewed``. htmldate's ``original_date`` prefers a publication date but answers with
#: these when the page has no other, so they are read apart and rank as an update.
_UPDATE_MARK = re.compile(r"modif|updat|revis|review|changed|edited|last", re.IGNORECASE)
_JSONLD_UPDATE_KEY = re.compile(
    r'"(?:dateModified|lastReviewed|dateUpdated|lastModified|dateRevised)"\s{0,5}:\s{0,5}'
    r'(?:"[^"\\]{0,100}"|\[[^\]]{0,300}\]|[\w.+:-]{1,40})',
    re.IGNORECASE,
)


#: JSON-LD objects whose dates are not the page's: a product's or recipe's reviews, comments,
#: answers, offers. htmldate reads a ``datePublished`` wherever it stands in the block.
_OTHER_THINGS = frozenset(
    {"review", "comment", "answer", "question", "rating", "aggregaterating", "offer", "event"}
)
_OWN_DATE_KEYS = ("datePublished", "dateCreated", "uploadDate", "startDate", "endDate")
#: When an event (``Event``, ``TheaterEvent``, ``SportsEvent``...) is what the page describes,
#: its dates are the show's, never the page's publication.
_EVENT_DATE_KEYS = ("startDate", "endDate", "doorTime")


#: JSON-LD types of a medium (a video, a recording, a picture): a page's own when the page is
#: that medium's, an embedded clip's when its name is not the page's title.
_MEDIA_THINGS = frozenset({"videoobject", "audioobject", "imageobject", "mediaobject", "clip"})


def _page_titles(tree: Any) -> list[str]:
    """The page's headline (its first ``<h1>``), ``<title>`` and ``og:title``, each reduced to
    its letters and digits; none for a page without a headline (a video page whose clip is its
    only content may have none: nothing to compare a clip's name with)."""
    headline = tree.find(".//h1")
    if headline is None:
        return []
    titles = [
        headline.text_content(),
        *tree.xpath("//title/text()"),
        *tree.xpath('//meta[@property="og:title"]/@content'),
    ]
    return [t for t in (_letters(str(title)) for title in titles) if t]


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _embedded_medium(node: dict[str, Any], names: set[str], titles: list[str]) -> bool:
    """A top-level video, recording or picture whose name is neither the page's headline nor its
    title: a clip the article embeds ("Arkiv: Vattnet stiger i Kungsvik" under the headline
    "Tio år efter översvämningen"), whose upload day is not the article's. With no headline to
    compare, or a name that is the headline or the title, it is the page's own (a video
    page)."""
    if not names & _MEDIA_THINGS or not titles:
        return False
    name = _letters(str(node.get("name") or node.get("headline") or ""))
    return bool(name) and not any(name in title or title in name for title in titles)


def _jsonld_own_dates(text: str, titles: list[str] | None = None) -> str | None:
    """The JSON-LD block without the dates of the things it describes besides the page itself
    (`_OTHER_THINGS`, and a clip the page embeds: `_embedded_medium`), or None when it holds
    none of them or is not JSON (left as it is)."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return None
    changed = False
    stack: list[tuple[Any, bool, int]] = [(data, False, 0)]
    while stack:
        node, nested, depth = stack.pop()
        if depth > 64:
            continue  # deeper than any real JSON-LD: left as it is
        if isinstance(node, list):
            stack.extend((item, nested, depth + 1) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        kinds = node.get("@type")
        names = {str(k).casefold() for k in (kinds if isinstance(kinds, list) else [kinds])}
        if (nested and names & _OTHER_THINGS) or (
            not nested and _embedded_medium(node, names, titles or [])
        ):
            for key in _OWN_DATE_KEYS:
                if node.pop(key, None) is not None:
                    changed = True
        elif any(name.endswith("event") for name in names):  # a TheaterEvent page: its show
            for key in _EVENT_DATE_KEYS:
                if node.pop(key, None) is not None:
                    changed = True
        stack.extend((value, nested or key != "@graph", depth + 1) for key, value in node.items())
    try:
        return json.dumps(data, ensure_ascii=False) if changed else None
    except (ValueError, RecursionError):
        return None


#: Meta fields that hold an image's address (``og:image``, ``twitter:image:src``,
#: ``thumbnail``): htmldate reads a date in any URL it meets there, and an upload folder's day
#: is often the day before the article's.
_IMAGE_META = re.compile(r"image|thumbnail|(?<![a-z])logo", re.IGNORECASE)


def _meta_marks(el: Any) -> str:
    return " ".join(el.get(a, "") for a in ("name", "property", "itemprop", "http-equiv"))


def _is_update_mark(el: Any) -> bool:
    return bool(_UPDATE_MARK.search(_meta_marks(el)))


#: A meta field that names the publication itself (``article:published_time``,
#: ``datePublished``, ``DC.date.issued``, ``pubdate``), not a generic "date".
_EXPLICIT_PUBLISHED = re.compile(r"publish|pub_?date|issued|created|original", re.IGNORECASE)


def url_date(url: str | None) -> DateFinding | None:
    """A date in a URL path: ``/2021/08/18/`` or ``/20210818/`` (day), ``/2021/08/`` (month).

    A month directory followed by a compact day of the same month in the file name
    (``/2003/03/20030331_Rede2.html``) gives the day. A year and month joined by ``-`` or ``_``
    without a day (``/ausgaben/2019-4/``) is read as an issue number and gives nothing.
    """
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]*", "", url.strip().strip("<>"))[:2000]
    path = path.split("?", 1)[0].split("#", 1)[0]
    month: date | None = None
    for match in _URL_DATE.finditer(path):
        year, mon = int(match.group("y")), int(match.group("m"))
        if match.group("d"):
            found = valid_date(year, mon, int(match.group("d")))
            if found:
                return DateFinding(found.isoformat(), "day", "url", url)
            continue
        if match.group("sep") == "/" and month is None:
            month = valid_date(year, mon)
    for match in _URL_COMPACT.finditer(path):
        found = valid_date(int(match.group("cy")), int(match.group("cm")), int(match.group("cd")))
        if found and (month is None or (found.year, found.month) == (month.year, month.month)):
            return DateFinding(found.isoformat(), "day", "url", url)
    if month is not None:
        return DateFinding(format_date(month, "month"), "month", "url", url)
    query = _QUERY_DATE.search(url.split("#", 1)[0].partition("?")[2][:2000])
    if query is not None:  # an old site's "visa.asp?date=20070306"
        found = valid_date(int(query.group("y")), int(query.group("m")), int(query.group("d")))
        if found:
            return DateFinding(found.isoformat(), "day", "url", url)
    return None


#: An old static site's day written "yymmdd" in its address, as a folder or as the file's name:
#: "/981117/local3.htm", "/nieuws/060307.htm".
_URL_SHORT_DAY = re.compile(
    r"/(?P<y>9[5-9]|0\d|1[0-5])(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?=/|\.(?:s?html?|php|aspx?|jsp|cfm)\Z)",
    re.IGNORECASE,
)


def url_short_day(url: str | None) -> DateFinding | None:
    """The day of a "yymmdd" folder or file name in the URL's path (`_URL_SHORT_DAY`), the years
    of the static sites that named files so (1995-2015). Six digits are also many a story's
    number, so the date stage asks this only when nothing else dates the page and the text
    mentions no later day."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]*", "", url.strip().strip("<>"))[:2000]
    path = path.split("?", 1)[0].split("#", 1)[0]
    for match in _URL_SHORT_DAY.finditer(path):
        yy = int(match.group("y"))
        year = (1900 if yy >= 95 else 2000) + yy
        found = valid_date(year, int(match.group("m")), int(match.group("d")))
        if found:
            return DateFinding(found.isoformat(), "day", "url", url)
    return None


#: A query parameter that names the day the page is of: ``?date=20070306``, ``&datum=2007-03-06``
#: (a path's date wins: it is read first).
_QUERY_DATE = re.compile(
    r"(?:^|&)(?:date|datum|fecha|data|pubdate|day)=(?P<y>(?:19|20)\d\d)-?(?P<m>\d\d)-?(?P<d>\d\d)(?:&|$)",
    re.IGNORECASE,
)


def date_line_values(line: str) -> list[tuple[str, str, bool]]:
    """``(value, precision, is_update)`` for each date on a date line, or [] for other lines.

    The line must be *only* dates with their labels ("Published: 10 July 2024 | Updated: 11 July
    2024", "Posted on June 19, 2024 by Staff Reporter", "چهارشنبه ۰۴ مهر ۱۴۰۳ - ۱۱:۲۰"): a
    sentence that mentions a date is not a date line.

    Remembered for the last lines asked: the cleaner asks of the head's lines and the date stage
    asks again of the same lines (and of those the cleaner removed), and a line that dateparser
    fails on costs it 30-50 ms each time.
    """
    return list(_date_line_values(line))


#: Arabic's short vowels and other marks over letters: "نُشر" is the label "نشر".
_ARABIC_MARKS = re.compile(r"[\u064b-\u0652\u0670]")
#: "… corresponding to …": a Hijri date, then the Gregorian one ("الثلاثاء ٢٩ ربيع الأول ١٤٣٦هـ
#: الموافق ٢٠ يناير ٢٠١٥م"), of which the second is read.
_CORRESPONDING = re.compile(r"\s(?:الموافق|الموافق\s+لـ?|الموافق\s+ل|مطابق(?:\s+با)?)\s")
#: The "m" (Gregorian, ميلادي) closing a year in Arabic: "٢٠ يناير ٢٠١٥م"; Urdu's "ء" (عیسوی):
#: "3 اپریل 2023ء".
_GREGORIAN_MARK = re.compile(r"(?:(?<=\d{4})|(?<=\d{4}/\d\d/\d\d))\s?[مء](?=\s|$)")
#: A lunar Hijri date's year and mark, then the Gregorian date after a slash or a dash: "پیر
#: 11 رمضان المبارک 1444 ھ / 3 اپریل 2023ء" (Urdu), of which the Gregorian date is read.
_HIJRI_THEN = re.compile(r"(?<!\d)[1١۱][34٣٤۳۴]\d\d\s?(?:ھ|هـ|ه)\.?\s*[/\-–|]\s*")


def _corresponding(line: str) -> str:
    """An Arabic-script date line without its marks over letters, and only its Gregorian date
    where it gives a Hijri one first ("… ١٤٣٦هـ الموافق ٢٠ يناير ٢٠١٥م" reads "٢٠ يناير ٢٠١٥",
    "… 1444 ھ / 3 اپریل 2023ء" reads "3 اپریل 2023")."""
    if not any("\u0600" <= ch <= "\u06ff" for ch in line):
        return line
    line = _ARABIC_MARKS.sub("", line)
    parts = _CORRESPONDING.split(line, maxsplit=1)
    if len(parts) == 2:
        line = parts[1]
    parts = _HIJRI_THEN.split(line, maxsplit=1)
    if len(parts) == 2 and parts[1]:
        line = parts[1]
    return _GREGORIAN_MARK.sub("", line)


#: Armenian writes the year first, with its word "թ." (year), then the month in the genitive and
#: the day ("2007 թ. օգոստոսի 12"), which dateparser reads only day first.
_ARMENIAN_DATE = re.compile(r"((?:19|20)\d\d)\s?թ\.?,?\s+([\u0561-\u0587]{3,12})\s+(\d{1,2})(?!\d)")


def _armenian_day_first(body: str) -> str:
    """An Armenian year-first date ("2007 թ. օգոստոսի 12") written day first."""
    return _ARMENIAN_DATE.sub(lambda m: f"{m.group(3)} {m.group(2)} {m.group(1)}", body)


#: A forum post's number before its date: "#1   ۱۳۹۱/۱۰/۲۰، ۲۱:۳۴" (vBulletin's post head).
_POST_HEAD_NUMBER = re.compile(r"\A\s*#\d{1,6}\s")


@lru_cache(maxsize=1024)
def _date_line_values(line: str) -> tuple[tuple[str, str, bool], ...]:
    line = (
        re.sub(r"[*_#`]+", "", _POST_HEAD_NUMBER.sub("", line)).strip().translate(_native_digits())
    )
    line = _armenian_day_first(_corresponding(line))
    if not line or len(line) > 120:
        return ()
    line = BY_DASH.sub(r"\1 | ", line)
    found: list[tuple[str, str, bool]] = []
    for n, part in enumerate(_DATE_LINE_PARTS.split(line)):
        part = part.strip(" ,;|")
        if not part:
            continue
        after = _CJK_LABEL_AFTER.search(part) if len(part) > 2 else None
        if after is not None:  # "2023年10月3日(火) 15:00配信", "2023.10.04 更新": its label last
            part = part[: after.start()].rstrip()
        if n == 0 and _kicker(part, line):
            continue  # "Stadtleben · 14.02.06": the section's name before the date
        if n == 0 and _ROLE_LEAD.fullmatch(part):
            continue  # "प्रतिनिधी, पुणे | …": the correspondent and the place, then the date
        update = _UPDATED_LABEL.match(part)
        body = part[update.end() :] if update else _DATE_LINE_LABEL.sub("", part)
        body = _SPACED_DOTS.sub(r"\1.\2.\3", _buddhist_era(_gregorian_era(_minguo(part, body))))
        body = _four_digit_year(body, part)
        body = _YEAR_DOT.sub("", body)  # "14.05.2021.", "2021.07.08.": Croatian, Korean
        body = _YEAR_WORD.sub("", _galician_to_spanish(_basque_to_english(body)))
        body = _haitian_to_french(body)
        body = _DAY_WORD.sub("", body)
        body = _SHORT_WEEKDAY.sub("", body)  # "čt 03.06.2010 22:14": a weekday's abbreviation
        if update is None and not body.strip() and body != part:
            continue  # a label alone before the date: "Pressemitteilung Nr. 112/2008 · …"
        counted = _COUNT_TAIL.sub("", body)
        if counted != body and not DAY_NUMBER.search(counted):
            return ()  # "2015 (38)", "May 2016 (4)": a blog archive's count of posts, no day
        parsed = parse_date_value(body) or _local_date(body)
        if parsed is None and counted != body:
            body = counted  # "… um 10:20:11 (318 Lesungen)": an old CMS's read counter
            parsed = parse_date_value(body) or _local_date(body)
        if parsed is None and (fieldless := _FIELD_TAIL.sub("", body)) != body:
            body = fieldless  # "Published: 12 March 2009 Section: Research": the next field
            parsed = parse_date_value(body) or _local_date(body)
        if parsed is None and (unzoned := _CITY_CLOCK_TAIL.sub("", body)) != body:
            body = unzoned  # "March 5, 2021 at 18:42 Kabul time": a city's clock after the date
            parsed = parse_date_value(body) or _local_date(body)
        if parsed is None and (sectionless := _SECTION_TAIL.sub("", body)) != body:
            body = sectionless  # "First published 16th May 2006 in News": the paper's section
            parsed = parse_date_value(body) or _local_date(body)
        if parsed is None and (bare := _without_byline(body)) != body:
            english = _arabic_to_english(bare)  # "۱۲ مارس ۲۰۲۱ نویسنده: …"
            parsed = parse_date_value(bare) or _local_date(bare) or solar_hijri_date(bare)
            parsed = parsed or (parse_date_value(english) if english != bare else None)
            if parsed is not None and parsed[1] == "year":
                parsed = None  # "2023 di fuoco": a year and a phrase, not a dated byline
        if parsed is None:
            parsed = (
                solar_hijri_date(body)
                or ethiopian_date(body)
                or khmer_date(body)
                or mongolian_date(body)
            )
        if parsed is None and (english := _arabic_to_english(body)) != body:
            parsed = parse_date_value(english) or _local_date(english)
        if parsed is None:
            if _LUNAR_HIJRI.search(part) or _ISSUE_PART.fullmatch(part):
                continue  # the lunar Hijri date beside the Gregorian one; an issue's number
            if found and _TIME_ONLY.fullmatch(part):
                continue  # "5 Jan 2020 | 14:05": the time of the date before it
            if found and _TIME_ONLY.fullmatch(_without_byline(part).strip()):
                continue  # "22. 10. 2008 | 14:05 Autor: (mk)": its time, then its author
            by = _BY_RE_START.match(part)
            if by and (_name_like(part[by.end() :]) or _labelled_author(by.group(0), part)):
                continue  # "By Jane Roe | 10 July 2024", "5 Dec 2017 | โดย กองบรรณาธิการ"
            if found and _SOURCE_AFTER.fullmatch(part):
                continue  # "Wed, 21 Jan 2015 13:27 GMT | Continental Press": its source
            if found and _COUNT_PART.fullmatch(part):
                continue  # "… | อ่าน 2,417 ครั้ง": a view counter beside the date
            if found and _READING_TIME.fullmatch(part):
                continue  # "Published Nov 18, 2021 • 9:40 p.m. PST • 3 minute read"
            if found and _CATEGORY_PART.fullmatch(part):
                continue  # "… par Hélène · Catégorie : Rosiers": the post's category
            if found and _PRINT_PART.fullmatch(part):
                continue  # "… · Sentinel print edition, page 23": where it was printed
            if found and _CJK_FIELD.fullmatch(part):
                continue  # "… 2018年11月5日　来源：西湖在线　作者：…": the article's other fields
            if found and _PRICE_PART.fullmatch(part):
                continue  # "… · 2009. február 27., péntek · Ára: 120 Ft": the paper's price
            if found and _UPDATED_NOTE.fullmatch(part):
                continue  # "… · Dieser Artikel wurde mehrfach aktualisiert.": no date of its own
            if found and _DEPARTMENT_PART.fullmatch(part):
                continue  # "Publikované: 22. 5. 2018 | Oddelenie kultúry": who published it
            return ()
        late_update = after is not None and after.group(1) in _CJK_UPDATE_AFTER
        found.append((parsed[0], parsed[1], update is not None or late_update))
    return tuple(found)


#: A label after the date, as Japanese and Chinese pages set it: "配信" (delivered), "公開",
#: "掲載", "投稿", "发布", "發佈"; "更新" (updated) marks an update's date.
_CJK_LABEL_AFTER = re.compile(
    r"(?<=[\d日時分）)])\s?(配信|公開|掲載|投稿|发布|發佈|發布|发表|發表|更新)\s?\Z"
)
_CJK_UPDATE_AFTER = frozenset({"更新"})


@lru_cache(maxsize=1)
def _native_digits() -> dict[int, int]:
    """Every decimal digit of the Basic Multilingual Plane's scripts as its ASCII digit, except
    the Arabic and Persian ones, which the Arabic-script and Solar Hijri readers take as they
    are: Devanagari "१२ मार्च २०२३", Bengali "১২ মার্চ ২০২৩", Thai "๑๒", Myanmar, Khmer, ..."""
    table = {}
    for code in range(0x0700, 0x10000):
        char = chr(code)
        if unicodedata.category(char) == "Nd":
            table[code] = 0x30 + unicodedata.digit(char)
    return table


#: A public body's department signing after the date: "| Oddelenie kultúry" (a Slovak town's
#: culture department), "| Press Office", "| Abteilung Kultur", "| Wydział Promocji".
_DEPARTMENT_PART = re.compile(
    r"(?:(?:oddelenie|oddělení|odbor|úrad|úřad|referat|abteilung|amt|servicio|ufficio|dział"
    r"|wydział|biuro|osztály|departament|sektor|služba|відділ|отдел|управление|управління)"
    r"(?:\s[^\W\d][\w’'.-]{0,25}){0,4}"
    r"|(?:the )?(?:press|news|communications) office|communications|department of [\w ]{2,30})",
    re.IGNORECASE,
)
#: A Thai date's Buddhist Era year ("12 มีนาคม 2566" is 12 March 2023): Thai sites print it far
#: more often than the Gregorian one.
_BUDDHIST_YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")
#: The Buddhist era's mark before its year, "พ.ศ. 2552" ("12 พฤษภาคม พ.ศ. 2552"), and the
#: Christian era's, "ค.ศ. 2009".
_ERA_MARK = re.compile(r"(?<!\S)[พค]\.\s?ศ\.\s?(?=\d)")
_THAI = re.compile(r"[\u0E00-\u0E7F]")


def _buddhist_era(body: str) -> str:
    """A Thai date part with its Buddhist Era year (2400-2599) written as the Gregorian year;
    a two-digit one after the month ("23 มิ.ย. 64" is 23 June 2564, 2021) first written out."""
    if not _THAI.search(body):
        return body
    body = _THAI_SHORT_YEAR.sub(_thai_full_year, _ERA_MARK.sub("", body))
    body = _THAI_MARCH.sub("มีนาคม", body)
    return _BUDDHIST_YEAR.sub(lambda m: str(int(m.group(1)) - 543), body)


#: A Thai month, abbreviated ("มิ.ย.", "ธ.ค.") or written out, then a two-digit Buddhist Era year,
#: as Thai papers print their stamps ("23 มิ.ย. 64 15:02 น."); not a day before the year ("ธ.ค.
#: 25, 2564") nor an hour ("23 มิ.ย. 15 น.", 3 pm).
_THAI_SHORT_YEAR = re.compile(
    r"((?:[\u0E00-\u0E7F]{1,3}\.\s?[\u0E00-\u0E7F]{1,2}\.|มกราคม|กุมภาพันธ์|มีนาคม|เมษายน"
    r"|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม))\s?(\d\d)"
    r"(?![\d:.]|\s?,?\s?\d{4}|\s?น\.)"
)


def _thai_full_year(m: re.Match[str]) -> str:
    """The two-digit year written out (BE 25xx), unless it would be a year still to come."""
    year = 2500 + int(m.group(2))
    return f"{m.group(1)} {year}" if year - 543 <= date.today().year else m.group(0)


#: March's abbreviation, "มี.ค.", which dateparser reads as January's "ม.ค." (it drops the vowel
#: mark): written out before it is asked.
_THAI_MARCH = re.compile(r"มี\.\s?ค\.?")


#: Japanese era years ("令和3年5月7日" is 7 May 2021); an era's first year is written 元年. The
#: Republic of China's (Minguo) years too, which Taiwan's government and many of its sites print
#: ("中華民國107年5月3日", "民國107年" are 2018).
_ERA = re.compile(r"(令和|平成|昭和|中華民國|民國|民国)\s*(元|\d{1,3})\s*年")
#: The era's year set inside the Gregorian one: "2021（令和3）年11月9日".
_ERA_INSIDE = re.compile(
    r"((?:19|20)\d\d)\s?[（(](令和|平成|昭和|民國|民国)\s?(元|\d{1,3})[）)]\s?年"
)


_ERA_START = {
    "令和": 2018,
    "平成": 1988,
    "昭和": 1925,
    "中華民國": 1911,
    "民國": 1911,
    "民国": 1911,
}


def _without_inner_era(m: re.Match[str]) -> str:
    """ "2021（令和3）年" as "2021年" when the era's year is that year; as it was otherwise."""
    era = _ERA_START[m.group(2)] + (1 if m.group(3) == "元" else int(m.group(3)))
    return f"{m.group(1)}年" if era == int(m.group(1)) else m.group(0)


#: A date in Chinese numerals, "二〇一八年十一月五日" (a formal notice's, a portal's
#: "发布时间"): its year digit by digit, its month and day as numbers up to thirty-one.
_HANZI_DATE = re.compile(
    r"([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
    r"\s*([一二三四五六七八九十]{1,4})\s*[日号號]"
)
_HANZI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


def _hanzi_number(text: str) -> int:
    """十 is 10, 十一 11, 二十 20, 二十五 25, 三十一 31; 0 for a malformed numeral ("十十")."""
    if "十" not in text:
        return _HANZI_DIGIT.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return 0
    return (_HANZI_DIGIT.get(tens, 0) if tens else 1) * 10 + (
        _HANZI_DIGIT.get(ones, 0) if ones else 0
    )


def _hanzi_date(body: str) -> str:
    """The body with a date in Chinese numerals written in Arabic digits (a month or a day out
    of range leaves it as it was)."""

    def digits(m: re.Match[str]) -> str:
        month, day = _hanzi_number(m.group(2)), _hanzi_number(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        return "".join(str(_HANZI_DIGIT[c]) for c in m.group(1)) + f"年{month}月{day}日"

    return _HANZI_DATE.sub(digits, body)


def _gregorian_era(body: str) -> str:
    """The body with a Japanese era or Minguo (Republic of China) year written as the Gregorian
    year (government, municipal and many company sites print only the era date; numeric Minguo
    dates: `_minguo`), and a date in Chinese numerals in digits (`_hanzi_date`)."""
    if "年" not in body:
        return body
    body = _hanzi_date(body)
    body = _ERA_INSIDE.sub(_without_inner_era, body)
    return _ERA.sub(
        lambda m: f"{_ERA_START[m.group(1)] + (1 if m.group(2) == '元' else int(m.group(2)))}年",
        body,
    )


#: Two-digit years up to this one are this century's (POSIX ``%y``'s pivot, fixed so a page reads
#: the same whatever year it is read in).
_CENTURY_PIVOT = 68


def _four_digit_year(body: str, part: str) -> str:
    """A dotted day-first date with a two-digit year written with its century ("03.11.07" is 3
    November 2007, "14.02.98" 1998). Not beside a Korean, Japanese or Chinese label, where a
    two-digit year comes first ("입력 24.03.21" is 21 March 2024)."""
    if _CJK.search(part):
        return body
    match = _TWO_DIGIT_YEAR.fullmatch(body.strip())
    if match is None:
        return body
    day, month, short, time = match.groups()
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return body
    year = int(short) + (2000 if int(short) <= _CENTURY_PIVOT else 1900)
    return f"{int(day):02d}.{int(month):02d}.{year}{time}"


#: A section's or place's name before a date line's date: one or two capitalised words.
_KICKER = re.compile(
    r"[^\W\d_]{2,21}(?:-[^\W\d_]{1,20})?(?:\s[^\W\d_]{2,21}(?:-[^\W\d_]{1,20})?)?"
)  # "Stadtleben", "Rhein-Neckar"
#: Words that say what else a date before or after them is: a birth, a death, a deadline, an
#: event, a last reply, an edit, a version (never a section's name before the publication).
_KICKER_ROLE = re.compile(
    r"born|died|deadline|expir|event|last|letzte|zuletzt|ge[äa]ndert|bearbeitet|reply|antwort"
    r"|version|release|updated?|modified|edited|geboren|gestorben|termin|frist"
    # "né", "née" as a word of their own ("Leine-Echo" is a paper's name)
    r"|\bn[ée]e?\b"
    r"|d[ée]c[ée]d|nacido|fallecid|nato|morto|ends?\b|starts?\b|until|bis\b",
    re.IGNORECASE,
)


_KICKER_SEPARATOR = re.compile(r"\s[|•·]\s")


def _kicker(part: str, line: str) -> bool:
    """Whether the first part of a date line is a section's or place's name ("Stadtleben" in
    "Stadtleben · 14.02.06"): one or two capitalised words, before a separator dot or bar (not a
    run of spaces: "Firefox  12.1.10"), naming no role of the date."""
    return (
        part != ""  # an empty field of a meta bar: "| | 3 March 2019"
        and not part[0].islower()
        and _KICKER.fullmatch(part) is not None
        and _KICKER_SEPARATOR.search(line) is not None
        and not _UPDATED_LABEL.match(part)
        and not _KICKER_ROLE.search(part)
    )


#: A desk or the paper signing a date line ("Redactie Haven · 14 maart 2007", "Redaktion Lokales
#: · …", "Metro desk · …", "Leine-Echo · 14.02.2009"): a byline, the article's own, not a
#: section's kicker.
_DESK = re.compile(
    rf"^(?:{_NEWSROOM})\b"
    r"|\b(?:desk|staff|newsroom|redactie|redaktion)$"
    # or the paper itself: "Leine-Echo · 14.02.2009", "Harzer Kurier · …", "Valley Herald · …"
    r"|(?:^|[\s-])(?:echo|zeitung|kurier|courier|anzeiger|tagblatt|bote|rundschau"
    r"|presse|herald|times|gazette|tribune|chronicle|observer|mercury|telegraph|dagblad|krant"
    r"|courrier|gazzetta|corriere|diario|gazeta)$",
    re.IGNORECASE,
)


def _without_author(line: str) -> str:
    """A byline's date line without the author's name that leads it ("Martina Pölzl · 23.
    September 2011, 17:45"): the name reads like a section's (`kicker_led`), which the
    migration rule does not take alone, but on a byline it is the article's author."""
    if not kicker_led(line):
        return line
    return _DATE_LINE_PARTS.split(line.strip(), maxsplit=1)[1].strip()


def kicker_led(line: str) -> bool:
    """Whether a date line opens with a section's name (`_kicker`): weaker evidence, which an
    unmarked header element or the migration rule does not take alone."""
    parts = _DATE_LINE_PARTS.split(line.strip(), maxsplit=1)
    if len(parts) == 2 and _DESK.search(parts[0].strip(" ,;|")):
        return False  # "Redactie Haven · 14 maart 2007": a desk's byline, the article's own
    return len(parts) == 2 and _kicker(parts[0].strip(" ,;|"), line)


#: A Minguo date in numbers ("107-05-03", "107/5/3", "96-03-21"). A three-digit year from 100 to
#: 129 (2011-2040) can be no Gregorian year a page is dated with; any other is read only beside a
#: label in traditional characters (`_ROC_LABEL`), as Taiwan's district and city offices print
#: it in their details tables ("發布日期 | 96-03-21" is 21 March 2007; alone it is 1996's).
_ROC_NUMERIC = re.compile(r"(\d{2,3})([-/.])(\d{1,2})\2(\d{1,2})")
_ROC_LABEL = re.compile(r"[發佈臺國]")
#: Hangul, kana and CJK ideographs: a label in them writes a two-digit year first.
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _minguo(part: str, body: str) -> str:
    """``body`` with a numeric Minguo year (`_ROC_NUMERIC`) read as the Gregorian one; ``part``
    holds its label (the body is digits: the label decides)."""
    roc = _ROC_NUMERIC.fullmatch(body.strip())
    if roc is None:
        return body
    year = roc.group(1)
    if not (len(year) == 3 and 100 <= int(year) <= 129) and not (
        _ROC_LABEL.search(part) and (len(year) == 3 or int(year) >= 60)
    ):
        return body  # "21/03/24" under a Hong Kong label: day first, not Minguo 21 (1932)
    return f"{int(year) + 1911}-{int(roc.group(3)):02d}-{int(roc.group(4)):02d}"


def _local_date(body: str) -> tuple[str, str] | None:
    """A date in another language's words with its local time cut off ("3 mars 2021 à 10h15")."""
    bare = _LOCAL_TIME_TAIL.sub("", body).strip(" ,")
    return parse_date_value(bare) if bare and bare != body else None


_BY_RE_START = re.compile(rf"^{_BY_WORD}\s", re.IGNORECASE)
#: A byline's author set off from its date by a dash: "di Giulia Ferretti – 3 febbraio 2011",
#: "by admin — March 3, 2011" (the dash read as the parts' separator).
BY_DASH = re.compile(
    rf"^((?:posted\s+|written\s+)?{_BY_WORD}\s[^–—|·\d]{{1,60}}?)\s[–—-]\s(?=[^\d]{{0,12}}\d)",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(
    r"(?:at\s|um\s|à\s|om\s)?\d{1,2}[:.h]\d{2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?|Uhr|uur|h)?\s?[A-Z]{0,5}"
)


def _date_line_value(line: str) -> tuple[str, str] | None:
    """The publication date on a date line, skipping "Updated ..." parts (None if only those)."""
    for value, precision, update in date_line_values(line):
        if not update:
            return value, precision
    return None


def date_line_dates(
    text: str, removed: Iterable[Removed], html: str | None = None
) -> tuple[DateFinding | None, DateFinding | None]:
    """The first published and the first "Updated ..." date on a line that is only a date: a
    removed ``date_line`` or ``byline`` item (after the place or name it may lead with), one of
    the first five lines of the text, or a date element of an HTML page
    (`html_header_lines`), in that order."""
    furniture = [
        _without_author(line) if item.reason == "byline" else line
        for item in removed
        if item.reason in ("date_line", "byline")
        for line in item.text.splitlines()
    ]
    teasers = _teaser_dates(html) if html else frozenset()
    furniture = [line for line in furniture if " ".join(line.split()) not in teasers]
    lines = [line.strip() for line in text[:5_000].splitlines() if line.strip()][:5]
    first = len(furniture) + len(lines)  # the text's own lines end here, the page's begin
    if html:
        lines += [line for line in html_header_lines(html) if line not in teasers]
        if _CROATIAN_PAGE.search(html[:3_000]):
            furniture = [_croatian_line(line) for line in furniture]
            lines = [_croatian_line(line) for line in lines]
    updated: DateFinding | None = None
    for n, line in enumerate([*furniture, *lines]):
        values = date_line_values(line)
        if not values and n < len(furniture):  # a removed line may lead with a place or name
            values = date_line_values(_after_lead(line))
        if not values and n < first:
            values = _inline_dateline(line)
        leading = False
        if not values and n == len(furniture):
            values = _leading_date(line)
            leading = bool(values)
        if not values and html and _NUMERIC.search(line):
            values = _numeric_in_page_order(line, html)
        for value, precision, update in values:
            if not update:
                evidence = (FIRST_SENTENCE if leading else "") + line.strip()
                found = DateFinding(value, precision, "date-line", evidence)
                if updated is None:  # "Publicado el 13/02/2008 · Actualizado el 14/02/2008"
                    later = next(((v, p) for v, p, u in values if u), None)
                    if later is not None:
                        updated = DateFinding(*later, "date-line (updated)", line.strip())
                return _sharpened(found, [*furniture, *lines][n + 1 : n + 4]), updated
            if updated is None:
                updated = DateFinding(value, precision, "date-line (updated)", line.strip())
    # after the body: "This article was first published on 22 August 2022", "Filed by ... in
    # Mogadishu, 22 August 2022." (the text's last lines, or lines the cleaner removed)
    tail = [line.strip() for line in text[-3_000:].splitlines() if line.strip()][-5:]
    notes = [item.text for item in removed if item.reason in ("promo", "byline", "date_line")]
    for line in [*tail, *notes]:
        stated = _stated_publication(line)
        if stated is not None:
            return DateFinding(stated[0], stated[1], "date-line", line.strip()[:200]), updated
    # a release's sign-off under the text, its place and day alone: "Porto, 12 de outubro de
    # 2017" (the text's last three lines)
    for line in tail[-3:]:
        signed = _signoff_date(line)
        if signed is not None:
            return DateFinding(signed[0], signed[1], "date-line", line[:200]), updated
    # a notice's signature: its office on one line and the day alone on the last ("苏州古籍保护中心"
    # / "二〇一六年十月九日", "Ministry of Water" / "12 March 2019")
    if (
        len(tail) >= 2
        and _SIGNER.fullmatch(tail[-2])
        and not _NOT_SIGNER.search(tail[-2])
        and len(tail[-1]) <= 40
    ):
        values = [v for v in date_line_values(tail[-1]) if not v[2]]
        if len(values) == 1 and PRECISION_RANK[values[0][1]] <= PRECISION_RANK["day"]:
            return DateFinding(values[0][0], values[0][1], "date-line", tail[-1]), updated
    return None, updated


#: A page that declares itself Croatian or Bosnian (``<html lang="hr">``, ``hr-HR``, ``bs``).
_CROATIAN_PAGE = re.compile(
    r"<html\b[^>]{0,200}?\blang=[\"']?(?:hr|bs)(?:[-_][A-Za-z]{2})?\b", re.IGNORECASE
)
#: Croatian months, whole, in the genitive and as phpBB's abbreviations: "lipanj", "lipnja",
#: "Lip" (June), "listopada" (October), which the Polish and Czech names they share read as
#: July and November ("lipiec", "listopad").
_CROATIAN_MONTH = re.compile(
    r"(?<!\w)(?:(sij(?:ečanj|ečnja|ecanj|ecnja)?)|(velj(?:ača|ače|aca|ace)?)|(ožu(?:jak|jka)?|ozu(?:jak"
    r"|jka)?)|(tra(?:vanj|vnja)?)|(svi(?:banj|bnja)?)|(lip(?:anj|nja)?)|(srp(?:anj|nja)?)"
    r"|(kol(?:ovoz|ovoza)?)|(ruj(?:an|na)?)|(lis(?:topad|topada)?)|(stu(?:deni|denoga|denog)?)"
    r"|(pro(?:sinac|sinca)?))\.?(?!\w)",
    re.IGNORECASE,
)
_ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
).split()
#: Croatian weekdays, whole and abbreviated ("Pon", "Uto", "Sri"), and the "u" before a time.
_CROATIAN_WEEKDAY = re.compile(
    r"(?<!\w)(?:(pon(?:edjeljak)?)|(uto(?:rak)?)|(sri(?:jeda)?)|(čet(?:vrtak)?|cet(?:vrtak)?)"
    r"|(pet(?:ak)?)|(sub(?:ota)?)|(ned(?:jelja)?))\.?(?!\w)",
    re.IGNORECASE,
)
_ENGLISH_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_CROATIAN_AT = re.compile(r"(?<=\d\.) u (?=\d{1,2}[:.]\d\d)")


def _croatian_line(line: str) -> str:
    """A Croatian page's date line as `_croatian_months` writes it where that reading dates it
    to the day and the line as written does not, or to another day ("Pon Lip 14, 2010" is 14
    June, not the Polish July); the line as written otherwise, with its time and its words
    ("Ned Ruj 27, 2009 8:12 pm" reads the same either way)."""
    english = _croatian_months(line)
    if english == line:
        return line
    days = [
        v[:10]
        for v, p, _ in date_line_values(english)
        if PRECISION_RANK[p] <= PRECISION_RANK["day"]
    ]
    if not days:
        return line  # "Svi 2019" ("all 2019") is no day
    written = [v[:10] for v, _, _ in date_line_values(line)]
    return line if written[:1] == days[:1] else english


def _croatian_months(line: str) -> str:
    """A Croatian page's date line in English words (`_CROATIAN_MONTH`, `_CROATIAN_WEEKDAY`),
    which every reader after it reads one way only: "Pon Lip 14, 2010 10:22 am" is Monday 14
    June, not the Polish July."""
    line = _CROATIAN_AT.sub(" ", line)  # "12.03.2019. u 14:30": the "u" ("at") before a time
    if not _CROATIAN_MONTH.search(line):
        return line
    line = _CROATIAN_MONTH.sub(lambda m: _ENGLISH_MONTHS[(m.lastindex or 1) - 1], line)
    return _CROATIAN_WEEKDAY.sub(lambda m: _ENGLISH_WEEKDAYS[(m.lastindex or 1) - 1], line)


#: The office signing a notice above its date: a short name, no sentence, no digit.
_SIGNER = re.compile(
    r"[^\W\d_][^\d.!?。！？:：]{0,40}(?:中心|局|部|委员会|委員会|办公室|政府|学校|协会|協会|公司|医院"
    r"|center|centre|ministry|office|department|council|board|committee|university|association"
    r"|society|embassy|agency|secretariat|authority|municipality|foundation|institute|commission"
    r"|trust|union|federation|church|parish|school|college|club)"
    r"(?:\s(?:of|for)\s[^\d.!?]{2,40})?",
    re.IGNORECASE,
)


#: Words of a line that announces a day rather than signs a notice: "Next council meeting",
#: "Deadline for entries", "born", "until".
_NOT_SIGNER = re.compile(
    r"\b(?:next|deadline|until|till|born|died|since|from|by|runs?|due|clos\w*|open\w*|meeting"
    r"|event|session|date|starts?|ends?|begins?|held|on)\b",
    re.IGNORECASE,
)


def _signoff_date(line: str) -> tuple[str, str] | None:
    """The day of a line that is a place and a date and nothing else ("Porto, 12 de outubro de
    2017", "Wien, am 3. März 2011"), to the day."""
    if len(line) > 80:
        return None
    bare = _after_lead(line)
    place = line[: len(line) - len(bare)].strip(" ,–—-|")
    if not bare or not place or not place[0].isupper() or any(c.isdigit() for c in place):
        return None
    values = date_line_values(re.sub(r"^(?:am|le|el|il|on|den|dne)\s+", "", bare))
    if len(values) != 1 or values[0][2] or PRECISION_RANK[values[0][1]] > PRECISION_RANK["day"]:
        return None
    return values[0][0], values[0][1]


#: Elements whose own text may be a teaser's date (`_teaser_dates`, and htmldate's fallback,
#: which blanks them).
_DATE_TEXT_TAGS = ("span", "small", "em", "i", "font", "div", "p", "time", "td", "b")


@lru_cache(maxsize=4)  # the date-line reader and htmldate's fallback ask for the same page
def _teaser_dates(html: str) -> frozenset[str]:
    """The texts of the page's dates that stand beside a link to another story, two or more
    such in one list: a list of links with their dates ("Orange roughy quotas confirmed<br>
    <span>9 February 2005</span>" in an old site's "Other recent releases" column, or a
    "Latest" strip's ``<li><time>Oct. 12, 2015</time> <a>Food drive beats its target</a></li>``
    items). The cleaner removes them as date lines, but they date the linked stories, not this
    one; a byline's link to its author beside the page's date is one pair, not a list. A text
    that also stands anywhere else on the page (the page's own date, on a teaser's day) is not
    one of them."""
    tree = _parsed(html[:2_000_000])
    if tree is None:
        return frozenset()
    by_parent: dict[Any, list[tuple[str, ...]]] = {}
    cards: set[Any] = set()  # parents that are headed cards, not a link's neighbour
    seen: dict[str, int] = {}
    own = _own_path(tree)  # an old blog heads its own post with a link to itself
    if own and _self_headlines(tree, own) > 1:
        own = ""  # several headlines linking to this very page: a listing's cards, not its post
    for el in tree.iter(*_DATE_TEXT_TAGS):
        text = el.text
        if not text or len(el) or len(text) > 60:
            continue
        # a <time>'s attribute is read as a date line too: it is the teaser's as much as its text
        keys = (
            " ".join(text.split()),
            *([el.get("datetime").strip()] if el.get("datetime") else []),
        )
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
        if any(_headline_link(n, own) for n in (_sibling(el, -1), _sibling(el, 1))):
            # a <time> with its attribute is a date whatever its text ("Le 12/09/2016 à 18h02",
            # a day-month order only the page's other dates settle)
            if date_line_values(text) or (el.tag == "time" and len(keys) > 1):
                by_parent.setdefault(el.getparent(), []).append(keys)
            continue
        if date_line_values(text):  # a Blogger date header over another post's linked title
            card = _headed_card(el, own)
            if card is not None:
                by_parent.setdefault(card, []).append(keys)
                cards.add(card)
    # one pair per item: the items' list. A link's neighbour is an item of its parent's parent
    # (a list's <li>); a headed card's list is the nearest of three ancestors that holds two
    # such cards or more (a tag archive's <article> cards sit a level or two deeper), so a
    # byline's author link beside the page's own date never joins another story's card.
    singles = [(parent, pairs) for parent, pairs in by_parent.items() if len(pairs) == 1]
    holding: dict[Any, int] = {}
    for parent, _ in singles:
        if parent in cards:
            for node in itertools.islice(parent.iterancestors(), 3):
                holding[node] = holding.get(node, 0) + 1
    by_list: dict[Any, list[tuple[str, ...]]] = {}
    for parent, pairs in singles:
        if parent not in cards:
            if parent.getparent() is not None:
                by_list.setdefault(parent.getparent(), []).extend(pairs)
            continue
        for node in itertools.islice(parent.iterancestors(), 3):
            if holding[node] >= 2:
                by_list.setdefault(node, []).extend(pairs)
                break
    teasers: dict[str, int] = {}
    for pairs in [*by_parent.values(), *by_list.values()]:
        if len(pairs) >= 2:
            for key in (key for keys in pairs for key in keys):
                teasers[key] = teasers.get(key, 0) + 1
    return frozenset(key for key, count in teasers.items() if count == seen[key])


_HEADING = "self::h2 or self::h3 or self::h4"
#: The most child elements a story's card holds (its image, title, summary, date, labels).
_CARD_CHILDREN = 40


def _self_headlines(tree: Any, own: str) -> int:
    """How many links inside headings point to the page itself (`_links_within`); a link to a
    part of it ("#comments") is no headline."""
    return sum(
        1
        for a in tree.xpath(f"//*[{_HEADING}]//a[@href]")
        if not any(mark in str(a.get("href")) for mark in "#?")
        and _links_within(str(a.get("href") or ""), own)
    )


def _headed_card(el: Any, own: str = "") -> Any:
    """The nearest of the element's three ancestors that holds exactly one heading linked as a
    headline (the link in the heading or around it): another story's card, its date beside or
    above its linked title
    (``<div class="date-outer"><h2>Sonntag, 18. Oktober 2015</h2><div><h3><a>Kürbisse vom
    Bauernmarkt</a></h3></div></div>``). The article's own title is no link, or stands alone;
    an element that holds the page's ``<h1>`` is the page's own post (a blog's sticky post
    linked above it is the card, not the column holding both), and so is one whose title links
    to the page itself (`_own_path` ``own``: an old blog's ``<div class="date">Samedi 18
    septembre 2010</div><h2><a href=…its own address…>``, its ``<h1>`` the blog's name)."""
    for depth, node in enumerate(el.iterancestors()):
        if depth >= 3 or len(node) > _CARD_CHILDREN or node.find(".//h1") is not None:
            return None  # a card is small: a table's body or a page's column is no card
        links = node.xpath(f".//*[{_HEADING}]//a | .//a[.//*[{_HEADING}]]")
        if links:
            return node if len(links) == 1 and _headline_link(links[0], own) else None
    return None


def _sibling(el: Any, step: int) -> Any:
    """The element's previous (-1) or next (1) sibling element, past line breaks."""
    node = el.getprevious() if step < 0 else el.getnext()
    while node is not None and node.tag == "br":
        node = node.getprevious() if step < 0 else node.getnext()
    return node


def _headline_link(node: Any, own: str = "") -> bool:
    """A link whose text reads as a headline (three words or more), not an author's name, to
    another page than this one (`_own_path` ``own``, when given)."""
    return (
        node is not None
        and node.tag == "a"
        and len(node.text_content().split()) >= 3
        and not (own and _links_within(str(node.get("href") or ""), own))
    )


def _sharpened(found: DateFinding, following: list[str]) -> DateFinding:
    """The date line, or the same day written more precisely on one of the next three lines (a
    header's "Published Aug. 27, 2020" followed by its own ``<time datetime>``). A time in
    UTC is never taken: it may be another day where the outlet is, or an update's time, and the
    day as printed is what the local-day rule (`choose_date`) weighs against UTC metadata."""
    for line in following:
        if not _HAS_TIME.search(line):
            continue  # only a time makes a line more precise than a day
        for value, precision, update in date_line_values(line):
            if (
                not update
                and value[:10] == found.value[:10]
                and PRECISION_RANK[precision] < PRECISION_RANK[found.precision]
                and not _UTC_VALUE.search(value)
            ):
                return DateFinding(value, precision, "date-line", line.strip())
    return found


_UTC_VALUE = re.compile(r"(?:Z|[+-]00:?00)$")
_HAS_TIME = re.compile(r"\d[:h.]\d\d")


#: A sentence that states the day the article was published or filed, after the body, or in an
#: archive's note above it ("From the archive: This article was first published in The Review
#: on 14 March 2009").
_STATED = re.compile(
    r"(?:^(?:[^:\n]{1,30}:\s*)?(?:this|the)\s+"
    r"(?:article|story|column|post|report|piece|interview|op-ed|essay|feature)\s+"
    r"(?:was\s+)?(?:first|originally)\s+(?:published|appeared)\s+(?:in\s+[^\d.\n,]{1,60}?\s+)?"
    r"(?:on\s+)?|^filed\b[^.\n]{0,80}?,\s*"
    # a note that opens with it: "First published 17 September 2014, in issue 31 of ..."
    r"|^(?:first|originally)\s+(?:published|appeared)\s+(?:in\s+[^\d.\n,]{1,60}?\s+)?(?:on\s+)?)"
    r"(?P<date>(?:\d{1,2}\s+\w+|\w+\.?\s+\d{1,2},?)\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
#: Evidence prefix of a date an article states as its first publication (`html_stated_date`): a
#: migrated page's own word, which wins over metadata and a byline a month or more later.
STATED = "stated: "
#: Evidence of a metadata date read from a generic field (``<meta name="date">``,
#: ``og:updated_time``'s neighbours) when no field naming the publication gave one: often the
#: page's last save, so an earlier day the page prints as its date wins (`choose_date`).
GENERIC_META = "generic meta date"
#: The same note in the other languages of the news we read, up to where its date begins ("Dit
#: artikel verscheen oorspronkelijk op vrijdag 14 november 2008 in …", "Dieser Artikel erschien
#: zuerst am …", "Cet article a été publié initialement le …"), and the English one with a
#: weekday before its date ("This story was first published on Tuesday 14 March 2006").
_STATED_ELSEWHERE = re.compile(
    r"^(?:[^:.\n]{1,30}[:.]\s*)?(?:"
    r"(?:this|the)\s+(?:article|story|column|post|report|piece)\s+(?:was\s+)?(?:first|originally)"
    r"\s+(?:published|appeared)\s+(?:in\s+[^\d.\n,]{1,60}?\s+)?(?:on\s+)?"
    r"|dit\s+(?:artikel|bericht|stuk)\s+(?:verscheen|is\s+verschenen|werd\s+gepubliceerd)\s+"
    r"(?:oorspronkelijk|eerder|voor\s+het\s+eerst|eerst)\s+(?:in\s+[^\d.\n,]{1,60}?\s+)?op\s+"
    r"|diese[rs]?\s+(?:artikel|beitrag|text)\s+(?:erschien|wurde)\s+(?:zuerst|ursprünglich|erstmals)"
    r"\s+(?:in\s+[^\d.\n,]{1,60}?\s+)?am\s+"
    r"|cet\s+article\s+(?:a\s+(?:d'abord\s+)?été\s+publié|est\s+paru)\s+(?:initialement\s+|"
    r"d'abord\s+|pour\s+la\s+première\s+fois\s+)?(?:dans\s+[^\d.\n,]{1,60}?\s+)?le\s+"
    r"|este\s+(?:artículo|texto|reportaje)\s+(?:se\s+publicó|fue\s+publicado|apareció)\s+"
    r"(?:originalmente|por\s+primera\s+vez|inicialmente)\s+(?:en\s+[^\d.\n,]{1,60}?\s+)?el\s+"
    r"|questo\s+articolo\s+(?:è\s+stato\s+pubblicato|è\s+uscito|è\s+apparso)\s+"
    r"(?:originariamente|per\s+la\s+prima\s+volta|inizialmente)\s+(?:su\s+[^\d.\n,]{1,60}?\s+)?"
    r"(?:il\s+)?"
    r"|este\s+(?:artigo|texto)\s+foi\s+(?:originalmente\s+)?publicado\s+(?:originalmente\s+)?"
    r"(?:n[oa]\s+[^\d.\n,]{1,60}?\s+)?(?:em\s+)?"
    # Armenian: "Այս գրառումն առաջին անգամ հրապարակվել է մեր հին բլոգում՝ 2007 թ. օգոստոսի 12"
    r"|(?:այս|սույն)\s+(?:գրառում|հոդված|նյութ)ն?\s+առաջին\s+անգամ\s+հրապարակվել\s+է\s+"
    r"[^\d.\n]{0,60}?(?=(?:19|20)\d\d))",
    re.IGNORECASE,
)
#: The date after such a note's opening: the shortest run of text up to a year.
_UP_TO_YEAR = re.compile(r"(.{3,40}?(?:19|20)\d\d)(?!\d)")
_STATED_HINT = re.compile(
    r"(?:first|originally)\s+(?:published|appeared)|verscheen|erschien|erstmals|initialement"
    r"|d'abord\s+été|originalmente|por\s+primera\s+vez|originariamente|per\s+la\s+prima\s+volta"
    r"|առաջին\s+անգամ",
    re.IGNORECASE,
)
_STATED_TAGS = frozenset({"p", "div", "span", "em", "i", "small", "aside", "blockquote", "footer"})
#: A note about this page itself ("This article was first published ..."), not one quoting
#: another ("The article was first published in Le Monde ..."), and not a republication
#: ("... and has been updated", "revised on ..."), whose own day is the page's.
_SELF_NOTE = re.compile(
    r"(?:^|[:.]\s*)(?:this\s|(?:first|originally)\s+(?:published|appeared)\b|dit\s|diese[rs]?\s"
    r"|cet\s+article|este\s|questo\s|այս\s|սույն\s)",
    re.IGNORECASE,
)
_REPUBLISHED = re.compile(r"updated|republish|revised|re-?posted|aktualisiert", re.IGNORECASE)


#: Source of the day a page says it was imported or migrated on: never the publication date, it
#: only tells that the metadata and the address carrying that day are the migration's.
IMPORT_NOTE = "import-note"
#: A tag, to read a note's text out of the page's markup.
_NOTE_TAG = re.compile(r"<[^<>]{0,2000}>")
#: A migration's verb in the languages of the news we read: the page's note that it was
#: "imported from our old site on 15 January 2017" ("importé de notre ancien site le …").
_IMPORT_VERB = re.compile(
    r"\b(?:imported|migrated|transferred|import[ée]e?|migr[ée]e?|transf[ée]r[ée]e?|importiert"
    r"|migriert|übertragen|importad[oa]|migrad[oa]|importat[oa]|migrat[oa]|geïmporteerd"
    r"|gemigreerd|overgezet)\b",
    re.IGNORECASE,
)
#: The note's date: a few words after the verb, in the same sentence, up to a year.
_IMPORT_DAY = re.compile(
    r"[^.<>!?]{0,80}?\s(?:on|le|am|el|il|op|em)\s+([^.<>!?]{4,40}?(?:19|20)\d\d)"
)
#: What a migration moves, named in the note's sentence: the site, its archive, its platform
#: ("imported from our old site", "importé de notre ancien site"); "the prisoner was
#: transferred on 3 June" or "grain imported on 5 March" names none.
_IMPORT_OBJECT = re.compile(
    r"\b(?:site|website|web\s?site|platform|archive|archives|system|cms|database|blog"
    r"|plateforme|système|seite|webseite|plattform|archiv|sitio|plataforma|archivo|sito"
    r"|piattaforma|archivio|sistema|archief|systeem)\b",
    re.IGNORECASE,
)
#: At most this many migration verbs of a page are read (each costs a date parse).
IMPORT_NOTES_READ = 5


def html_import_day(html: str) -> DateFinding | None:
    """The day the page says it was imported or migrated on ("Il a été importé de notre ancien
    site le 15 janvier 2017"), as an ``IMPORT_NOTE`` finding; None without such a note. A
    migration rewrites the metadata and often the address with its own day; the note names it."""
    page = html[:2_000_000]
    for n, verb in enumerate(_IMPORT_VERB.finditer(page)):
        if n >= IMPORT_NOTES_READ:
            break
        # the verb's own text run: from the tag before it to the tag after it (no block crossed)
        start = page.rfind(">", max(0, verb.start() - 300), verb.start()) + 1 or verb.start()
        end = page.find("<", verb.end(), verb.end() + 300)
        run = page[start : end if end >= 0 else verb.end() + 300]
        offset = verb.start() - start
        day = _IMPORT_DAY.match(run, offset + len(verb.group(0)))
        if day is None or not _IMPORT_OBJECT.search(run[: day.end()]):
            continue
        parsed = parse_date_value(day.group(1))
        if parsed is not None and parsed[1] == "day":
            return DateFinding(parsed[0], "day", IMPORT_NOTE, " ".join(run[: day.end()].split()))
    return None


def html_stated_date(html: str) -> DateFinding | None:
    """The day a note in the page states this article was first published ("This article was
    first published in The Review on 14 March 2009"), outside comments and other stories.
    Archives that move old articles to a new site keep the note and rewrite the metadata and
    the byline's date with the day of the move. Only the elements around a text that says
    "first published" are read."""
    page = html[:2_000_000]
    if not _STATED_HINT.search(page):
        return None
    tree = _parsed(page)
    if tree is None:
        return None
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        if node.text and _STATED_HINT.search(node.text):
            holder = node
        elif node.tail and _STATED_HINT.search(node.tail):
            holder = node.getparent()
        else:
            continue
        for el in islice(chain([holder], holder.iterancestors()), 3):
            if el.tag not in _STATED_TAGS:
                continue
            text = _short_text(el, 300)
            if text is None or not _SELF_NOTE.search(text) or _REPUBLISHED.search(text):
                continue
            marks = _block_marks(el)
            if _COMMENTS.search(marks) or _OTHER_STORIES.search(marks):
                break
            if _in_comments(el) or _in_other_story(el):
                break
            stated = _stated_publication(text)
            if stated is not None:
                return DateFinding(stated[0], stated[1], "date-line", STATED + text[:200])
    return None


def _stated_publication(line: str) -> tuple[str, str] | None:
    """The day a "first published on ..." or "Filed ..., <date>" sentence states."""
    if len(line) > 300:
        return None  # a note, not a paragraph that mentions when something was published
    match = _STATED.search(line.strip())
    if match is not None:
        value = match.group("date")
    else:
        opening = _STATED_ELSEWHERE.search(line.strip())
        after = _armenian_day_first(line.strip()[opening.end() :]) if opening else ""
        rest = _UP_TO_YEAR.match(after) if opening else None
        if rest is None:
            return None
        value = rest.group(1).strip(" ,")
    parsed = parse_date_value(value)
    if parsed is None or PRECISION_RANK[parsed[1]] > PRECISION_RANK["day"]:
        return None
    return parsed


#: A numeric date whose day and month are both 12 or less ("05/04/2021"): ambiguous alone.
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d)(?![\d/.-])")


#: The language a page declares on its root element (`<html lang="fr-FR">`).
_PAGE_LANGUAGE = re.compile(
    r"<html\b[^>]{0,300}?(?<![\w:-])lang=[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z]{4})?"
    r"(?:[-_]([A-Za-z]{2})(?![A-Za-z]))?"
)
#: Where English writes the month first in a numeric date; everywhere else in English (and in
#: every other language written left to right with such dates) the day comes first.
_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "mh", "pw", "as", "gu", "pr", "vi", "um"})
#: Languages whose numeric dates open with the year ("2021/04/05"), or whose pages may follow
#: either English order: no order is assumed for them.
_NO_ORDER_LANGUAGES = frozenset({"zh", "ja", "ko", "hu", "lt", "mn", "fa", "eu"})
#: Languages whose numeric dates put the month first (the Philippines' Filipino and Tagalog).
_MONTH_FIRST_LANGUAGES = frozenset({"fil", "tl"})
#: English regions whose pages write both orders: no order is assumed for them.
_MIXED_REGIONS = frozenset({"ca"})


def _language_order(html: str) -> str | None:
    """ "day" or "month", the order of a numeric date in the page's declared language: day first
    in French, German, Spanish, Russian and British English, month first in American English;
    None when the page declares no language, or English without a region."""
    match = _PAGE_LANGUAGE.search(html[:5_000])
    if match is None:
        return None
    language, region = match.group(1).lower(), (match.group(2) or "").lower()
    if language in _NO_ORDER_LANGUAGES:
        return None
    if language in _MONTH_FIRST_LANGUAGES:
        return "month"
    if language == "en":
        if not region or region in _MIXED_REGIONS:
            return None
        return "month" if region in _MONTH_FIRST_REGIONS else "day"
    return "day"


def _numeric_in_page_order(line: str, html: str) -> list[tuple[str, str, bool]]:
    """An ambiguous numeric date line read in the order the page writes its other numeric
    dates: a site writes all its dates one way, so "19/03/2021" elsewhere on the page makes
    "05/04/2021" 5 April. When no other date settles it, the page's declared language does
    (`_language_order`: "08/09/2016" on a French page is 8 September). Nothing when the page's
    dates disagree, or neither they nor its language settle it. Where neither settles it, a
    North American time zone written after the date's clock time does: "Posted 04/07/2012 3:15
    PM CDT" on a page in English without a region is 7 April."""
    day_first = month_first = 0
    for a, _, b, _ in _NUMERIC.findall(html[:2_000_000]):
        if int(a) > 12 >= int(b):
            day_first += 1
        elif int(b) > 12 >= int(a):
            month_first += 1
    if day_first and month_first:
        return []
    if not (day_first or month_first):
        order = _language_order(html)
        if order is None and _NORTH_AMERICAN_ZONE.search(line) and _english_page(html):
            order = "month"
        if order is None:
            return []
        day_first = order == "day"
    return _numeric_read(line, day_first=bool(day_first))


def _numeric_read(line: str, *, day_first: bool) -> list[tuple[str, str, bool]]:
    """The line's numeric date read in the given order, as a date line."""
    match = _NUMERIC.search(line)
    if match is None:
        return []
    a, b, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    day, month = (a, b) if day_first else (b, a)
    found = valid_date(year, month, day)
    if found is None:
        return []
    iso = f"{line[: match.start()]}{found.isoformat()}{line[match.end() :]}"
    return date_line_values(iso)


#: A North American time zone's abbreviation after a clock time, where dates are written month
#: first ("3:15 PM CDT", "10:02 a.m. ET"); in capitals, after a real clock time (not French
#: "10h30 et"), and never AST or PST alone, which Arabia and Pakistan write too.
_NORTH_AMERICAN_ZONE = re.compile(
    r"\b\d{1,2}:\d\d\s?(?:[AaPp]\.?[Mm]\.?\s?)?(?:E[SD]T|C[SD]T|M[SD]T|PDT|ET|CT|MT|PT|AK[SD]T"
    r"|HST)\b"
)


def _english_page(html: str) -> bool:
    """A page that declares English without a region, or with a North American one."""
    match = _PAGE_LANGUAGE.search(html[:5_000])
    if match is None:
        return True
    region = (match.group(2) or "").lower()
    return match.group(1).lower() == "en" and region in ("", "us", "ca")


#: A paragraph that opens with a dateline carrying the date, as press releases and wires write
#: it: "NAIROBI, Kenya, March 14, 2022 /Afriwire/ -- ...", "ISLAMABAD, 3 May 2024 (APP) - ...":
#: a place in capitals, up to two more names after commas, the date with its year, then the
#: release wire's name or the agency's credit and a dash, or the full stop a German release
#: closes its dateline with ("Hannover, 14.02.2018. Die Messungen ...").
_INLINE_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,30}"
    # or a place written in its own case, as Romance-language releases do ("São Paulo, 3 de
    # julho de 2007 –", "Ciudad de México, 9 de noviembre de 2020 -"): capitalised words, the
    # small words of place names between them
    r"|[A-ZÀ-Þ][\w.'’-]{1,20}(?: (?:[A-ZÀ-Þ][\w.'’-]{1,20}|d[aeiou]s?|del|la|el|le|les|am|an))"
    r"{0,3})"
    r"(?:, [A-ZÀ-Þ][\w.'’ -]{1,30}?){0,2}"
    # the date after a comma, or in brackets as US releases write it: "ASH GROVE, Ohio (Sept.
    # 14, 2017) — ..."
    r"(?:, (?P<date>[^/()–—:]{5,30}?(?:19|20)\d\d)"
    r"|\s\((?P<bracketed>[^/()–—:]{5,30}?(?:19|20)\d\d)\))"
    r"\s*(?:/[^/]{1,40}/\s*|\([^()]{1,40}\)\s*)?(?:--|—|–|-|(?<=\d)\.)\s"
)


#: A release's place in capitals before its bracketed date: "ASH GROVE, Ohio (Sept. 14, 2017)".
_CAPITALS_PLACE = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,30}(?:,|\s\()")
#: Capitalised words of rubrics that open a paragraph like a dateline does.
_NOT_A_PLACE = frozenset(
    {"ON", "THIS", "DAY", "TODAY", "IN", "THE", "BREAKING", "UPDATE", "UPDATED", "FLASHBACK"}
    # weekdays: "Black Friday, 24 November 2023 -", "Lunes, 3 de julio de 2023 -"
    | set(
        """MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY LUNES MARTES MIÉRCOLES JUEVES
        VIERNES SÁBADO DOMINGO SEGUNDA-FEIRA TERÇA-FEIRA QUARTA-FEIRA QUINTA-FEIRA SEXTA-FEIRA
        LUNDI MARDI MERCREDI JEUDI VENDREDI SAMEDI DIMANCHE MONTAG DIENSTAG MITTWOCH DONNERSTAG
        FREITAG SAMSTAG SONNABEND SONNTAG LUNEDÌ MARTEDÌ MERCOLEDÌ GIOVEDÌ VENERDÌ SABATO
        DOMENICA""".split()
    )
)
#: Words of time that open a sentence the way a place opens a dateline ("Last Tuesday, 5 March
#: 2024 -", "Yesterday, ..."): refused as the first word only ("BLACK MOUNTAIN, N.C." stays).
_TIME_OPENERS = frozenset(
    """LAST NEXT YESTERDAY TOMORROW EVERY EARLY LATE SINCE UNTIL BY FROM AT HOY AYER HOJE ONTEM
    OGGI IERI AUJOURD'HUI HIER HEUTE GESTERN""".split()
)


def _inline_dateline(line: str) -> list[tuple[str, str, bool]]:
    """The date of a dateline that opens a paragraph (`_INLINE_DATELINE`), to the day."""
    match = _INLINE_DATELINE.match(line)
    if match is None:
        return []
    group = "date" if match.group("date") is not None else "bracketed"
    if group == "bracketed" and not _CAPITALS_PLACE.match(line):
        return []  # "Woodstock (Aug. 15, 1969) — half a million people …": a story's history
    place = line[: match.start(group)].replace(",", " ").replace("(", " ").upper().split()
    if set(place) & _NOT_A_PLACE or (place and place[0] in _TIME_OPENERS):
        return []  # "ON THIS DAY, 9 November 1989 -": a rubric, not a filing place
    # "Dresden, den 12.08.2005.": a German letter's or release's "den" before the date
    parsed = parse_date_value(re.sub(r"^(?:den|am)\s+", "", match.group(group).strip(" ,")))
    if parsed is None or PRECISION_RANK[parsed[1]] > PRECISION_RANK["day"]:
        return []
    return [(parsed[0], parsed[1], False)]


#: Evidence prefix of a date read from the text's first sentence (`_leading_date`): weaker than
#: a line that is only a date, so it never overrules the metadata (`choose_date`).
FIRST_SENTENCE = "first sentence: "
#: A first sentence that is only a date, with the body following it on the same line, as a
#: community paper or a diary writes it: "Dydd Sadwrn, 16 Hydref 2004. Roedd y neuadd ...".
_LEADING_DATE = re.compile(r"(.{6,50}?(?:19|20)\d\d)\.\s")


def _leading_date(line: str) -> list[tuple[str, str, bool]]:
    """The day of the text's first sentence when that sentence is a date line and nothing else."""
    match = _LEADING_DATE.match(line)
    if match is None:
        return []
    values = date_line_values(match.group(1))
    return [v for v in values if PRECISION_RANK[v[1]] <= PRECISION_RANK["day"] and not v[2]][:1]


#: What a removed date line or byline may carry before its date: a place ("Kabul, 14 March
#: 2024") or a byline ("Von Jorinde Mahl, 28. März 2019"), a few words without digits.
_LEAD = re.compile(r"[^\d,|–—]{1,60}?(?:, | [–—-] | \| )")


def _after_lead(line: str) -> str:
    lead = _LEAD.match(line)
    return line[lead.end() :] if lead and len(lead.group(0).split()) <= 6 else ""


def _placed(line: str) -> str:
    """A date element's line without the place or name that leads its date ("Leipzig, 17. März
    2009" is 17 March 2009), read only under the page's headline: above it, a masthead's
    "Montevideo, viernes 4 de diciembre de 2026" is the day the page was served. A line that
    reads as a date already, or whose lead is no place or name (capitalised words, `_name_like`)
    or holds an update's, a deadline's or an event's label, is kept as it is."""
    if date_line_values(line):
        return line
    after = _after_lead(line)
    lead = line[: len(line) - len(after)]
    starts = [0, *(m.end() for m in re.finditer(r"\s", lead))]
    if not after or any(_UPDATED_LABEL.match(lead[i:]) for i in starts):
        return line  # "Ulrike Sander Aktualisiert, 17. März 2009": the update's day
    words = lead.strip(" ,|–—-")
    if not _name_like(words) or _KICKER_ROLE.search(words) or _EVENT_LABEL.search(words):
        return line  # "Deadline, 17 March 2026", "Applications close, …": another day's role
    return after if date_line_values(after) else line


def date_line_date(
    text: str, removed: Iterable[Removed], html: str | None = None
) -> DateFinding | None:
    """A date from a line that is only a date (`date_line_dates`), the published one first.

    An "Updated ..." date is the last modification, not the publication: a published date on any
    of these lines wins; only when the article gives nothing else is the update used, with the
    source ``date-line (updated)`` (the article existed by then, so it is never too early by much
    and never later than the truth).
    """
    published, updated = date_line_dates(text, removed, html)
    return published or updated


#: Elements whose class, id or itemprop marks a date in a page header ("date", "post-meta",
#: and the same words in other languages: "datum", "fecha", "data-publicacao", "zeit", "tarih").
_DATE_CLASS = re.compile(
    r"date|time|publi|posted|submitted|updated|byline|meta|datum|fecha|data|zeit|fech|tarih"
    r"|(?<![a-z])firma(?![a-z])",
    re.IGNORECASE,
)
#: Class words of the article's byline: a name before its date there is the author's.
_BYLINE_MARK = re.compile(r"byline|author|(?<![a-z])firma(?![a-z])", re.IGNORECASE)
#: Marks that say an element holds *this* page's publication date wherever it stands (a footer
#: "Published <time itemprop=datePublished>" after the body): schema.org's itemprop, HTML's old
#: ``pubdate`` attribute, a class or id naming the publication.
_PUBLISHED_MARK = re.compile(
    r"datePublished|pubdate|published|publish-date|publication|pubblicazione"
    r"|publicaci[oó]n(?!es)|ver(?:ö|oe)ffentlicht",
    re.I,
)
MAX_HEADER_LINES = 20
#: Class words of the paragraphs a header holds above its byline and date: the standfirst, dek,
#: summary or kicker ("story__standfirst", "article-dek", "chapo"), in the languages the classes
#: are written in ("sottotitolo", "entradilla", "Vorspann", "ingress", "perex").
_HEADER_PARAGRAPH = re.compile(
    r"standfirst|(?:\b|_|-)dec?k\b|summary|subtitle|subhead|strap|kicker|chapo|chapeau"
    r"|abstract|intro\b|lede|(?:\b|_)lead\b|description|excerpt"
    r"|sottotitolo|occhiello|catenaccio|sommario|entradilla|bajada|sumario|subt[ií]tulo"
    r"|vorspann|unterzeile|ingress|perex|zajawka",
    re.IGNORECASE,
)
#: Class words of another story's card around such a paragraph (a "top stories" strip above the
#: article: its card's summary and date are not this page's). An "item" is a list's, not the
#: article page's own container (Joomla's ``item-page``, K2's ``itemView`` and ``itemHeader``).
_CARD = re.compile(
    r"card|teaser|tile|promo|related|grid|list|item(?!-?(?:page|view|header|body|full))|river"
    r"|rail|comment|reply|sidebar|widget"
    r"|popular|most-?read",
    re.IGNORECASE,
)


#: The labels that name a page's publication, in the languages of the news we read: a details
#: box's label cell (`_LABEL_CELL`) and an element after the body that opens with one
#: (`_PUBLICATION_LABEL`) read the same list.
_PUBLICATION_WORDS = (
    r"(?:date\s+(?:of\s+)?publi(?:cation|shed)|publication\s+date|published(?:\s+on)?"
    r"|first\s+published|posted(?:\s+on)?|release\s+date|publi[ée]e?\s+le|date\s+de\s+publication"
    r"|(?:erst|(?:erstmals|zuerst)\s+)?ver[öo]ffentlicht(?:\s+am)?|erstver[öo]ffentlichung"
    r"|fecha\s+de\s+publicaci[óo]n"
    r"|publicad[oa](?:\s+originalmente)?(?:\s+e[lm])?"
    r"|pubblicat[oa](?:\s+originariamente)?(?:\s+il)?"
    # Joomla's "created" in its language packs, in an info block under the text
    r"|(?:creado|criado|cr[ée]{2}|creato)(?:\s+(?:el|em|le|il|en))?|opublikowano|gepubliceerd(?:\s+op)?|data\s+de\s+publica[çc][ãa]o"
    r"|yay[ıi]n\s+tarihi|تاریخ\s+انتشار|تاريخ\s+النشر|نشر\s+(?:في|بتاريخ)|منتشر\s+شده(?:\s+در)?"
    r"|公開日|掲載日|発行日|発表日|配信日|公表日|发布时间|發布時間|发布日期|發佈日期|發布日期|게시일"
    rf"|등록일|기사입력|{_PUBLICATION_NOUNS})"
)
#: An element whose own text opens with a publication label (not an update's), followed by a
#: colon or the date: "Published: 7 May 2021", "公開日：令和3年5月7日", "기사입력 2021.05.07".
_PUBLICATION_LABEL = re.compile(
    _PUBLICATION_WORDS + r"(?:\s{0,3}[:：]|\s{0,3}(?=\d))", re.IGNORECASE
)


def _paragraph_of_body(text: str) -> bool:
    """A dozen words, or in a script written without spaces (Chinese, Japanese) a sentence of
    40 characters (a breadcrumb "トップページ>くらし>税金>..." has no sentence end)."""
    words = text.split()
    if len(words) >= 12:
        return True
    return len(words) <= 3 and len("".join(words)) >= 40 and ("。" in text or "．" in text)


def _links_paragraph(el: Any) -> bool:
    """A paragraph most of whose text is links: a blog's "« previous | Main | next »" bar or
    a list of tags, navigation above the entry, not the body's first paragraph."""
    text = len("".join(el.text_content().split()))
    linked = sum(len("".join(a.text_content().split())) for a in el.iter("a"))
    return text > 0 and 2 * linked >= text


#: Class or id words of a block of other stories: their cards' dates are theirs.
_OTHER_STORIES = re.compile(
    r"(?<![a-z])(?:related|recommend\w{0,4}|carousel|more-?stories|read-?more|popular"
    r"|most-?read|trending|latest-?(?:news|stories|headlines|strip|articles)|news-?ticker"
    # a block of a reporter's or section's "Latest:" story, by the class word alone ("latest",
    # not a post marked "latest-post", which is the article)
    r"|latest(?![\w-])"
    # a sidebar of coming events: its dates are the events' ("Termine", "Agenda")
    r"|termine|agenda|upcoming-?events|events?-?list|veranstaltungen|(?:termin|veranstaltungs)"
    r"kalender"
    # an event's own box in an article about it: its date is the event's ("event-box__date")
    r"|event-?(?:box|info|details?|dates?|card|meta))"
    r"(?![a-z])",
    re.IGNORECASE,
)


#: Class or id words of a cookie or consent banner: its paragraph of legal text, often first in
#: the body's markup, is not the article's first paragraph.
_CONSENT = re.compile(r"cookie|consent|gdpr|(?<![a-z])cmp(?![a-z])|privacy-banner", re.IGNORECASE)


def _canonical_href(tree: Any) -> str:
    """The page's canonical address as written ("" when it has none)."""
    found = tree.xpath('//link[@rel="canonical"]/@href')
    return str(found[0]) if found else ""


def _own_address(tree: Any) -> str:
    """The last part of the page's canonical address (`_slug`; "" when it has none)."""
    href = _canonical_href(tree)
    return _slug(href) if href else ""


def _slug(href: str) -> str:
    """An address's last path part, unquoted and in lower case, without an AMP version's
    ``/amp`` ("/news/Council-Budget/amp/" and "https://site/news/council-budget" are both
    "council-budget"): relative, syndicated and AMP links to the page itself read alike."""
    try:
        parts = [part for part in unquote(urlsplit(href.strip()).path).split("/") if part]
    except ValueError:
        return ""
    if parts and parts[-1].casefold() == "amp":
        parts.pop()
    return parts[-1].casefold() if parts else ""


def _other_post(el: Any, canonical: str) -> bool:
    """Inside another post's ``<article>`` above the page's own (`html_header_lines` asks only
    before the page's ``<h1>``): a blog's sticky post or a featured story, holding no ``<h1>``,
    whose first heading or paragraph is a heading that links to another address. An old theme
    heads the page's own post the same way, with a link to itself, so a page without a
    canonical address is never asked."""
    if not canonical:
        return False
    post = next((a for a in islice(el.iterancestors(), 4) if a.tag == "article"), None)
    if post is None or post.find(".//h1") is not None:
        return False
    first = next(post.iter("h2", "h3", "h4", "p"), None)
    link = first.find(".//a") if first is not None and first.tag != "p" else None
    href = str(link.get("href") or "") if link is not None else ""
    slug = _slug(href) if href and not href.startswith("#") else ""
    return bool(slug) and slug != canonical


def _listed_item(el: Any) -> bool:
    """A date beside another story's headline in a list's item: a sidebar's "latest news" (``<li><a
    href=…>Loppemarked i foråret</a> <span class=date-display-single>05/03/2015</span>``). Only
    the links beside the date are asked (the item's own children, the date's siblings, a
    headline's ``<h3><a>``), not a post's text wrapped in an item; the link has four words or
    more and is no author's, user's, category's or tag's (`_PEOPLE_OR_TOPIC_LINK`)."""
    item = next((a for a in islice(chain([el], el.iterancestors()), 3) if a.tag == "li"), None)
    if item is None:
        return False
    beside = [*item, *(s for s in el.itersiblings(preceding=True)), *el.itersiblings()]
    for node in beside:
        if not isinstance(node.tag, str) or node is el:
            continue
        link = node if node.tag == "a" else None
        if link is None and node.tag in ("h2", "h3", "h4", "h5", "strong", "b"):
            link = node.find("a")
        if (
            link is None
            or not link.get("href")
            or _PEOPLE_OR_TOPIC_LINK.search(f"{link.get('href')} {link.get('rel') or ''}")
        ):
            continue
        if len(link.text_content().split()) >= 4:
            return True
    return False


#: A link to a person or a topic, not to another story: an author's or user's page, a category
#: or tag.
_PEOPLE_OR_TOPIC_LINK = re.compile(
    r"/(?:author|authors|user|users|profile|members?|memberlist|people|category|categories|tag"
    r"|tags|topic|topics)\b|\bauthor\b",
    re.IGNORECASE,
)


def _in_other_story(el: Any) -> bool:
    """Inside a block of other stories (related, recommended, a carousel, most read), by whole
    class words. Not "sidebar", "widget" or "promo": themes wrap the article itself in a
    sticky-sidebar container, and Drupal marks a promoted article ``node--promoted``."""
    return _inside(el, _OTHER_STORIES, 6)


#: Class or id words of a comment thread: its hAtom ``published`` times date the comments.
_COMMENTS = re.compile(
    r"(?<![a-z])(?:comments?|comment-\w{1,20}|repl(?:y|ies)|respond|responses?|discussion|disqus)"
    r"(?![a-z])",
    re.IGNORECASE,
)


def _block_marks(node: Any) -> str:
    """A node's class and id words, without WordPress's ``category-…`` and ``tag-…`` classes,
    which name the article's own topics ("category-popular-culture", "tag-related-news")."""
    words = f"{node.get('class', '')} {node.get('id', '')}".split()
    return " ".join(w for w in words if not w.lower().startswith(("category-", "tag-")))


def _in_comments(el: Any) -> bool:
    """Inside a comment thread: a comment's "published" mark is the comment's, not the page's."""
    return _inside(el, _COMMENTS, 12)


#: Class or id words of a notice above the article (an archive's "This article comes from our
#: archive …", an alert): its paragraph is not the article's first.
_NOTICE = re.compile(r"notice|(?<![a-z])(?:alert|disclaimer|archive-note)(?![a-z])", re.IGNORECASE)


def _inside(el: Any, marks: re.Pattern[str], depth: int) -> bool:
    """Whether one of the element's ``depth`` nearest ancestors has class or id words that
    ``marks`` finds (`_block_marks`)."""
    for n, node in enumerate(el.iterancestors()):
        if n >= depth:
            return False
        if marks.search(_block_marks(node)):
            return True
    return False


def _in_card(el: Any, own: str = "") -> bool:
    """Inside a link, a list item or an element whose class names a card or list: another
    story's teaser. A link to the page itself or to a part of it (`_own_path` ``own``, when
    given) is no teaser: a forum's post date is its permalink, "<a class=post-date
    href=/t/topic-slug/8841/1><span data-time=…>May '20</span></a>" on /t/topic-slug/8841."""
    for depth, node in enumerate(el.iterancestors()):
        if depth >= 4:
            break
        if node.tag == "a" and own and _links_within(str(node.get("href") or ""), own):
            continue
        if node.tag in ("a", "li", "aside", "nav") or _card_class(node):
            return True
    return False


def _own_path(tree: Any) -> str:
    """The path of the page's canonical address, unquoted, in lower case and without its last
    slash ("" when it has none or its path is the site's root)."""
    href = _canonical_href(tree)
    if not href:
        return ""
    try:
        path = unquote(urlsplit(href.strip()).path)
    except ValueError:
        return ""
    return path.rstrip("/").casefold()


def _links_within(href: str, own: str) -> bool:
    """Whether a link's path is the page's own path (`_own_path`) or a post's number under it
    ("/t/topic-slug/8841/1" on "/t/topic-slug/8841"): a story under a section's path
    ("/sport/united-beat-city" on "/sport") is another page."""
    try:
        path = unquote(urlsplit(href.strip()).path).rstrip("/").casefold()
    except ValueError:
        return False
    return bool(path) and (
        path == own or (path.startswith(own) and bool(_POST_TAIL.fullmatch(path[len(own) :])))
    )


_POST_TAIL = re.compile(r"(?:/\d{1,6}){1,2}")


def _card_class(node: Any) -> bool:
    """Whether an element's class names a card or list (`_CARD`); never the page's ``<main>``
    or ``<body>``, whose layout classes ("grid_8c8b4") hold the article itself, nor an element
    holding the page's ``<h1>``: a post's own "post-card" on a social app's page is the article,
    with its headline and its time."""
    return (
        node.tag not in ("main", "body")
        and bool(_CARD.search(node.get("class") or ""))
        and node.find(".//h1") is None
    )


def _header_paragraph(el: Any) -> bool:
    """A standfirst or dek of the article's header (not of a card linking to another story):
    marked as one, or a paragraph inside the article's ``<header>`` element with its headline
    (a site whose class names are hashes, "_1z0Kv", still writes HTML's own header)."""
    marks = " ".join(el.get(a, "") for a in ("class", "id"))
    if _CARD.search(marks):
        return False
    if not _HEADER_PARAGRAPH.search(marks) and not _in_article_header(el):
        return False
    for depth, node in enumerate(el.iterancestors()):
        if depth >= 3:
            break
        if node.tag == "a" or _card_class(node):
            return False
    return True


def _in_article_header(el: Any) -> bool:
    """Inside a ``<header>`` (within three levels) that also holds the page's ``<h1>``."""
    for node in itertools.islice(el.iterancestors(), 3):
        if node.tag == "header":
            return bool(node.xpath(".//h1"))
    return False


#: A ``data-`` attribute whose name says it holds the publication date or time.
_DATA_PUBLISHED = re.compile(
    r"data-(?:pub-?date|date-?published|published|publish(?:ed)?[-_]?(?:date|at|time|on|datetime)"
    r"|publication[-_]?(?:date|time))",
    re.IGNORECASE,
)


#: A data- attribute that holds a moment, and a Unix time in seconds or milliseconds.
_DATA_MOMENT = re.compile(r"data-(?:timestamp|epoch|time|date|datetime|unix|ts)", re.IGNORECASE)
_EPOCH = re.compile(r"1\d{9}(?:\d{3})?")


def _data_published(el: Any, own: str = "") -> str:
    """The value of a ``data-`` attribute naming the publication date ("data-publish-date",
    "data-published-at", "data-pubdate") when it reads as a date and the element is no card of
    another story (a card, or an element holding a headline's link): themes put the machine
    date there and show only "Updated ..." or "3 days ago"."""
    moment = _DATA_MOMENT.fullmatch if _DATE_CLASS.search(el.get("class") or "") else None
    for key, value in el.attrib.items():
        if (
            key.startswith("data-")
            and (
                _DATA_PUBLISHED.fullmatch(key)
                # a date element's Unix time: "<span class=article__date data-timestamp=
                # 1633448400>вчера, 18:40</span>", as a theme that shows only "yesterday" keeps it
                or (moment is not None and moment(key) and _EPOCH.fullmatch(value.strip()))
            )
            and parse_date_value(value.strip()) is not None
            and not _in_card(el, own)
            and not any(len(a.text_content().split()) >= 4 for a in el.iter("a"))
        ):
            return str(value).strip()
    rdfa = el.get("content")  # Drupal's RDFa: <span property="dc:date dc:created" content=ISO>
    if rdfa and _RDFA_CREATED.search(el.get("property") or "") and not _in_card(el):
        if parse_date_value(rdfa.strip()) is not None:
            return str(rdfa).strip()
    return ""


#: RDFa properties of a node's creation (Drupal 7 marks its "Submitted by … on …" line so, its
#: machine date in ``content``; the change is ``dc:modified``).
_RDFA_CREATED = re.compile(r"(?<!\S)(?:dc|dcterms):(?:date|created|issued)(?!\S)", re.IGNORECASE)


def _published_mark(el: Any) -> bool:
    if el.get("pubdate") is not None:
        return True
    marks = " ".join(el.get(a, "") for a in ("class", "id", "itemprop"))
    return bool(_PUBLISHED_MARK.search(marks))


#: An edition's words anywhere in an element's text: archives of old papers print the issue's
#: day ("Číslo 47/2008 · vyšlo v pondelok 24. 11. 2008") in a table cell or a font tag with no
#: class to say it is a date.
_EDITION_WORDS = re.compile(rf"\b(?:{_EDITION}|{_VOLUME})(?!\w)", re.IGNORECASE)


def _forum_author_line(el: Any) -> str | None:
    """The date of a forum post's author line: phpBB 3's ``<p class="author">by <strong>Jirka_K
    </strong> » Thu Jun 03, 2010 10:14 pm</p>`` ("od", "von", "przez", "par" in its language
    packs), the text after the last "»" when it reads as a date. The first post's line comes
    before its text and dates the thread; the replies' lines come after it."""
    if "author" not in (el.get("class") or "").split() or _in_card(el):
        return None
    text = " ".join(el.text_content().split())
    if "»" not in text or len(text) > 160:
        return None
    tail = text.rsplit("»", 1)[1].strip()
    days = [p for _, p, update in date_line_values(tail) if not update] if tail else []
    return tail if any(PRECISION_RANK[p] <= PRECISION_RANK["day"] for p in days) else None


#: Simple Machines Forum's post head: "« on: February 03, 2006, 07:22:10 PM »", "« Reply #2 on:
#: … »", in its language packs ("kdy:", "am:", "le:", "en:", "dnia:", "il:", "op:", "em:").
_SMF_POST_HEAD = re.compile(
    r"«\s?(?:[^«»:#]{1,30}#\d{1,5}\s)?(?:on|kdy|am|le|en|dnia|il|op|em|в|dne|den|på|tarihinde)"
    r"\s?:\s?(?P<date>[^«»]{6,60}?)\s?»",
    re.IGNORECASE,
)


def _smf_post_head(el: Any) -> str | None:
    """The date of a Simple Machines Forum post's head (`_SMF_POST_HEAD`), the element's whole
    text, when it reads as a day. The first post's head comes before its text and dates the
    thread; SMF's header shows the time the page was served, which a bare date would take."""
    if "«" not in (el.text or "") or _in_card(el):
        return None
    text = " ".join(el.text_content().split())
    match = _SMF_POST_HEAD.fullmatch(text) if len(text) <= 100 else None
    if match is None:
        return None
    date = match.group("date").strip()
    days = [p for _, p, update in date_line_values(date) if not update]
    return date if any(PRECISION_RANK[p] <= PRECISION_RANK["day"] for p in days) else None


def _label_line(el: Any) -> str | None:
    """The element's own text, or the text right after one of its children (an icon), when it
    opens with a publication label and reads as a date line: "Birt: 3. des. 2010 kl. 14:22" in
    a ``<div class="dagsetning">``, "입력 2021.07.08." after a clock icon, "Publié le mardi 18
    février 2025 à 11:20" in a bare span, a forum's "Posted: Sat Jun 11, 2005 8:12 pm" before
    its subject. Class words cannot name a date in every language; the label can."""
    if _in_card(el) or _in_other_story(el):
        return None  # another story's teaser, or a sidebar's list
    texts = [el.text or "", *(child.tail or "" for child in el)]
    # the label set in a child of its own, the date after it: "<img> <b>Отправлено:</b>
    # 14.3.2009, 23:02" (Invision Power Board's post details), "<strong>Posted:</strong> …"
    texts += [
        f"{lead} {child.tail}"
        for child in el
        if isinstance(child.tag, str)
        and child.tail
        and child.tail.strip()
        and len(lead := " ".join(child.text_content().split())) <= 40
        and lead.endswith(":")
    ]
    # and each up to a run of non-breaking spaces: "Verfasst am: 03.11.07 &nbsp; &nbsp;Titel: …"
    texts += [cut for text in texts if (cut := _NBSP_RUN.split(text, maxsplit=1)[0]) != text]
    # a byline's parts after its author: "By Kevin Doherty, Staff Writer | Posted 04/07/2012 …"
    flat = [" ".join(text.split()) for text in texts]
    texts += [
        part
        for text in flat
        if _BY_RE_START.match(text)
        for part in _DATE_LINE_PARTS.split(text)[1:]
    ]
    for head in texts:
        # an ideographic space parts a Chinese line's fields ("发布时间：…　来源：…"): kept as a
        # separator there, and only there ("2018年11月5日　(月)" is one date)
        if "\u3000" in head and _CJK_FIELD_LABEL.search(head):
            head = head.replace("\u3000", " | ")
        head = " ".join(head.split()).strip(" |")
        label = _DATE_LINE_LABEL.match(head) if head else None
        if (
            label is not None
            and label.end() > 0
            and len(head) <= 120
            and re.search(r"[\d〇零○一二三四五六七八九]", head[label.end() : label.end() + 16])
            and not _EDITION_WORDS.match(head)  # an edition's line comes last (`_edition_line`)
            and (
                any(not update for _, _, update in date_line_values(head))
                or (_NORTH_AMERICAN_ZONE.search(head) and _numeric_read(head, day_first=False))
            )
        ):
            return head
    return None


#: Two non-breaking spaces with at most spaces between them: a forum's gap between a post's
#: date and its subject, in one text node.
_NBSP_RUN = re.compile(r"\xa0[ \xa0]{0,8}\xa0")
#: A header element's text that may be a date and nothing else: short, with a year.
_BARE_DATE = re.compile(
    r"[^\d]{0,30}\d{1,2}[^\d]{1,20}(?:19|20)\d\d[^\d]{0,4}"
    # the time, perhaps after its word: "kl. 14:12" (Icelandic, Danish, Norwegian), "klo",
    # "um", "à", "alle", "às", "at"
    r"(?:(?:kl|klo|kello|um|à|alle|ore|às|at|o)\.?\s)?"
    r"(?:\d{1,2}[:.]\d\d(?::\d\d)?\s?(?:[AaPp]\.?[Mm]\.?|Uhr|h)?)?"  # "Mar. 9th, 2004 | 10:42 pm"
    # a mail archive's (pipermail's) message time, the C library's: "Tue Apr 22 09:12:44 PDT
    # 2003"
    r"|[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?: [A-Z]{2,5})? (?:19|20)\d\d"
)


#: A label that makes the date after it an event's, not the page's: a match's kick-off, a
#: show's start or doors, a deadline ("Anpfiff: <time>…", "Kick-off: …", "Einlass: …").
_EVENT_LABEL = re.compile(
    r"(?<![\w-])(?:kick-?off|anpfiff|ansto(?:ß|ss)|spielbeginn|beginn|einlass|start(?:s|zeit|time)?"
    r"|doors(?: open)?|coup d'envoi|calcio d'inizio|saque inicial|pontapé inicial|when|wann"
    r"|termin|veranstaltungsdatum|event date|date of (?:the )?event|deadline|frist"
    r"|anmeldeschluss|bewerbungsschluss|ends?|endet|until|bis)\s?:?\s{0,3}\Z",
    re.IGNORECASE,
)


def _event_time(el: Any) -> bool:
    """Whether the text right before the element labels it an event's time (`_EVENT_LABEL`)."""
    before, parent = el.getprevious(), el.getparent()
    if parent is None:
        return False
    lead = ((before.tail if before is not None else parent.text) or "")[-40:]
    return _EVENT_LABEL.search(lead) is not None


def _date_only(el: Any, headline: bool = False) -> str | None:
    """The text of an unmarked header element that is a whole date and nothing else, to the
    day: an old table layout's ``<font><i>Lunedì 18 novembre 2002</i></font>`` above the
    headline, a forum post's ``<a name=post><img></a> 08-10-2006, 13:12`` after its icon (a
    numeric date that only the page's other dates settle, `_numeric_in_page_order`), or under the
    page's ``<h1>`` a place and a date (`_placed`: "Kraków, 8 IV 2009 · autor: …"). Not inside
    a link, list item, nav or card (another story's teaser); read after every marked date line."""
    text = el.text or ""
    if len(el):  # only icons and empty anchors beside the date, or the entry's time as its link
        if len(el) > 3 or any(
            isinstance(child.tag, str)
            and any(t.strip() for t in child.itertext())
            and not _linked_time(child)
            for child in el
        ):
            return None
        text += " ".join(
            (child.text_content() if _linked_time(child) else "") + (child.tail or "")
            for child in el
        )
    text = _POST_NUMBER.sub("", text.strip())  # a forum post's "04-30-2006, 07:58 AM  #1"
    text = _POST_HEAD_NUMBER.sub("", text)  # or "#1   ۱۳۹۱/۱۰/۲۰، ۲۱:۳۴" (vBulletin's post head)
    text = _ISSUE_LEAD.sub("", text)  # a newsletter's "Volume 14, Number 11<br>Sunday, …"
    if len(text) <= 160:  # an old header's "středa 21. října 2009, 14:05 | Autor: Petr …"
        text = _without_byline(text).strip()
    if not text or len(text) > 60:
        return None
    numeric = _NUMERIC_ONLY.fullmatch(text)
    solar = solar_hijri_date(text) is not None  # "۱۳۹۱/۱۰/۲۰، ۲۱:۳۴": no Gregorian reading
    if not (numeric or solar) and (not _BARE_DATE.fullmatch(text) or kicker_led(text)):
        return None  # "Born · 12 March 1950" in an infobox is no header's date
    if _in_card(el):
        return None
    before, parent = el.getprevious(), el.getparent()
    lead = ((before.tail if before is not None else parent.text) or "").strip()
    if lead and _UPDATED_LABEL.match(lead):
        return None  # "Updated <span>Thu, 20 January 2022 11:40AM</span>": the update's date
    for depth, node in enumerate([el, *el.iterancestors()]):
        if depth > 3:
            break
        if _current_day(" ".join(node.get(a, "") for a in ("class", "id"))):
            return None  # the masthead's "today" in a plain span
    if numeric and not any(not update for _, _, update in date_line_values(text)):
        return " ".join(text.split())  # 05-04-2021: settled by the page's order, or not at all
    if _published_day(text):
        return " ".join(text.split())
    placed = _placed(text) if headline else text  # "Kraków, 8 IV 2009" under the <h1>
    return " ".join(placed.split()) if placed != text and _published_day(placed) else None


#: A clock time alone: a blog entry's permalink written as its time ("Jan. 23rd, 2005 |
#: <a href=…/48213.html>11:42 pm</a>", LiveJournal's entry header).
_CLOCK_ALONE = re.compile(r"\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?:[ap]\.?\s?m\.?)?", re.IGNORECASE)


def _linked_time(child: Any) -> bool:
    return child.tag == "a" and bool(_CLOCK_ALONE.fullmatch(child.text_content().strip()))


#: A newsletter's or a small paper's issue before its date: "Volume 14, Number 11", "Vol. 3, No.
#: 12", "Issue 45".
_ISSUE_LEAD = re.compile(
    r"^(?:vol(?:ume)?\.?\s?\d{1,4},?\s+(?:no\.?|number|issue|nr\.?)\s?\d{1,5}"
    r"|issue\s+(?:no\.?\s?)?\d{1,5})[\s,;:·|-]*",
    re.IGNORECASE,
)
#: A forum post's number after its date: "04-30-2006, 07:58 AM &nbsp; #1" (vBulletin).
_POST_NUMBER = re.compile(r"[\s\xa0]{1,8}#\d{1,7}$")
#: A numeric date and nothing else, with its time: "08-10-2006, 13:12", "5.4.2021 14:05",
#: "03-06-2007, 02:22 PM".
_NUMERIC_ONLY = re.compile(
    r"\d{1,2}([./-])\d{1,2}\1(?:19|20)\d\d"
    r"(?:,?\s{1,3}\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)?"
    # a German forum's post head, the year in two digits and the time after it: "12.03.09,
    # 14:22" (vBulletin's de pack)
    r"|\d{1,2}\.\d{1,2}\.\d\d,\s{1,3}\d{1,2}:\d{2}"
)


def _badge_date(el: Any) -> str | None:
    """A calendar badge's date, written across two to four child elements with nothing else in
    them (``<span>12</span><span>Mär</span><span>2019</span>``, a blog theme's corner badge): the
    children's texts joined, when they read as a day."""
    parts = _badge_parts(el)
    if parts is None:
        return None
    text = " ".join(parts)
    if not re.search(r"(?:19|20)\d\d", text) or _in_card(el):
        return None
    return text if _published_day(text) else None


def _badge_parts(el: Any) -> list[str] | None:
    """The texts of a calendar badge's two to four children, with nothing else in the element
    (``<span>12</span><span>Mär</span><span>2019</span>``); None for any other element."""
    if not 2 <= len(el) <= 4 or (el.text or "").strip():
        return None
    parts = []
    for child in el:
        if not isinstance(child.tag, str) or len(child) or child.tag == "a":
            return None
        if (child.tail or "").strip(" /\n\t"):
            return None
        part = (child.text or "").strip()
        if not part or len(part) > 12:
            return None
        parts.append(part)
    return parts


def badge_day(html: str, month: str) -> DateFinding | None:
    """The day of a date shown without a year, in a calendar badge (``<span>12</span><span>Mar
    </span>``, a blog theme's corner badge) or a date header (``<h2 class="date-header">Thursday
    the 17th of November</h2>``, Movable Type and Blogger), when the page's address gives its
    year and month ("/2015/03/") and the date names that month: the address alone dates the
    post to the month, and the date alone has no year. Only the page's one such day outside
    cards, other stories' lists and comments counts: a page that shows several is a list of
    posts."""
    if not re.fullmatch(r"(?:19|20)\d\d-\d\d", month):
        return None
    tree = _parsed(html[:2_000_000])
    if tree is None:
        return None
    days: set[str] = set()
    for el in tree.iter("div", "span", "p", "time", "a", "li", "h2", "h3", "h4"):
        parts = _badge_parts(el)
        if parts is None and not len(el) and _DATE_CLASS.search(el.get("class") or ""):
            # a blog's date header: "<h2 class="date-header">Thursday the 17th of November</h2>"
            text = " ".join((el.text or "").split())
            parts = [text] if 0 < len(text) <= 40 else None
        if parts is None or re.search(r"(?:19|20)\d\d", " ".join(parts)):
            continue
        if not any(DAY_NUMBER.search(part) for part in parts):
            continue
        if _in_card(el) or _in_other_story(el) or _in_comments(el):
            continue
        text = f"{' '.join(parts)} {month[:4]}"
        for value, precision, update in date_line_values(text):
            if not update and precision == "day" and value[:7] == month:
                days.add(value[:10])
                break
    if len(days) != 1:
        return None
    day = days.pop()
    return DateFinding(day, "day", "date-line", f"badge {day[8:]} in the address's month {month}")


def _published_day(text: str) -> bool:
    """Whether a date line's first published value is a day or finer (not a month or year)."""
    values = [v for v in date_line_values(text) if not v[2]]
    return bool(values) and PRECISION_RANK[values[0][1]] <= PRECISION_RANK["day"]


def _short_text(el: Any, limit: int = 120) -> str | None:
    """The element's text, spaces folded, when it is at most ``limit`` characters (read lazily:
    a container's text is never joined whole)."""
    parts, size = [], 0
    for piece in el.itertext():
        size += len(piece)
        if size > 2 * limit:
            return None
        parts.append(piece)
    text = " ".join("".join(parts).split())
    return text if text and len(text) <= limit else None


def _edition_line(el: Any) -> str | None:
    """The element's text when it is short and names an edition in its own text or the text
    right after one of its children (`<td><b>Číslo 47/2008</b> · vyšlo v …</td>`). Only those
    elements are read further, and lazily: the page's containers are never joined whole."""
    if not _EDITION_WORDS.search(el.text or "") and not any(
        _EDITION_WORDS.search(child.tail or "") for child in el
    ):
        return None
    text = _short_text(el)
    return text if text and _EDITION_WORDS.search(text) else None


def _update_label_before(el: Any) -> str | None:
    """An update's label set just before a date element, in its own element or as text ("<span
    class=etiqueta>ACTUALIZADO</span> <span class=fecha-grande>…</span>"): the date is the
    update's, which the element alone does not say. A separator ("ACTUALIZADO | …", or in its
    own element), up to three empty icons, or an inline wrapper of the date (two levels) may
    stand between them; across a wrapper the label is an inline element's (a block beside the
    date's block is another field of the page)."""
    text = ""
    climbed = False
    for _ in range(3):
        before = el.getprevious()
        for _ in range(LABEL_GAP_ELEMENTS):
            if before is None or (before.tail or "").strip(_LABEL_GAP):
                break
            if isinstance(before.tag, str) and " ".join(before.text_content().split()).strip(
                _LABEL_GAP
            ):
                break  # an element with text: the label, or not
            before = before.getprevious()  # an empty icon, a comment, a separator's element
        if before is not None:
            text = (before.tail or "").strip(_LABEL_GAP)
            if not text and (not climbed or before.tag in _INLINE_LABELS):
                text = " ".join(before.text_content().split())
            break
        parent = el.getparent()
        text = (parent.text or "").strip(_LABEL_GAP) if parent is not None else ""
        if text or parent is None or parent.tag not in _INLINE_LABELS | {"div"}:
            break
        el, climbed = parent, True  # the date's wrapper: "<span class=label>Actualizado:</span>
        # <span class=value><span class=fecha>…"
    text = text.strip(_LABEL_GAP)
    if not text or len(text) > 40:
        return None
    return text if _UPDATED_LABEL.fullmatch(text) else None


#: How many empty elements (icons, separators) may stand between a label and its date.
LABEL_GAP_ELEMENTS = 3
#: Elements that hold a label beside a date's wrapper.
_INLINE_LABELS = frozenset({"span", "strong", "b", "em", "i", "label", "small", "dt", "time"})
#: What may stand between an update's label and its date.
_LABEL_GAP = " \n\t:·|-–—"


def html_header_lines(html: str) -> list[str]:
    """Short texts of the date elements in a page's header, before the first body paragraph,
    then those of elements marked as the publication date anywhere in the page.

    trafilatura keeps the body and drops the header's "Published on 11 July 2024", and the date
    stage reads the page's ``<meta>`` only (`html_meta_date`). Unmarked elements after the first
    paragraph of a dozen words are left out: those are sidebars and "related" lists that date
    *other* articles; an element marked ``itemprop="datePublished"``, ``pubdate`` or with a class
    naming the publication (`_PUBLISHED_MARK`) still counts there. A ``<time datetime=...>``
    contributes its attribute (the more precise) and its visible text; the text goes first when
    the attribute is a UTC time on another day: the visible day is the page's local one, the
    attribute the same moment in UTC (``<time datetime="2021-11-30T23:05Z">1 December``).
    Dates above the site's navigation, when that navigation comes before the headline, are left
    out whatever their class: a top bar's "Thursday, December 4, 2025" is the day the page was
    served, and no article states its date above the site's menu. An old paper's edition line
    in the header, unmarked ("Edición del martes 9 de setiembre de 2003 · Año XIV"), comes last.
    """
    tree = _parsed(html[:2_000_000])
    if tree is None:
        return []
    lines: list[str] = []
    footer_labels: list[str] = []  # "公開日：令和3年5月7日", "Published: 12 May 2021" after it
    editions: list[str] = []  # an old paper's issue line, last: an e-paper teaser may say it
    bare: list[str] = []  # an unmarked element that is only a date ("<i>Lunedì 18 novembre 2002")
    in_header = True
    asked: list[str] = []  # a Q&A page's signatures of its question ("asked …")
    top_bar = set(_above_site_menu(tree))  # the day the page was served
    headline = False  # the page's <h1> has passed: a masthead's "Place, today" is above it
    forum_post = False  # a forum's first post's date, read after the header
    has_published: bool | None = None  # asked at the first dateCreated element only
    canonical = _own_address(tree)
    own_path = _own_path(tree)
    has_h1 = tree.find(".//h1") is not None
    for el in tree.iter():
        if not isinstance(el.tag, str) or el in top_bar:
            continue
        headline = headline or el.tag == "h1"
        if (
            in_header
            and el.tag == "p"
            and _paragraph_of_body(el.text_content())
            and not _header_paragraph(el)
            and not (has_h1 and not headline and _other_post(el, canonical))
            and not _links_paragraph(el)
            and not _inside(el, _CONSENT, 4)
            and not _inside(el, _NOTICE, 2)
        ):
            in_header = False  # the body begins (a standfirst above the byline does not)
        if not in_header and not forum_post:
            # a forum's first post under the board's rules (a paragraph that ended the header):
            # its author line or head dates the thread, the replies' come after it
            post = _forum_author_line(el) or _smf_post_head(el)
            if post:
                lines.append(post)
                forum_post = True
                continue
        labelled = _labelled_value(el)
        if labelled:  # "<dt>Published:</dt><dd>05/04/2021</dd>", anywhere on the page
            lines.append(labelled)
            continue
        question = _asked_value(el)
        if question:
            asked.append(question)
            continue
        # <div data-publish-date="2016-11-08T09:40+05:00">, a post's permalink's data-time
        data_date = _data_published(el, own_path)
        if in_header:
            marks = " ".join(el.get(a, "") for a in ("class", "id", "itemprop"))
            if el.tag != "time" and not _DATE_CLASS.search(marks) and not data_date:
                if _current_day(marks) and not _PUBLICATION_LABEL.match(el.text_content().strip()):
                    continue  # a top bar's "<span class=today>วันพุธที่ 18 มิถุนายน 2568"
                own = (
                    _label_line(el)
                    or _badge_date(el)
                    or _forum_author_line(el)
                    or _smf_post_head(el)
                )
                if own:
                    lines.append(own)
                    if len(lines) >= MAX_HEADER_LINES:
                        break
                    continue
                edition = _edition_line(el)  # an archive's unmarked "Edición del ..." line
                if edition and edition not in editions:
                    editions.append(edition)
                elif (only := _date_only(el, headline)) and only not in bare:
                    bare.append(only)
                continue
            if _current_day(marks):
                continue  # the masthead's "today": the day the page was served
        elif not (data_date or _published_mark(el)) or _in_comments(el):
            label = _ARABIC_MARKS.sub("", el.text or "").lstrip()  # "نُشر في:" is "نشر في:"
            if label and _PUBLICATION_LABEL.match(label) and not _in_card(el):
                footer_labels.append(" ".join(el.text_content().split())[:120])
            continue
        if _in_other_story(el) or _listed_item(el):
            continue  # a related carousel's "<time class=published>" dates that story
        if has_h1 and not headline and _other_post(el, canonical):
            continue  # a sticky post's date above the page's own
        if (el.get("itemprop") or "").casefold() == "datecreated":
            if has_published is None:
                has_published = bool(tree.xpath('//*[@itemprop="datePublished"]'))
            if has_published:
                continue  # Joomla's "Created: 28 May 2014" beside its "Published: 29 May 2014"
        if _event_time(el):
            continue  # "Anpfiff: <time>Samstag, 18. Mai 2024</time>": the match's day
        parts = [" ".join(part.split()) for part in el.text_content().split(LINE_BREAK)]
        # (not before an element marked as the publication: "<span class=updated>Updated</span>
        # <span class=published>3 July 2018</span>")
        update_label = None if _published_mark(el) else _update_label_before(el)
        if update_label:  # "<span>ACTUALIZADO</span> <span class=fecha>lunes 9 de julio …</span>"
            parts = [f"{update_label} {part}" for part in parts if part]
        # a byline's lines apart ("di Giulia Benassi<br>Pubblicato il 3 febbraio 2025"): each
        # is read as a line of its own, as the reader sees it
        shown = [part for part in parts if part and len(part) <= 120]
        if _BYLINE_MARK.search(f"{el.get('class', '')} {el.get('id', '')}"):
            shown = [_without_author(part) for part in shown]
        if headline and in_header:  # "Leipzig, 17. März 2009" under a migrated archive's <h1>
            shown = [_placed(part) for part in shown]
        content = shown[0] if len(shown) == 1 else ""
        attribute = (el.get("datetime") if el.tag == "time" else None) or ""
        if not attribute and el.tag == "abbr":
            attribute = el.get("title") or ""  # hAtom: <abbr class="published" title="ISO">
        if not attribute and not in_header:
            attribute = el.get("content") or ""  # <meta itemprop=datePublished> in the body
        attribute = (attribute or data_date).strip()
        if attribute and update_label:  # "<span>Actualizado</span> <time datetime=…>"
            attribute = f"{update_label} {attribute}"
        if attribute and content and _utc_other_day(attribute, content):
            lines += [content, attribute]  # the page's local day first (see choose_date)
        elif len(shown) > 1:
            lines += [line for line in (attribute, *shown) if line]
        else:
            lines += [line for line in (attribute, content) if line]
        if len(lines) >= MAX_HEADER_LINES:
            break
    # A labelled publication date after the body, when the page has exactly one: the page's own
    # (a municipal page's foot "公開日：令和3年5月7日"); several are other stories' cards.
    if len(set(footer_labels)) == 1 and len(lines) < MAX_HEADER_LINES:
        lines.append(footer_labels[0])
    # The question's signature, when the page has one question: a list of questions is no
    # question's page.
    if len(set(asked)) == 1 and len(lines) < MAX_HEADER_LINES:
        lines.append(asked[0])
    # Unmarked lines after every marked one: a bare date, then an edition line (a header's
    # e-paper teaser, "Ausgabe vom 14.05.2025", dates the paper of the day, not the article).
    lines += bare[: max(0, MAX_HEADER_LINES - len(lines))]
    return lines + editions[: max(0, MAX_HEADER_LINES - len(lines))]


#: A Q&A page's signature of the question, the word alone before its time: "asked <span
#: title="2014-06-03 17:21:09Z" class="relativetime">Jun 3 '14 at 17:21</span>".
_ASKED = re.compile(r"asked|gefragt|demandé|preguntado|perguntado", re.IGNORECASE)


def _asked_value(el: Any) -> str:
    """The moment a Q&A page's question was asked, from its signature: the element's own text is
    the word "asked" and its first child's ``title`` holds the full time. The signature follows
    the question's text, inside the post's own grid cells, so neither the header reader nor
    the card test applies; the visible form (``Jun 3 '14``) has a two-digit year. Answers sign
    "answered", edits "edited"; a page that signs several questions lists them
    (`html_header_lines` then takes none)."""
    if not _ASKED.fullmatch((el.text or "").strip()) or not len(el):
        return ""
    child = el[0]
    title = (child.get("title") or "").strip() if isinstance(child.tag, str) else ""
    if not title or parse_date_value(title) is None or _in_other_story(el):
        return ""
    return title


#: A label cell naming the publication: "Published:", "Date of publication", "Publié le".
_LABEL_CELL = re.compile(_PUBLICATION_WORDS + r"\s*[:：]?", re.IGNORECASE)


def _labelled_value(el: Any) -> str:
    """For a label cell (``<dt>``, ``<th>``) that names the publication, "Published: <value>"
    with the text of the cell after it (``<dd>``, ``<td>``); "" for any other element. Document
    and report pages give their dates this way, in a details box anywhere on the page."""
    if el.tag not in ("dt", "th"):
        return ""
    label = " ".join(el.text_content().split())
    if not label or len(label) > 40 or not _LABEL_CELL.fullmatch(label):
        return ""
    value = el.getnext()
    if value is None or value.tag not in ("dd", "td"):
        return ""
    text = " ".join(value.text_content().split())
    if not text or len(text) > 80:
        return ""
    # a traditional-character label is kept: it says a short year is a Minguo year (`_minguo`)
    return f"{label} {text}" if _ROC_LABEL.search(label) else f"Published: {text}"


#: Class or id words of the masthead's date, which is the day the page was served or saved
#: ("Saturday, 5 December 2026" above every article of the site), never the publication.
_CURRENT_DAY = frozenset(
    {"today", "todays", "masthead", "clock", "now", "current", "currentdate"}
    # "today" in the languages of the news we read: `<div id="fecha_hoy">`, `datum-heute`
    | {"hoy", "heute", "aujourdhui", "oggi", "hoje", "vandaag", "idag", "dzis", "dnes", "bugun"}
)


#: The same words written as one with the date: the header's or top bar's date ("headerdate",
#: "header-date", "top-date", "datetoday"); never "date-header", Blogger's post date.
_CURRENT_DATE_WORDS = frozenset(
    {"headerdate", "topdate", "topbardate", "datetoday", "todaydate", "todaysdate", "sitedate"}
)


def _current_day(marks: str) -> bool:
    """A class or id word one of whose parts (split at "-" and "_") marks the current day."""
    if _PUBLISHED_MARK.search(marks):
        return False
    return any(
        part.casefold() in _CURRENT_DAY
        or _WORD_PARTS.sub("", word).casefold() in _CURRENT_DATE_WORDS
        for word in marks.split()
        for part in (word, *_WORD_PARTS.split(word))
    )


def _utc_other_day(attribute: str, content: str) -> bool:
    stamp, shown = parse_date_value(attribute), _date_line_value(content)
    if stamp is None or shown is None or stamp[1] != "datetime":
        return False
    return stamp[0].endswith("+00:00") and shown[0][:10] != stamp[0][:10]


# "publishedAt": "2022-08-09T10:00:00+02:00" in a page's own scripts (app state, data layers).
_SCRIPT_DATE = re.compile(
    r"""["']?(?P<key>datePublished|publishDate|publishedDate|publishedAt|published_at"""
    r"""|publicationDate|publication_date|pubDate|pub_date|date_published|firstPublished"""
    r"""|first_published_at|firstPublishedAt|firstPublishedDate|publishedTime|published_time"""
    r"""|releaseDate"""
    # a news app's state: "publishTime":1584331200, "publish_time", "pubTime"
    r"""|publishTime|publish_time|pubTime|pub_time"""
    # data layers' page keys: Tealium's "page_publish_date", "article_publish_date", ...
    r"""|(?<![\w])[a-z]{1,12}(?:_[a-z]{1,12}){0,2}_(?:publish(?:ed)?_(?:date|time)|pub_date))"""
    r"""["']?\s*[:=]\s*"""
    r"""(?:["'](?P<value>[0-9][0-9T:.+\-Z ]{7,34})["']"""
    # or the moment as a Unix time, in seconds or milliseconds ("firstPublished":1511638800000)
    r"""|(?P<epoch>1\d{9}(?:\d{3})?)(?![\d.]))""",
)
#: Words of a data-layer key that names another moment than the first publication
#: ("page_last_published_date", "next_publish_time", "unpublish_date").
_NOT_FIRST = re.compile(r"(?:^|_)(?:last|next|un|modified|updated|scheduled|expir\w*)_")


def html_script_date(html: str) -> DateFinding | None:
    """A publication date in the page's scripts other than JSON-LD (read by `html_meta_date`):
    app state and data layers (``window.__STATE__ = {"publishedAt": "..."}``) that many sites
    ship instead of metadata. Only keys that name the publication and ISO-like values count."""
    tree = _parsed(html[:2_000_000])
    if tree is None:
        return None
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() == "application/ld+json" or not el.text:
            continue
        for match in _SCRIPT_DATE.finditer(el.text[:200_000]):
            if _NOT_FIRST.search(match.group("key")):
                continue
            epoch = match.group("epoch")
            if epoch and (moment := parse_date_value(epoch)) is not None:  # read as UTC
                evidence = f"script {match.group('key')}: {epoch}"
                return DateFinding(moment[0], moment[1], "html-script", evidence, utc=True)
            value = match.group("value").strip()
            compact = _URL_COMPACT.fullmatch(value)  # "20130917", as data layers keep a day
            if compact is not None:
                value = "-".join(compact.groups())
            parsed = parse_date_value(value)
            if parsed is not None:
                evidence = f"script {match.group('key')}: {match.group('value')}"
                return DateFinding(parsed[0], parsed[1], "html-script", evidence)
    return None


def htmldate_date(html: str) -> DateFinding | None:
    """htmldate's own answer with its whole search (``extensive_search=True``,
    ``original_date=True``), for a page none of storyline's sources dates to the day.

    It reads what storyline does not (a date in any element's text, image names, free text) and
    its benchmark's best setting is this one; but it also answers from a bare year (``© 2021``
    becomes 1 January) and from a sidebar's dates, so it ranks below every source that says
    where its date stands, it reads the page without its sidebars, "related" lists and
    navigation (`_OTHER_ARTICLES`), without reader comments and update marks, in the markup or
    the metadata (`_not_published`, `_is_update_mark`), and a day the page never writes is
    refused (`_written`).
    """
    from htmldate import find_date as htmldate_find_date
    from lxml import etree

    tree = _parsed(html[:2_000_000])
    if tree is None or _describes_a_thing(tree):
        return None
    from copy import deepcopy

    page = deepcopy(tree)
    whole = len(page.text_content())
    for el in _above_site_menu(page):  # before the navigation itself is dropped below
        el.drop_tree()
    for el in page.xpath("//meta"):
        if _is_update_mark(el) and el.getparent() is not None:
            el.drop_tree()
    titles = _page_titles(page)
    for el in page.xpath('//script[@type="application/ld+json"]'):
        if el.text:
            text = _jsonld_own_dates(el.text, titles) or el.text
            el.text = _JSONLD_UPDATE_KEY.sub('"_not_published": ""', text)
    teasers = _teaser_dates(html)  # other stories' dates beside their linked titles
    if teasers:
        for el in page.iter(*_DATE_TEXT_TAGS):
            if el.text and not len(el) and " ".join(el.text.split()) in teasers:
                el.text = ""
                if el.get("datetime"):
                    el.attrib.pop("datetime")
    for el in page.iter():  # a forum's clock: "It is currently Fri Dec 03, 2021 8:45 am"
        if isinstance(el.tag, str) and el.text and _forum_clock(el.text):
            el.text = ""
        elif isinstance(el.tag, str) and el.text and _REVIEW_LINE.match(el.text.strip()):
            el.text = ""  # "Page last reviewed: 12 March 2024 · Next review due: March 2025"
        if el.tail and _forum_clock(el.tail):
            el.tail = ""
    # an asset's build stamp: "navigation.js?ver=20140813" (the canonical link keeps its query)
    for el in page.xpath("//script[@src]|//link[@href]"):
        name = "src" if el.tag == "script" else "href"
        rel = (el.get("rel") or "").casefold()
        if el.tag == "link" and not any(w in rel for w in ("stylesheet", "preload", "icon")):
            continue
        if "?" in el.get(name, ""):
            el.set(name, el.get(name, "").split("?", 1)[0])
    shown = len("".join(page.xpath("//body//text()[not(ancestor::script or ancestor::style)]")))
    for el in page.xpath("//table"):  # a schedule or a log: each row's date is its own
        if el.getparent() is None or len(el.text_content()) * 2 >= shown:
            continue  # gone with an outer table, or a table that lays out the whole page
        if _dated_rows(el) >= _SCHEDULE_ROWS:
            el.drop_tree()
    for el in page.xpath("//aside|//nav|//*[@class or @id]"):
        if el.getparent() is None or el.tag == "body":
            continue
        marks = " ".join(el.get(a, "") for a in ("class", "id"))
        if _BREADCRUMB.search(f"{marks} {el.get('aria-label', '')}"):
            continue  # the page's own trail: an archive's ".../2013/03/15/" is its day
        if (
            el.tag in ("aside", "nav")
            or _OTHER_ARTICLES.search(marks)
            or _OTHER_STORIES.search(marks)
            or _not_published(marks)
            or (_current_day(marks) and len(el.text_content()) <= 80)
            or _aside_word(marks)
        ):
            # A wrapper named "with-sidebar" that holds most of the page is the page.
            if len(el.text_content()) * 2 < whole:
                el.drop_tree()
    try:
        found = htmldate_find_date(
            page, extensive_search=True, original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # htmldate failing on one page dates nothing, it fails no article
        return None
    if not found:
        return None
    code = []  # the scripts' text: a day written only there must stand under a date's key
    for el in page.iter("script", "style"):
        if (el.get("type") or "").strip().casefold() != "application/ld+json" and el.text:
            code.append(el.text)
            el.text = ""
    if not _written(etree.tostring(page, encoding="unicode"), found) and not _keyed_in_code(
        "\n".join(code), found
    ):
        return None
    return DateFinding(found, "day", "htmldate", "htmldate extensive search")


#: A public page's review line, which dates the page's last check, never its publication.
_REVIEW_LINE = re.compile(r"(?:page\s+)?last\s+reviewed\b|next\s+review\s+due\b", re.I)


#: A forum's clock above its threads, the time the page was served (phpBB's "It is currently",
#: in its translations), never a post's date.
_FORUM_CLOCK = re.compile(
    r"(?:It is currently|Aktuelle Zeit|Nous sommes le|Het is momenteel|Teraz jest|Oggi è"
    r"|Fecha actual|Data atual|Текущее время|Nu är det|Klokken er nå|Nyní je)\b",
    re.IGNORECASE,
)


def _forum_clock(text: str) -> bool:
    """A short text that opens with a forum's clock label and holds a time ("It is currently
    Fri Dec 03, 2021 8:45 am"), not a sentence that opens with the same words."""
    text = text.strip()
    return len(text) <= 60 and bool(_FORUM_CLOCK.match(text)) and bool(_HAS_TIME.search(text))


#: Rows of a table, each with a date of its own, that make it a schedule (services, events) or a
#: log (test results), whose dates are not the page's.
_SCHEDULE_ROWS = 3
_ROW_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}[./]\s?\d{1,2}[./]\s?(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d"
    r"|\d{1,2}\.?\s+[^\W\d]{3,12}\.?,?\s+(?:19|20)\d\d|[^\W\d]{3,12}\.?\s+\d{1,2},?\s+(?:19|20)\d\d)"
    r"(?!\d)"
)


def _dated_rows(table: Any) -> int:
    """How many of a table's own rows (not a nested table's) write a whole date."""
    return sum(
        1
        for row in table.iter("tr")
        if next(row.iterancestors("table"), None) is table
        and _row_date(" ".join(row.itertext())[:300])
    )


def _row_date(text: str) -> bool:
    """Whether a row's text writes a whole date ("Freitag, 24.12.2021", "2 July 2024"), not a
    count beside a year ("3 results 2021")."""
    found = _ROW_DATE.search(text)
    if found is None:
        return False
    parsed = parse_date_value(found.group(0))
    return parsed is not None and PRECISION_RANK[parsed[1]] <= PRECISION_RANK["day"]


#: Ends of the schema.org type names of things that are not writings: an event (an
#: ``ExhibitionEvent``), a business (an ``HVACBusiness``), a shop, a product, a place.
_THING_ENDS = ("event", "business", "store", "restaurant", "product", "place", "museum",
               "attraction", "residence", "accommodation", "offer")  # fmt: skip
#: Ends of the type names of writings, which have a publication date.
_WRITING_ENDS = ("article", "posting", "report", "blog", "creativework", "page")


#: Top-level JSON-LD types of a page that is no writing of its own: a list of other pages (a
#: tag, category or topic archive: Yoast's ``CollectionPage``), a person's or the outlet's page,
#: a contact or search page, a shop's product. Their dates are the listed items', the reviews'
#: or the offer's.
_NOT_A_WRITING = frozenset(
    {"collectionpage", "profilepage", "aboutpage", "contactpage", "searchresultspage", "product"}
)
#: Ends of the type names of writings that date a page whatever else it declares (a product
#: review is a writing; a product with reviews nested in it is not).
_WRITING_KINDS = ("article", "posting", "report", "blog", "review")
#: A metadata field that names the page's own publication: a page with one is a writing.
_PUBLISHED_META = re.compile(
    r"<meta\b[^>]{0,100}?(?:property|name|itemprop)=[\"']?(?:article:published_time"
    r"|datePublished)[\"']?",
    re.IGNORECASE,
)
#: A page whose own address (canonical or ``og:url``) is a tag's, a category's or a label's
#: listing: the path ends at the listing's name (``/tag/nagoya-castle/``, Blogger's
#: ``/search/label/Travel``, ``/category/news/page/2/``); a story filed under a category has its
#: own name after it. Not "topic": a forum's thread is a topic (``/topic/8812-waiting-list…``).
_LISTING_PATH = re.compile(
    r"https?://[^/\"'\s]{1,100}(?:/[\w.-]{1,40}){0,3}"
    r"/(?:tags?|category|categories|labels?|search/label|etiquetas?|categor[ií]as?|categorie"
    r"|kategorien?|kategoria|schlagworte?|tagi|trefwoord|etiket(?:ler)?)"
    # the listing's name: no file's extension, no story's number ("/category/budget-12345"; a
    # year is a tag's: "/tag/election-2024/")
    r"/(?!(?:[^/?#\s]{0,80}-\d{5,}|[^/?#\s]{0,80}\.\w{2,5})/?(?:[?#]|\Z))[^/?#\s]{1,80}/?"
    r"(?:page/\d{1,4}/?)?(?:\?page=\d{1,4})?"
    # a section's later page: "/gorod/page/2/" (DataLife Engine, WordPress), after section
    # names of two words at most (a story's own "/2020/05/harbour-fees/page/2/" is no listing)
    r"|https?://[^/\"'\s]{1,100}(?:/[^\W\d_]{2,20}(?:-[^\W\d_]{2,20})?){0,2}"
    r"/page/(?:[2-9]|\d{2,4})/?"
    # a forum's board, first under the site: "/forum/transport-traffic/", XenForo's
    # "/forums/general.4/" (a paper's "/opinion/forum/<letter>" is a story)
    r"|https?://[^/\"'\s]{1,100}/forums?/[^/?#\s]{1,60}/?",
    re.IGNORECASE,
)
#: The page's own address in its head: ``<link rel=canonical href=…>`` or ``<meta
#: property=og:url content=…>``, the attributes in either order, quoted or not.
_OWN_ADDRESS_TAG = re.compile(r"<(?:link|meta)\b[^>]{0,300}>", re.IGNORECASE)
_OWN_ADDRESS_KIND = re.compile(r"\b(?:rel=[\"']?canonical\b|property=[\"']?og:url\b)", re.I)
_OWN_ADDRESS_VALUE = re.compile(
    r"\b(?:href|content)=(?:\"([^\"]{1,300})\"|'([^']{1,300})'|([^\s>]{1,300}))"
)
#: JSON-LD types a listing's page carries for the whole site, which say nothing of the page.
_SITE_WIDE_KINDS = frozenset(
    {
        "website",
        "organization",
        "newsmediaorganization",
        "breadcrumblist",
        "collectionpage",
        "webpage",
        "searchaction",
        "imageobject",
        "sitenavigationelement",
        "itemlist",
    }
)


def _listing_address(html: str) -> bool:
    """Whether the page's own address (`_OWN_ADDRESS_TAG`) is a tag's, category's or label's
    listing (`_LISTING_PATH`)."""
    for tag in _OWN_ADDRESS_TAG.finditer(html[:100_000]):
        if not _OWN_ADDRESS_KIND.search(tag.group()):
            continue
        value = _OWN_ADDRESS_VALUE.search(tag.group())
        if value and _LISTING_PATH.fullmatch(next(v for v in value.groups() if v)):
            return True
    return False


#: ``og:type`` values of pages that are no writing: a shop's product, a person's profile.
_NOT_A_WRITING_OG = re.compile(
    r"<meta\b[^>]{0,100}?property=[\"']og:type[\"'][^>]{0,60}?content=[\"']"
    r"(?:product|profile|books\.author|business\.business)[\"']",
    re.IGNORECASE,
)


def _top_level_kinds(tree: Any) -> list[str]:
    """The casefolded ``@type`` names of the page's top-level JSON-LD things (those of a
    top-level ``@graph`` included)."""
    import json

    kinds: list[str] = []
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().casefold() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except (ValueError, RecursionError):
            continue
        tops = data if isinstance(data, list) else [data]
        for top in list(tops):
            if isinstance(top, dict) and isinstance(top.get("@graph"), list):
                tops.extend(top["@graph"])
        for top in tops:
            if isinstance(top, dict):
                found = top.get("@type")
                named = found if isinstance(found, list) else [found]
                kinds += [str(k).casefold() for k in named]
    return kinds


def not_a_writing(html: str) -> bool:
    """Whether the page says it is no writing of its own (`_NOT_A_WRITING`: a tag archive, an
    author's or the outlet's about page, a product) and declares no article, post, report or
    review, nor a publication time in its metadata (`_PUBLISHED_META`):
    such a page has no publication date, and the dates it shows are the listed stories', the
    reviews' or the comments'. Across our 40 date sets (1,600 pages), 23 pages declare one,
    and none of them has a date of its own; six of them were dated by a listed item's date."""
    if _PUBLISHED_META.search(html[:50_000]):
        return False  # the page names its own publication in its metadata
    kinds: list[str] = []
    if "ld+json" in html:
        tree = _parsed(html[:2_000_000])
        kinds = _top_level_kinds(tree) if tree is not None else []
    if any(k.endswith(_WRITING_KINDS) for k in kinds):
        return False
    if _NOT_A_WRITING_OG.search(html[:20_000]) or any(k in _NOT_A_WRITING for k in kinds):
        return True
    return all(k in _SITE_WIDE_KINDS for k in kinds) and _listing_address(html)


def _describes_a_thing(tree: Any) -> bool:
    """Whether the page's own JSON-LD says it describes a thing, not a writing: its top-level
    types (those of a top-level ``@graph`` included) name an event, a business, a product or a
    place and none an article, a post or a web page. Such a page (a museum's exhibition, a
    company's service guide, a shop's product) carries the thing's dates (opening, offer
    deadlines, policy updates) and no publication date htmldate could find."""
    kinds = _top_level_kinds(tree)
    if any(k.endswith(_WRITING_ENDS) for k in kinds):
        return False
    return any(k.endswith(_THING_ENDS) for k in kinds)


#: Class, id or label words of the page's breadcrumb trail.
_BREADCRUMB = re.compile(r"bread-?crumbs?|crumbs?\b|trail\b", re.IGNORECASE)


#: Class words of a heading that is the page's headline where the page has no ``<h1>``.
_TITLE_CLASS = re.compile(
    r"(?<![a-z])(?:(?:article|entry|post|story|news|page)[-_]?title|headline)(?![a-z])",
    re.IGNORECASE,
)


def _above_site_menu(tree: Any) -> list[Any]:
    """The date elements (a ``<time>``, a class naming a date) above the site's navigation, when
    that navigation comes before the headline: a top bar's day, the day the page was served."""
    found: list[Any] = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "h1" or (el.tag in ("h2", "h3") and _TITLE_CLASS.search(el.get("class", ""))):
            return []  # the headline comes first (an old page's h2.article_title): no menu above
        if (
            (el.tag == "p" and _paragraph_of_body(el.text_content()))
            or (el.tag == "div" and _paragraph_of_body(el.text or ""))
        ) and not _inside(el, _CONSENT, 4):
            return []  # the story comes first: a menu after it (a footer's) is below the page
        if el.tag == "nav" or el.get("role") == "navigation":
            return found
        marks = " ".join(el.get(a, "") for a in ("class", "id", "itemprop"))
        if (el.tag == "time" or _DATE_CLASS.search(marks)) and len(el.text_content()) <= 80:
            found.append(el)
    return []


#: Class or id words of blocks whose dates are not the publication: reader comments and
#: replies, and marks of the last update or review (htmldate would answer with their
#: timestamps). Whole words of the class, so "correspondent" or "responsive" are not comments.
_NOT_PUBLISHED = re.compile(
    r"comments?|commentlist|replies|responses|disqus|updated|modified|lastmod(?:ified)?|reviewed",
    re.IGNORECASE,
)
_WORD_PARTS = re.compile(r"[-_]")


def _not_published(marks: str) -> bool:
    """A class or id word one of whose parts (split at "-" and "_") is in `_NOT_PUBLISHED`,
    unless the element also says it holds the publication (hAtom's ``class="published
    updated"``)."""
    if _PUBLISHED_MARK.search(marks):
        return False
    for word in marks.split():
        if "lastmod" in word.replace("-", "").casefold():
            return True
        if any(_NOT_PUBLISHED.fullmatch(part) for part in _WORD_PARTS.split(word)):
            return True
    return False


#: Blocks that list *other* articles with their dates: htmldate's search is run without them.
_OTHER_ARTICLES = re.compile(
    r"related|sidebar|widget|recommend|popular|most-read|trending|teaser|more-stories|further"
    r"|latest|read-?more|news-?list|more-news|headlines|archive",
    re.IGNORECASE,
)


#: Class or id words of blocks beside the article: the cookie or consent banner (any part of the
#: word), whose policy date htmldate would take for the page's, and a side column or rail (the
#: word's last part: "b-right-rail__rail" is the rail, "b-right-rail__main" the article beside it).
_BANNER_PARTS = frozenset({"cookie", "cookies", "consent", "gdpr"})


def _aside_word(marks: str) -> bool:
    for word in marks.split():
        parts = [part.casefold() for part in _WORD_PARTS.split(word) if part]
        if not parts:
            continue
        # "side" alone is a side column; "left-side" may be a page's main column
        if word.casefold() == "side" or parts[-1] == "rail":
            return True
        if any(p in _BANNER_PARTS for p in parts):
            return True
    return False


#: A script's key for a publication day ("articlePublishDate", "pubDate", "date_created"), not
#: a build's or a cache's stamp ("siteVersion": "2024.03.28-1", "buildTime", "cacheBuster").
_DATE_KEY = re.compile(r"publi|date|created|posted|time|fecha|datum|data_", re.IGNORECASE)
_BUILD_KEY = re.compile(
    r"version|build|cache|deploy|commit|asset|bundle|server|current|now|today|generated|render"
    # a consent manager's record of the visitor's choice and its policy: "consentTimestamp",
    # "policyLastUpdated", a session's or a cookie's expiry
    r"|consent|policy|cookie|session|expir|visit|login|lastseen|last_seen",
    re.IGNORECASE,
)
#: A script's key before its value: "publishedAt":, data_publicacao:, var serverTime =.
_CODE_KEY = re.compile(r"([A-Za-z_$][\w$-]{0,60})[\"']?\s*[:=]")


def _keyed_in_code(code: str, day: str) -> bool:
    """Whether the scripts write the day right after a key naming a date (within 40 characters
    before it) and no build's or version's key."""
    y, m, d = day.split("-")
    near = re.compile(
        rf"(?<!\d){y}[^\d]{{1,3}}0?{int(m)}[^\d]{{1,3}}0?{int(d)}(?!\d)"
        rf"|(?<!\d)0?{int(d)}[./-]0?{int(m)}[./-]{y}(?!\d)|(?<!\d)0?{int(m)}/0?{int(d)}/{y}(?!\d)"
    )
    for hit in islice(near.finditer(code[:2_000_000]), 50):
        keys = _CODE_KEY.findall(code[max(0, hit.start() - 60) : hit.start()])
        if keys and _DATE_KEY.search(keys[-1]) and not _BUILD_KEY.search(keys[-1]):
            return True
    return False


def _written(html: str, day: str) -> bool:
    """Whether the page writes this day, not only its year: the ISO or compact form, a numeric
    day-month-year, the day's number within a few words of the year, or the year, month and day
    numbers in a row with a few non-digits between (East Asian dates)."""
    y, m, d = day.split("-")
    forms = (day, f"{y}{m}{d}", f"{y}/{m}/{d}", f"{int(d)}.{int(m)}.{y}", f"{d}.{m}.{y}",
             f"{d}/{m}/{y}", f"{int(d)}/{int(m)}/{y}", f"{m}/{d}/{y}", f"{int(m)}/{int(d)}/{y}",
             f"{d}/{m}/{y[2:]}", f"{d}.{m}.{y[2:]}", f"{d}-{m}-{y}", f"{int(d)}-{m}-{y}",
             f"{int(d)}-{int(m)}-{y}", f"{m}-{d}-{y}")  # fmt: skip
    if any(form in html for form in forms):
        return True
    near = re.compile(
        # (not the month of a numeric date: "12.01.2022" writes no 1st of any month)
        rf"(?<!\d)(?<!\d[./-])0?{int(d)}(?!\d)[^<>\d]{{0,40}}{y}"
        # the year first, then a month's name, then the day: "2025. január 1." (not "2025/01/",
        # an upload folder's month)
        # (nor a decimal number's: "2022 (PDF, 1,2 MB)")
        rf"|{y}[^<>\w]{{0,6}}[^\W\d_][^<>\d]{{0,34}}(?<!\d)0?{int(d)}(?!\d|[,.]\d)"
        # year, month and day numbers in a row: "2010 年 5 月 19 日", "2010. 5. 19."
        rf"|(?<!\d){y}[^<>\d]{{1,4}}0?{int(m)}[^<>\d]{{1,4}}0?{int(d)}(?!\d)"
    )
    return near.search(html) is not None


#: How far a feed's date may be from the page's own date before the difference is noted: feeds
#: and pages often state one moment in two time zones, or the feed the time it was republished.
FEED_TOLERANCE_DAYS = 1


def feed_date(fields: Any) -> DateFinding | None:
    """The publication date a feed or news sitemap gave for the article (``fields["feed"]``, put
    there by `storyline.sources.feeds.FeedItem.article` with ``provenance: feed``).

    It ranks below every date the page itself gives: the date stage uses it only when the page
    has none, and notes a disagreement of more than `FEED_TOLERANCE_DAYS` (`feed_disagreement`).
    """
    feed = fields.get("feed") if isinstance(fields, dict) else None
    if not isinstance(feed, dict) or feed.get("provenance") != "feed":
        return None
    for key in ("published", "published_raw"):
        parsed = parse_date_value(feed.get(key))
        if parsed is not None:
            evidence = f"feed {feed.get('feed', '')}: {feed.get('published_raw') or feed[key]}"
            return DateFinding(parsed[0], parsed[1], "feed", evidence[:300])
    return None


def feed_disagreement(feed: DateFinding, chosen: DateFinding) -> str | None:
    """A note when the feed's date is more than `FEED_TOLERANCE_DAYS` away from the date the
    page gave (for a page date of month or year precision: when the feed's day lies outside it).
    """
    from datetime import date

    if len(chosen.day) < 10 or len(feed.day) < 10:
        coarse, fine = sorted((chosen.day, feed.day), key=len)
        if fine.startswith(coarse):
            return None
    else:
        try:
            gap = abs((date.fromisoformat(feed.day) - date.fromisoformat(chosen.day)).days)
        except ValueError:
            return None
        if gap <= FEED_TOLERANCE_DAYS:
            return None
    return (
        f"date sources disagree: feed says {feed.value}, kept {chosen.source} {chosen.value} "
        "(a feed's date is used only when the page gives none)"
    )
