"""Head-of-text rules added for metadata: crumbs in other languages, "File photo" captions and
the zero-width non-joiner that Persian spelling needs. Examples are our own."""

from __future__ import annotations

import pytest

from storyline.extract import rules as r
from storyline.extract.clean import clean_text

HEADLINE = "Flood waters recede from villages along the Kabul river"
LEAD = (
    "Flood waters began to recede on Tuesday from dozens of villages along the Kabul river, "
    "officials said, as families returned to clear mud from their homes and fields."
)


@pytest.mark.parametrize(
    "crumb",
    [
        "Accueil / International / ",
        "Startseite > Welt > ",
        "Inicio / Mundo / ",
        "خانه / بین‌الملل / ",
        "صفحه اصلی > جهان > ",
        "ہوم / دنیا / ",
        "Главная / Мир / ",
    ],
)
def test_breadcrumb_in_other_languages_gives_the_headline(crumb: str) -> None:
    cleaned = clean_text(f"{crumb}{HEADLINE}\n\n{LEAD}\n")
    assert cleaned.title == HEADLINE
    assert cleaned.title_source == "breadcrumb"
    assert [x.reason for x in cleaned.removed] == ["breadcrumb"]
    assert cleaned.text.strip() == LEAD


def test_a_slash_in_a_headline_is_not_a_crumb_trail() -> None:
    assert r.breadcrumb_segments("Iran / Pakistan talks resume after a year") is None


@pytest.mark.parametrize(
    "caption",
    [
        "Boys wade through a flooded street in Jalalabad. File photo",
        "A ferry crosses the river at Torkham. File picture.",
        "Workers repair the canal near Zaranj. Archive photo",
    ],
)
def test_caption_ending_in_file_photo_is_not_the_title(caption: str) -> None:
    cleaned = clean_text(f"{caption}\n\n{HEADLINE}\n\n{LEAD}\n")
    assert cleaned.title == HEADLINE
    assert any(x.reason == "caption" and x.text == caption for x in cleaned.removed)


def test_a_headline_about_a_file_photo_stays_a_headline() -> None:
    headline = "Why the file photo of the Salang tunnel went viral"
    cleaned = clean_text(f"{headline}\n\n{LEAD}\n")
    assert cleaned.title == headline


def test_zero_width_non_joiner_is_kept() -> None:
    word = "دریچه\u200cهای"  # "gates": the non-joiner is part of the spelling
    assert r.normalise_line(f"  {word}\u200b سد ") == f"{word} سد"
    cleaned = clean_text(f"{HEADLINE}\n\nآب از {word} سد کمال\u200cخان روان شد و به زابل رسید.\n")
    assert word in cleaned.text and "کمال\u200cخان" in cleaned.text


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Publié le 21 août 2024 à 05h30", "date_line"),
        ("jueves 2 de abril de 2020", "date_line"),
        ("Kabul, 14 March 2024", "date_line"),
        ("Quetta, 3 de mayo de 2024", "date_line"),
        ("Par Camille Rostami – publié le 21 août 2024 à 05h30", "byline"),
        ("Von Jorinde Mahl, 28. März 2019", "byline"),
        ("Por Ana Gil", "byline"),
    ],
)
def test_head_date_lines_and_bylines_in_other_languages_go(line: str, reason: str) -> None:
    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=HEADLINE)
    assert [x.reason for x in cleaned.removed] == [reason]
    assert cleaned.text.strip() == LEAD


@pytest.mark.parametrize(
    "line",
    [
        "Par exemple",  # a lower-case word after "par" is no name
        "Kabul, where the talks began in 2021, was calm.",  # a sentence with a date in it
        "Von Montag an gilt die neue Regel 2024",
        "Paris (AFP) - Talks resumed on 3 March 2024 between the two sides after a pause.",
        "In Ghazni, 12 March 2024",  # a phrase before the date, not a filing place
    ],
)
def test_head_lines_that_merely_mention_a_date_stay(line: str) -> None:
    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=HEADLINE)
    assert line in cleaned.text


@pytest.mark.parametrize(
    "teaser",
    [
        "À lire aussi : En Iran, les coupures d'eau se multiplient",
        "Lee también: Los pasos fronterizos siguen cerrados",
        "Lesen Sie auch: Neue Grenzregeln in Torkham",
        "Leia também: Afegãos deixam o Paquistão",
        "Leggi anche: Nuove regole al confine",
        "Lees ook: Grensovergang weer open",
        "Czytaj także: Przejście graniczne znów otwarte",
        "Čtěte také: Hraniční přechod je opět otevřen",
        "Читайте также: Пограничный переход снова открыт",
        "Baca juga: Perlintasan perbatasan dibuka kembali",
        "Läs också: Gränsövergången öppnar igen",
        "Citește și: Punctul de frontieră se redeschide",
        "اقرأ أيضًا: إعادة فتح المعبر الحدودي",
        "یہ بھی پڑھیں: سرحدی گزرگاہ دوبارہ کھل گئی",
    ],
)
def test_teasers_in_other_languages_go(teaser: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{teaser}\n\n{LEAD.replace('Tuesday', 'Friday')}\n")
    assert "teaser" in [x.reason for x in cleaned.removed]
    assert teaser not in cleaned.text


@pytest.mark.parametrize(
    "promo",
    [
        "Suscríbase a nuestro boletín diario.",
        "Abonnez-vous à partir de 1 € le premier mois.",
        "Soutenez une rédaction indépendante : abonnez-vous pour 1 € par mois.",
        "📲 Participe do canal do Diário no WhatsApp e receba as notícias no seu celular.",
        "Iscriviti alla newsletter del mattino",
        "► Subscribe to our daily newsletter",
        "This story was produced by the Valley Health Desk, a nonprofit newsroom covering rural "
        "hospitals in three states, and is republished here with permission.",
    ],
)
def test_promos_in_other_languages_and_closing_permission_notes_go(promo: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{promo}\n")
    assert promo not in cleaned.text
    assert cleaned.removed


@pytest.mark.parametrize(
    "line",
    [
        "Assine o contrato, disse o ministro, antes de março.",
        "Assine a petição",
        "Abbonati e tifosi hanno riempito lo stadio per la finale di domenica sera.",
        # a review's cases: infinitives, nouns, quotations and dialogue that open like a prompt
        "S'abonner au Navigo coûtera 88,80 euros par mois à partir du 1er janvier, a annoncé la "
        "région.",
        "Abbonati in calo: la società ha perso duemila abbonati nel mese di marzo.",
        "Assine o contrato até o fim do mês, disse o ministro aos nossos repórteres.",
        "« Soutenez la grève », a lancé la syndicaliste devant notre rédaction.",
        "„Folgen Sie uns“, sagte der Polizist zu unserem Reporter.",
        "— Follow us, the officer told the crowd, and nobody moved.",
        "Smith insisted that every image in the catalogue had been republished with permission.",
        "По теме санкций нет единого мнения",
        "记者：资金从哪里来？",
        "Residents should consider supporting our local businesses this winter, the mayor said.",
        "Scammers are sending fake newsletters that land in your inbox looking like your bank, "
        "police warned.",
        "Contact: the two teams had no contact between 2019 - 2023, the league said.",
        "Email: hackers sent messages on 12/05/2023 to staff at the clinic.",
        "Have a question? Call the utility first, the regulator advised on Monday.",
        "Recent news reports suggest the talks failed, the minister told parliament.",
        "The archive holds letters published with permission of the family, the curator said, "
        "and more are expected next year.",
    ],
)
def test_body_lines_that_open_like_a_promo_stay(line: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{line}\n\n{L2}\n")
    assert line in cleaned.text


@pytest.mark.parametrize(
    ("title", "line"),
    [
        (f"Afghanistan: {HEADLINE}", HEADLINE),
        (HEADLINE, f"Analysis – {HEADLINE}"),
    ],
)
def test_the_headline_repeated_with_or_without_a_kicker_goes(title: str, line: str) -> None:
    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=title)
    assert [x.reason for x in cleaned.removed] == ["repeated_headline"]


def test_a_short_line_is_not_the_headline_without_its_kicker() -> None:
    cleaned = clean_text(f"Floods\n\n{LEAD}\n", title="Pakistan: Floods")
    assert "repeated_headline" not in [x.reason for x in cleaned.removed]


L2 = (
    "Engineers from the provincial water department said the embankments would be repaired "
    "before the next rains, and asked residents to report any new breaches at once."
)
L3 = (
    "The provincial governor said compensation forms would be available at district offices "
    "from next week for families whose houses were damaged."
)


@pytest.mark.parametrize(
    "line",
    [
        "12 comments were filed by residents before the deadline, officials said.",
        "Comments (3) from the minister were published on Friday and drew a reaction.",
        "150 responses to the survey showed that most residents opposed the plan.",
        "Pour commenter la décision, le ministre a tenu une conférence de presse lundi.",
        "Leave a reply within 30 days or lose the claim, the notice warned tenants.",
        "Join the conversation on our Telegram channel",
    ],
)
def test_a_sentence_that_starts_like_a_comment_header_cuts_nothing(line: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{line}\n\n{L3}\n", title=HEADLINE)
    assert L3 in cleaned.text


@pytest.mark.parametrize(
    "header",
    ["12 Comments", "Comentarios (3)", "2 thoughts on “Flood waters recede”", "Leave a Reply"],
)
def test_a_comment_section_goes_from_its_header_on(header: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{header}\n\n{L3}\n", title=HEADLINE)
    assert L3 not in cleaned.text and L2 in cleaned.text
    assert {x.reason for x in cleaned.removed} == {"comments"}


def test_an_embed_takes_only_the_post_right_above_it() -> None:
    attribution = "— Harbour Ferries FC (@harbourferries_x) May 4, 2025"
    image_only = f"{LEAD}\n\nhttps://t.co/AbCdEf1234\n\n{attribution}\n\n{L2}\n"
    cleaned = clean_text(image_only, title=HEADLINE)
    assert LEAD in cleaned.text and attribution not in cleaned.text
    accounts = (
        f"{LEAD}\n\nFollow these accounts:\n\n- Sara Ahmadi (@sara_a), a teacher in Herat\n"
        f"- Omar Khan (@omar_k), a farmer in Helmand\n\n{L2}\n"
    )
    assert "Sara Ahmadi" in clean_text(accounts, title=HEADLINE).text
    quote = f"{LEAD}\n\n— Sara Ahmadi (@sara_a), a teacher in Herat, said it came at night.\n"
    assert "teacher in Herat" in clean_text(quote, title=HEADLINE).text


@pytest.mark.parametrize("line", ["Von Berlin", "Por La Paz", "Door Locks Failed, Report Says"])
def test_foreign_byline_prefixes_count_only_in_the_head(line: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{line}\n\n{L2}\n", title=HEADLINE)
    assert line in cleaned.text
    assert not r.is_byline(line)


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Kabul, 14 March 2024", "2024-03-14"),
        ("Von Jorinde Mahl, 28. März 2019", "2019-03-28"),
        ("Par Camille Rostami – publié le 21 août 2024 à 05h30", "2024-08-21"),
    ],
)
def test_the_date_stage_reads_the_head_lines_the_cleaner_took(line: str, day: str) -> None:
    from storyline.extract.date_sources import date_line_dates

    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=HEADLINE)
    published, _ = date_line_dates(cleaned.text, cleaned.removed)
    assert published is not None and published.day == day


@pytest.mark.parametrize(
    "caption",
    [
        "Il ponte sul fiume visto dalla riva sinistra (foto Gazzetta delle Valli)",
        "Die neue Brücke über die Fulda (Foto: Stadtwerke)",
        "El puente reabierto al tráfico (Imagen: Ayuntamiento)",
    ],
)
def test_captions_credited_in_other_languages_go_from_the_head(caption: str) -> None:
    assert r.is_caption(caption, head=True)
    assert not r.is_caption(
        "Il sindaco ha parlato della foto scattata ieri sera al ponte.", head=True
    )


def test_a_release_s_label_date_and_contact_block_go_from_the_head() -> None:
    head = [
        "NEWS RELEASE",
        "Release Date: 02/17/2026",
        "Contact: Dwight Pruitt, Public Information Officer",
        "Phone: (410) 555-0147 | E-mail: dpruitt@shoreauthority.example",
    ]
    cleaned = clean_text("\n\n".join([*head, LEAD, L2]) + "\n")
    for line in head:
        assert line not in cleaned.text
    assert LEAD in cleaned.text and L2 in cleaned.text
    reasons = [x.reason for x in cleaned.removed]
    # the release's label is the release's furniture (cleaning v25; it was read as a one-part
    # breadcrumb before)
    assert reasons == ["promo", "date_line", "promo", "promo"]


def test_contact_lines_in_the_body_need_an_address_or_a_number() -> None:
    tail = "Media contact: Communications Unit, media@shirecouncil.example"
    body = "Contact: officials said the crew was reached again after an hour without radio."
    cleaned = clean_text(f"{LEAD}\n\n{body}\n\n{L2}\n\n{tail}\n")
    assert body in cleaned.text and tail not in cleaned.text


def test_a_release_s_foot_goes_contact_block_end_mark_and_page_furniture() -> None:
    foot = [
        "-30-",
        "Media contact",
        "Communications Team",
        "Shire District Public Health",
        "613-555-0160, ext. 2241 media@shirehealth.example",
        "Researcher contact",
        "Dr. Alma Reyes",
        "areyes@shire-university.example",
        "Was this page helpful?",
        "Page last reviewed: December 4, 2026",
    ]
    cleaned = clean_text(
        "\n\n".join(["For immediate release: December 4, 2026", LEAD, L2, *foot]) + "\n"
    )
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    reasons = {x.text: x.reason for x in cleaned.removed}
    assert reasons["For immediate release: December 4, 2026"] == "date_line"
    assert reasons["-30-"] == reasons["Media contact"] == reasons["Dr. Alma Reyes"] == "promo"
    assert reasons["Was this page helpful?"] == "widget"
    assert reasons["Page last reviewed: December 4, 2026"] == "date_line"


def test_a_contact_heading_over_sentences_or_before_the_story_stays() -> None:
    # a heading over a paragraph of the story, and a block the story goes on after
    para = (
        "For more information\n\nResidents can call the council on 01632 960 123 to ask "
        "whether their street is on the list, and the list will be posted at the library."
    )
    cleaned = clean_text(f"{LEAD}\n\n{para}\n\n{L2}\n")
    assert "Residents can call the council" in cleaned.text
    block = "Media contact\n\nJane Roe\n\njane@council.example"
    cleaned = clean_text(f"{LEAD}\n\n{block}\n\n{L2}\n")
    assert "Jane Roe" in cleaned.text and L2 in cleaned.text
    # a Markdown heading over the block, as a Markdown file writes it
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n## Press contact\n\nJane Roe, 01632 960 123\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    # no number or address: no contact block
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\nContacts\n\nOur partners in the region\n")
    assert "Our partners in the region" in cleaned.text


@pytest.mark.parametrize(
    ("line", "promo"),
    [
        ("Bet on the next round with Greenline Sports. New customers only. T&Cs apply.", True),
        ("18+. New customers only. Please gamble responsibly. BeGambleAware.org", True),
        ("The regulator wants operators to make sure customers gamble responsibly.", False),
        (
            "The league said its sponsor's adverts, which end with the words please gamble "
            "responsibly, would be shown only after the watershed from next season onwards.",
            False,
        ),
    ],
)
def test_a_betting_ad_s_small_print_is_a_promo(line: str, promo: bool) -> None:
    assert r.is_promo_line(line) is promo


@pytest.mark.parametrize(
    ("line", "mark"),
    [("-30-", True), ("- 30 -", True), ("###", True), ("-ends-", True), ("ENDS", True),
     ("30", False), ("Ends", False), ("End", False), ("-30 degrees", False)],
)  # fmt: skip
def test_a_release_s_end_mark(line: str, mark: bool) -> None:
    assert bool(r.END_MARK.fullmatch(line)) is mark


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("The NSB is not responsible for the content of external sites.", "promo"),
        (
            "This article was produced in partnership with the Cellar Route Association. "
            "The Herald's editorial team was not involved in its creation.",
            "promo",
        ),
        (
            "By providing an email address. I agree to the Terms of Use and acknowledge that I "
            "have read the Privacy Policy.",
            "subscribe",
        ),
        ("By subscribing, you agree to our Terms and Privacy Policy.", "subscribe"),
        ("Pamanīji kļūdu? Iezīmē tekstu un nospied Ctrl+Enter.", "widget"),
        ("Нашли ошибку? Выделите текст и нажмите Ctrl+Enter", "widget"),
        ("Printer-friendly version | E-mail this story | Back to top", "share"),
        (
            "The director shows the board a drawing of the wing. (Record photo by Deb Hollenbeck)",
            "caption",
        ),
        ("Crowds on the bridge on Monday. (AP Photo/Jane Roe)", "caption"),
        ("With files from The Tidewater Morning Show", "credit"),
        ("Printer-friendly version | E-mail this story to a friend", "share"),
        (
            "Reporting for this story was supported by a fellowship from an independent science "
            "journalism fund. Undercurrent retains full editorial control.",
            "promo",
        ),
        ("Write to Anna Brevik at anna.brevik@marketregister.example", "promo"),
        ("By Carol Ann Brune, Record staff", "byline"),
        (
            "This story was produced with support from the Plains Water Reporting Fund. High "
            "Plains Report is solely responsible for its content.",
            "promo",
        ),
        ("Last medically reviewed on February 11, 2020", "promo"),
        ("Medically reviewed by Jane Roe, MD", "promo"),
        ("Get our local newsletter, delivered free each Friday", "subscribe"),
        ("Get Northline in your inbox", "subscribe"),
        ("Join the Herald's WhatsApp channel and get the latest news and must-reads.", "subscribe"),
        ("Support local journalism. Your subscription keeps reporters in the county.", "subscribe"),
        ("Donate now", "subscribe"),
        (
            "When you buy through links on our site, we may earn an affiliate commission. Here's "
            "how it works.",
            "promo",
        ),
        (
            "All products featured on Hearth & Field are independently selected by our editors. "
            "However, when you buy something through our retail links, we may earn an affiliate "
            "commission.",
            "promo",
        ),
        (
            "Catch all the latest Nashik news, education news and city updates on Metro Pulse.",
            "promo",
        ),
        ("News provided by", "promo"),
        ("SOURCE Corvane Systems", "promo"),
        ("You just read:", "promo"),
        (
            "Citation: Shrubs moving into thawing peatlands could speed release of ancient carbon "
            "(2025, June 3) retrieved 7 June 2025 from https://sciencedispatch.example/news/x.html",
            "promo",
        ),
        (
            "This document is subject to copyright. Apart from any fair dealing for the purpose of "
            "private study or research, no part may be reproduced without the written permission.",
            "promo",
        ),
    ],
)
def test_footers_disclaimers_and_forms_of_more_sites_go(line: str, reason: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{line}\n\n{L2}\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    assert [x.reason for x in cleaned.removed] == [reason]


@pytest.mark.parametrize(
    "line",
    [
        "The paper said its newsroom staff were not involved in the decision to close the bureau.",
        "Users who agree to the terms can still ask the company to delete their data, she said.",
        "The mayor spoke to reporters on the bridge on Monday afternoon. (AFP)",
        "Condolences poured in from across the region as news of his death spread on Tuesday.",
        "I agree with the terms of the deal, the minister told reporters after the vote.",
        "The board said the paper retains editorial control under the new owner.",
        "Write to the council at the address on the notice before the end of the month.",
        "The company said its board is solely responsible for its content moderation rules.",
        "The new drug was medically reviewed by an outside panel before the trial began.",
        "Join the club's WhatsApp group to hear about fixtures, the secretary said on Monday.",
        "Donate to the flood fund at any branch of the bank until March, the council said.",
        "Get rid of spam in your inbox by turning on the filter in the settings menu.",
        "When you buy through the app, the fare is lower, the operator said on Monday.",
        "Source Corvane Systems said the logger would ship in March to forty clinics.",
        "Catch the early ferry on Saturday if you want a seat, the skipper advised.",
    ],
)
def test_body_lines_like_those_stay(line: str) -> None:
    assert line in clean_text(f"{LEAD}\n\n{line}\n\n{L2}\n").text


@pytest.mark.parametrize(
    ("teaser", "title"),
    [
        ("Preberite tudi", "Drava narasla, na Lentu zaprli spodnjo promenado"),
        ("Pročitajte još", "Gradsko vijeće usvojilo proračun"),
        ("Прочитајте још", "Нови мост на Дунаву отворен"),
        ("Lasi arī", "Pašvaldība meklē glābējus"),
        ("Loe ka", "Tallinna trammiliin avatakse sügisel"),
        ("Le tamén", "O concello abre unha nova biblioteca"),
        ("Lesa meira", "Framkvæmdir við göngubrú yfir Glerá hafnar"),
        ("Прочитај повеќе", "Рекордни ноќевања во Охрид минатото лето"),
        ("مزید پڑھیں", "اندرون شہر کے دروازوں کی مرمت کا دوسرا مرحلہ شروع"),
        ("BASAHIN", "Klase sa ilang lungsod sa Metro Manila, sinuspinde"),
        ("ასევე წაიკითხეთ", "მეტროს სადგურებზე უფასო Wi-Fi ამოქმედდა"),
        ("Irakurri ere", "Bidegorri berria irekiko dute udaberrian"),
        ("Կարդացեք նաև", "Երևանում նոր ավտոբուսային երթուղիներ"),
        ("আরও পড়ুন", "রাজশাহীতে নতুন সেতুর কাজ শুরু"),
        ("Shuningdek o‘qing", "Urgutda zamonaviy kutubxona ochildi"),
        ("Karanta kuma", "Manoma sun fara girbin dawa a Katsina"),
        ("Чытайце таксама", "У Гродне адкрылі новы мост праз Нёман"),
        ("Aqra wkoll", "Il-festa tar-raħal se ssir f'Awwissu"),
        ("આ પણ વાંચો", "સૌરાષ્ટ્રનાં ગામોમાં ટેન્કરથી પાણી"),
        ("ဆက်စပ်သတင်း", "မြို့ပတ်ရထားအတွက် တွဲအသစ်များ ရောက်ရှိ"),
        ("ਇਹ ਵੀ ਪੜ੍ਹੋ", "ਮੀਂਹ ਕਾਰਨ ਮੰਡੀਆਂ ਵਿੱਚ ਭਿੱਜੀ ਕਣਕ"),
        ("Vakio koa", "Solika: tsy miova ny vidiny hatramin'ny faran'ny taona"),
    ],
)
def test_teasers_in_more_languages_go(teaser: str, title: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{teaser}: {title}\n\n{L2}\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"


def test_an_obituary_s_condolences_go_from_their_header_on() -> None:
    tail = "Condolences\n\nDeepest sympathy to all the family.\n\nThinking of you all."
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{tail}\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    # a subhead of the story over its paragraphs stays, and so does the story
    story = (
        "Condolences\n\nMessages arrived from across the region on Tuesday as the council "
        "lowered its flags, and the harbour master said the crews who had worked beside him for "
        "thirty years would gather at the quay at noon to mark his death with a minute of "
        "silence and the sound of every ship's horn in the port at once."
    )
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{story}\n")
    assert "Condolences" in cleaned.text and "every ship's horn" in cleaned.text


def test_headline_tags_and_long_paragraphs_are_not_captions_or_teasers() -> None:
    assert not r.is_caption("Pożar kamienicy w centrum Krakowa (FOTO)", head=True)
    assert not r.is_caption("Die Schulen wurden verglichen (Bildungsbericht 2024)", head=True)
    paragraph = "関連記事" + "について市は来月から新しい制度を始めると発表した。" * 6
    assert r.teaser_kind(paragraph) is None  # no spaces: one "word" of any length


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("责任编辑：王磊", "credit"),
        ("来源：新华社", "credit"),
        ("老人们在长者食堂排队取餐。记者 张帆 摄", "caption"),
        ("Print this story | E-mail this story | More Local News", "share"),
        (
            "Have a money question? Email Renata at moneysense@harbourgazette.example. Questions "
            "may be edited for length.",
            "promo",
        ),
        ("Recent News Releases", "teaser"),
        (
            "Like this? Get stories like it in your inbox every weekday morning with the free "
            "Metro Minute newsletter.",
            "subscribe",
        ),
        (
            "… we have a small favour to ask. The Chronicle is funded by readers who believe "
            "local reporting matters. If you value it, please consider supporting us today.",
            "promo",
        ),
    ],
)
def test_credits_promos_and_tool_bars_of_more_sites_go(line: str, reason: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{line}\n\n{L2.replace('rains', 'floods')}\n")
    assert line not in cleaned.text
    assert reason in [x.reason for x in cleaned.removed]


@pytest.mark.parametrize(
    "line",
    [
        "他说：我们会在下个月继续讨论这个问题，并且邀请更多居民参加。",
        "The council newsletter reached residents on Monday, and the mayor said it would now be "
        "sent every month.",
        "Up next: The teams continue their six-game series on Saturday at 6:35 p.m. Right-hander "
        "Nate Bellingham (4-2, 3.12 ERA) is scheduled to start against Tri-City's Cody Arceneaux.",
        "Officials said they were considering supporting the plan if the budget allows it.",
    ],
)
def test_sentences_like_those_stay(line: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{line}\n\n{L2}\n")
    assert line in cleaned.text


def test_a_kicker_of_section_words_goes_from_the_head() -> None:
    cleaned = clean_text(f"LOCAL NEWS\n\n{LEAD}\n\n{L2}\n")
    assert "LOCAL NEWS" not in cleaned.text
    assert r.teaser_kind("Up next: Pakistan and Iran reopen the Taftan crossing") == "line"


@pytest.mark.parametrize(
    ("line", "widget"),
    [
        ("1 of 8", True),
        ("Photo 3 of 12", True),
        ("Foto 2 de 9", True),
        ("Bild 4 von 10", True),
        ("9 of 8", False),  # no gallery counts past its end
        ("0 of 8", False),
        ("Poll: Should the ferry run all winter?", True),
        ("Umfrage: Soll die Fähre im Winter fahren?", True),
        ("Poll results are not scientific.", True),
        ("This is not a scientific poll.", True),
        ("Poll workers counted the ballots twice.", False),
        ("Poll: the council's plan", False),  # a poll's question asks
        ("The survey of 3 of 5 harbours found damage.", False),
        ("The online poll is not scientific, but it drew more than 4,000 responses.", False),
        ("Critics dismissed it as an unscientific survey of party loyalists.", False),
        ("Was this page helpful?", True),
        ("Was this page helpful? Yes No", True),
        ("War diese Seite hilfreich?", True),
        ("Cette page vous a-t-elle été utile ?", True),
        ("Was this page helpful to the families who read it, the council asked.", False),
    ],
)
def test_widgets_are_gallery_counters_and_polls(line: str, widget: bool) -> None:
    assert r.is_widget(line) is widget


@pytest.mark.parametrize(
    ("line", "prompt"),
    [
        ("Sigue toda la información de Kessel en Facebook y X", True),
        ("Segui le notizie di Kessel su Instagram", True),
        ("Suivez l'actualité de Kessel sur WhatsApp", True),
        ("Sigue la búsqueda de los pescadores desaparecidos frente a la costa.", False),
        ("Sigue abierta la investigación sobre los mensajes de WhatsApp del ministro.", False),
        ("Segue a polémica sobre o uso do TikTok nas escolas públicas do estado.", False),
        ("Folge des Streits: Das Konto des Ministers wurde auf Twitter gesperrt.", False),
        ("Volg het geld: hoe Telegram uitgroeide tot een markt voor drugs.", False),
    ],
)
def test_follow_prompts_name_a_platform(line: str, prompt: bool) -> None:
    assert r.is_subscribe(line) is prompt


def test_a_video_title_goes_with_its_running_time_only() -> None:
    text = f"{LEAD}\n\nVIDEO: Villagers clear mud from their homes\n\n02:47\n\n10:45\n\n{LEAD}\n"
    cleaned = clean_text(text)
    assert "Villagers clear mud" not in cleaned.text and "02:47" not in cleaned.text
    assert "10:45" in cleaned.text  # a time alone elsewhere is not the player's
    assert "Video games" in clean_text(f"{LEAD}\n\nVideo games\n\n{LEAD}\n").text
    # a time under any other teaser is the text's own (a live blog's entry)
    other = clean_text(f"{LEAD}\n\nRead more: Budget talks stall again\n\n14:05\n\n{LEAD}\n")
    assert "Budget talks" not in other.text and "14:05" in other.text


def test_mas_informacion_is_a_label_not_a_heading() -> None:
    assert r.teaser_kind("Más información") == "header"
    assert r.teaser_kind("Más información: Las ayudas a los afectados") == "line"
    assert r.teaser_kind("Más información sobre las ayudas a los afectados") is None


@pytest.mark.parametrize(
    "header",
    ["Iruzkinak (3)", "კომენტარები (4)", "Коментари (2)", "Mga komento (5)", "Komente (1)"],
)
def test_comment_sections_in_more_languages_go_from_their_header(header: str) -> None:
    tail = f"{header}\n\nGood news for the town.\n\nAbout time, too."
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{tail}\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"


def test_a_label_repeated_between_the_paragraphs_goes() -> None:
    label = "Article content"
    text = f"{LEAD}\n\n{label}\n\n{L2}\n\n{label}\n\n{LEAD.upper()}\n"
    cleaned = clean_text(text)
    assert label not in cleaned.text and L2 in cleaned.text
    assert [x.reason for x in cleaned.removed] == ["promo", "promo"]
    # once is no template's label; a speaker's label and a list item repeat in interviews
    assert label in clean_text(f"{LEAD}\n\n{label}\n\n{L2}\n").text
    speaker = f"{LEAD}\n\nJANE ROE:\n\n{L2}\n\nJANE ROE:\n\nThat is right.\n"
    assert clean_text(speaker).text.count("JANE ROE:") == 2
    # a subheading repeated under each product, a live text's repeated line: the story's
    for line in ("Reasons to buy", "Goal for Arsenal", "Thank you very much."):
        text = f"{LEAD}\n\n{line}\n\n{L2}\n\n{line}\n\n{LEAD.upper()}\n"
        assert clean_text(text).text.count(line) == 2
    # a prompt that reports what someone said is still a prompt when it is one
    assert r.is_subscribe("Follow us on Twitter for what the mayor said today")


def test_a_table_s_source_note_stays_and_a_long_repeated_ad_label_goes() -> None:
    table = "| Car park | All day |\n| Cornhill | £4 |\nSource: Stroud District Council"
    cleaned = clean_text(f"{LEAD}\n\n{table}\n\n{L2}\n")
    assert "Source: Stroud District Council" in cleaned.text
    # the same line after a paragraph is a credit, as before
    assert (
        "Source: Stroud"
        not in clean_text(f"{LEAD}\n\nSource: Stroud District Council\n\n{L2}\n").text
    )
    label = "This advertisement has not loaded yet, but your article continues below."
    text = f"{LEAD}\n\n{label}\n\n{L2}\n\n{label}\n\n{LEAD.upper()}\n"
    assert label not in clean_text(text).text


def test_a_contact_block_above_a_release_s_first_paragraph_goes() -> None:
    """A release that opens with its media contact: a heading, a name with its title, then the
    number and address, all above the story."""
    head = [
        "Media contact",
        "Teodora Vance, Communications Director",
        "505-555-0131 | tvance@waterboard.example",
    ]
    cleaned = clean_text("\n\n".join([HEADLINE, *head, LEAD, L2]) + "\n", title=HEADLINE)
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    assert [x.reason for x in cleaned.removed] == ["repeated_headline", *["promo"] * 3]


@pytest.mark.parametrize(
    "line",
    [
        "Reach reporter Caleb Ruiz at cruiz@desertstar.example or 480-555-0142. Follow him on X.",
        "Reach Dana Holt at dholt@valleypaper.example or 509-555-0148.",
        "Contact the writer Ana Lima at 555-201-3344.",
        "We use cookies on this site to enhance your user experience. By clicking any link on "
        "this page you are giving your consent for us to set cookies.",
        "This website uses cookies to improve your experience.",
        "By continuing to browse this site you agree to our use of cookies.",
        "Wir verwenden Cookies, um Inhalte zu personalisieren.",
        "To send flowers to the family or plant a tree in memory of Ruth Alder, please visit "
        "our floral store.",
        "Send Flowers Plant a Tree",
        "The Terrace and our partners store and access information on your device, such as "
        "cookies, to personalise ads and content.",
        "This article is for general information only and is not a substitute for professional "
        "medical advice, diagnosis or treatment. Always ask your doctor or another qualified "
        "health provider about a medical condition.",
        "Editorial use only. Images may not be used for advertising without written permission.",
        "Ads by Google",
        "Published in The Indus Courier, June 12th, 2022",
        "Our football newsletter, with all the results and reaction, every weekday morning.",
        "The day's biggest stories from across the state, in your inbox every weekday morning.",
        "Get the day's court stories in your inbox",
        "Get latest news & live updates on the go with the Deccan Standard app. Download now",
        "We use your sign-up to provide content in ways you have consented to.",
        "Contributing: Alex Rourke",
        "Sign up to The Final Whistle",
        "[E-mail this story] [Printer-friendly] [Top of page]",
        "Support independent local news",
        "Harbor Light News is a nonprofit newsroom. Reader donations pay for reporting like this. "
        "Become a member today.",
        "Wordhoard, in your inbox",
        "HealthBeat Today news stories are for general information and are not a substitute for "
        "professional medical advice.",
    ],
)
def test_taglines_consent_and_obituary_widgets_go(line: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{L2}\n\n{line}\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"


@pytest.mark.parametrize(
    "line",
    [
        "Reach the harbour at dawn and you will see the boats come in, the skipper said.",
        "The bakery's owner said she would reach a decision on the cookies next week.",
        "“We use cookies from the village baker,” the café's owner said on Friday.",
        "Mourners were asked to send flowers to the church hall rather than the house.",
        "The council newsletter is posted to residents every day.",
        "Sign up to vote by Friday, the clerk told residents at the meeting.",
        "The club urged residents to become a member today.",
        "Support for local news outlets grew after the paper closed, the survey found.",
        "We use cookie cutters to shape the dough, then bake the biscuits for ten minutes.",
        "This site uses cookies to track visitors without their knowledge, the regulator found.",
        "Google and its partners use tracking cookies to follow users across the web, the "
        "regulator said.",
        "The information on symptom-checker apps is not a substitute for professional medical "
        "advice, Dr. Lee warned.",
        "Her newsletter reaches 40,000 readers every day.",
        "More good news: the bridge will reopen on Monday, a week ahead of schedule.",
        "Sign up for Medicare",
        "Get latest news on the strike from our reporters, the union urged its members.",
        "Editorial use only applies to the photos, the agency's lawyer told the court.",
        "Plant a tree",
        "Published in Nature, March 3, 2021.",
        "Published in 2019, the report found that rents had risen in every district.",
        "The clinic said the app was not a substitute for seeing a doctor in person.",
        "Doctors say symptom checkers are not a substitute for professional medical advice.",
    ],
)
def test_sentences_about_reaching_cookies_and_flowers_stay(line: str) -> None:
    assert line in clean_text(f"{LEAD}\n\n{line}\n\n{L2}\n").text


def test_a_summary_box_above_the_story_goes_with_its_note() -> None:
    figures = ["Key figures", "- 40,000+ returns since 1 September", "- 22% funded"]
    cleaned = clean_text("\n\n".join([*figures, LEAD, L2]) + "\n", title=HEADLINE)
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    box = [
        "Key takeaways",
        "- Northstar will retire its 14 turboprops by the end of September.",
        "- Six airports will lose scheduled service.",
        "AI-assisted summary reviewed by our newsroom.",
    ]
    cleaned = clean_text("\n\n".join([*box, LEAD, L2]) + "\n", title=HEADLINE)
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    assert {x.reason for x in cleaned.removed} == {"widget"}


def test_key_points_inside_the_story_and_a_label_without_a_list_stay() -> None:
    inside = "Key points:\n\n- The bridge closes on Monday.\n\n- Buses will run every hour."
    cleaned = clean_text(f"{LEAD}\n\n{inside}\n\n{L2}\n")
    assert "Key points:" in cleaned.text and "- Buses will run every hour." in cleaned.text
    cleaned = clean_text(f"Key points\n\n{LEAD}\n\n{L2}\n", title=HEADLINE)
    assert LEAD in cleaned.text and L2 in cleaned.text


def test_a_release_s_notes_to_editors_go_to_the_end() -> None:
    notes = [
        "Notes to editors",
        "- Photos and video from the response are available on request.",
        "- Riverlight Relief is an international humanitarian organisation that helps "
        "communities prepare for and recover from disasters.",
    ]
    cleaned = clean_text("\n\n".join([LEAD, L2, *notes]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    # at the head, before any story, it is no foot
    cleaned = clean_text("\n\n".join(["Notes to editors", LEAD, L2]) + "\n")
    assert LEAD in cleaned.text and L2 in cleaned.text


def test_a_release_s_contact_and_about_its_acronym_go_from_its_foot() -> None:
    foot = [
        "For more information, please contact:",
        "In Kabul: Farid Rahimi, Communications Officer, +93 70 000 0000, rahimi@undra.example",
        "About UNDRA",
        "The United Nations Displacement and Return Agency works with governments and partners "
        "to protect and assist people forced to flee their homes.",
    ]
    cleaned = clean_text("\n\n".join([LEAD, L2, *foot]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"
    # "About" a name the paragraph does not spell out stays a subheading of the story
    story = ["About KABUL", "Kabul is a city of five million people on the river's banks."]
    cleaned = clean_text("\n\n".join([LEAD, *story, L2]) + "\n")
    assert "Kabul is a city" in cleaned.text


def test_more_section_news_heads_a_teaser_list() -> None:
    tail = [
        "More Commodities News",
        "- Gold edges up as dollar weakens (16 May 2013)",
        "- Rubber prices slip on weak Chinese demand (20 May 2013)",
    ]
    cleaned = clean_text("\n\n".join([LEAD, L2, *tail]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}"


def test_a_contact_heading_after_a_short_lead_stays() -> None:
    """A brief whose lead is one short sentence: the contact heading and its line are the
    story's, not a release's head."""
    lines = [
        "Police are asking for the public's help.",
        "For more information",
        "Call Crime Stoppers at 1-800-222-8477.",
        LEAD,
    ]
    cleaned = clean_text("\n\n".join(lines) + "\n", title=HEADLINE)
    assert "Call Crime Stoppers at 1-800-222-8477." in cleaned.text
