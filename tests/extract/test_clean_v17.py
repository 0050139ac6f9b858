"""Cleaning stage v17 and extract stage v10: a caption set as a classed paragraph under its
picture, a reader poll, a reporter's third-person tagline, an obituary's tribute wall and flower
shop, and a numbered comments header run together with its comments. Examples are our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.captions import without_captions
from storyline.extract.clean import clean_text
from storyline.extract.standfirsts import without_standfirsts

LEAD = (
    "An 81-year-old grandmother has become the oldest woman to swim the length of the lake, "
    "finishing the crossing in just over nine hours and raising money for the local hospice."
)
L2 = (
    "She set off from the southern shore at six in the morning and climbed out at the northern "
    "jetty shortly after three in the afternoon, to cheers from her family and friends."
)
L3 = (
    "She took up open-water swimming at seventy, after her doctor suggested it for her knees, "
    "and now swims in the lake every morning from April to October."
)
CAPTION = "Margit Holm, 81, is greeted by her family at the jetty after her swim on Saturday"


def _tabloid(caption_class: str, wrapper: str = "mol-img-group") -> str:
    return (
        "<html><head><title>Oldest woman swims the lake</title></head><body><article>"
        f'<h1>Grandmother, 81, swims the lake</h1><div itemprop="articleBody"><p>{LEAD}</p>'
        f'<div class="{wrapper}"><div class="mol-img"><div class="image-wrap">'
        '<img src="https://img.example/swim.jpg" alt=""></div></div>'
        f'<p class="{caption_class}">{CAPTION}</p></div><p>{L2}</p><p>{L3}</p></div>'
        "</article></body></html>"
    )


def _text(html: str) -> str:
    article = Article(source="swim.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_a_classed_caption_under_its_picture_leaves_the_extractor_s_copy() -> None:
    page = _tabloid("imageCaption")
    assert CAPTION not in without_captions(page)
    text = _text(page)
    assert CAPTION not in text
    assert all(p in text for p in (LEAD, L2, L3))


def test_a_gallery_s_captions_and_a_classed_paragraph_without_a_picture_stay() -> None:
    gallery = _tabloid("imageCaption", wrapper="gallery__slide")
    assert CAPTION in without_captions(gallery)
    alone = (
        "<html><body><article><h1>Swim</h1>"
        f'<p>{LEAD}</p><p class="caption">{CAPTION}</p><p>{L2}</p></article></body></html>'
    )
    assert CAPTION in without_captions(alone)


def test_a_reader_poll_goes_with_its_label() -> None:
    question = "Should the council close the lake to boats in summer?"
    poll = ["Poll", question, "Yes", "No", "Can't say"]
    cleaned = clean_text("\n\n".join([LEAD, L2, L3, *poll]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"
    assert {x.reason for x in cleaned.removed} == {"widget"}


def test_an_interview_s_question_and_one_word_answer_stay() -> None:
    lines = [LEAD, "Would you do it again?", "Yes.", L2, "Did it hurt?", "No", L3]
    cleaned = clean_text("\n\n".join(lines) + "\n")
    assert "Would you do it again?" in cleaned.text
    assert "Did it hurt?" in cleaned.text


def test_a_reporter_s_third_person_tagline_goes() -> None:
    tagline = "Kari Lindahl can be reached at klindahl@bluffsherald.example."
    cleaned = clean_text("\n\n".join([LEAD, L2, L3, tagline]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"
    hotline = "Crime Stoppers can be reached at 1-800-222-8477."
    cleaned = clean_text("\n\n".join([LEAD, L2, hotline, L3]) + "\n")
    assert hotline in cleaned.text


def test_an_obituary_s_flowers_and_tribute_wall_go() -> None:
    tail = [
        "Send flowers to the service of Margit Holm",
        "Shop Flowers",
        "Tribute Wall",
        "12 memories shared",
        "She taught me to swim in 1979. I never forgot it.",
        "We will miss her at the jetty every morning.",
    ]
    cleaned = clean_text("\n\n".join([LEAD, L2, L3, *tail]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"


def test_a_numbered_comments_header_run_together_with_its_comments() -> None:
    comments = (
        "Reader comments (3) Ramesh K.: Every year the same story. Anjali: No water for two "
        "days in our street. S. Joshi: Please publish the schedule area by area, so that "
        "families can plan their week around it instead of guessing every morning."
    )
    cleaned = clean_text("\n\n".join([LEAD, L2, L3, comments]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"


STANDFIRST = "Skills hall in the old works will train up to 900 apprentices a year in robot safety"


def _release(standfirst_class: str, later: str = "") -> str:
    return (
        "<html><head><title>Robot skills centre opens</title></head><body>"
        '<div class="consent"><p>We use cookies to personalise content and ads and to analyse '
        "our traffic, and we share information about your use of our site.</p></div>"
        "<article><h1>Robot skills centre opens for small manufacturers</h1>"
        f'<p class="{standfirst_class}"><i>{STANDFIRST}</i></p><p>{LEAD}</p>{later}<p>{L2}</p>'
        f"<p>{L3}</p></article></body></html>"
    )


def test_the_standfirst_under_the_headline_leaves_the_extractor_s_copy() -> None:
    for name in ("subtitle", "story__dek", "ArticleHeader_standfirst__h9Qz"):
        page = _release(name)
        assert STANDFIRST not in without_standfirsts(page)
        text = _text(page)
        assert STANDFIRST not in text
        assert all(p in text for p in (LEAD, L2, L3))


def test_a_subtitle_in_the_story_and_an_intro_paragraph_stay() -> None:
    subhead = '<h2 class="article-subtitle">What the new hall will teach apprentices</h2>'
    page = _release("intro", later=subhead)
    kept = without_standfirsts(page)
    assert STANDFIRST in kept  # "intro" is many sites' first paragraph
    assert "What the new hall will teach apprentices" in kept


def test_an_opinion_page_s_views_disclaimer_and_a_comment_box_notice_go() -> None:
    tail = [
        "The views expressed in this commentary are those of the authors and do not necessarily "
        "reflect the position of the institute, its board or its funders.",
        "Comments are moderated. The Herald is not responsible for readers' views.",
    ]
    cleaned = clean_text("\n\n".join([LEAD, L2, L3, *tail]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"
    story = [
        "The views expressed by residents at the meeting were mixed, the mayor said.",
        "Comments are moderated by volunteers, the forum's founder told the court.",
    ]
    cleaned = clean_text("\n\n".join([LEAD, *story, L2]) + "\n")
    assert all(line in cleaned.text for line in story)


def test_a_briefing_prompt_goes_and_a_briefing_in_the_story_stays() -> None:
    prompt = "Get the Firth Trade Journal morning briefing"
    cleaned = clean_text("\n\n".join([LEAD, L2, prompt, L3]) + "\n")
    assert prompt not in cleaned.text
    said = "Get the briefing from the coastguard first, she said."
    cleaned = clean_text("\n\n".join([LEAD, L2, said, L3]) + "\n")
    assert said in cleaned.text


def test_a_poll_s_answers_run_together_on_one_line() -> None:
    poll = ["Should the weekend be Friday and Saturday?", "Yes No"]
    cleaned = clean_text("\n\n".join([LEAD, L2, L3, *poll]) + "\n")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"


def test_a_wire_story_s_summary_box_above_it_goes() -> None:
    box = ["Summary", "- Exporters wait weeks for wagons", "- Union asks railway for priority"]
    cleaned = clean_text("\n\n".join([*box, LEAD, L2, L3]) + "\n", title="Grain piles up")
    assert cleaned.text == f"{LEAD}\n\n{L2}\n\n{L3}"


def _results_page(wrapper: str) -> str:
    rows = "".join(
        f"<tr><td>{name}</td><td>{votes}</td></tr>"
        for name, votes in (("Marla Quist", "1,212"), ("Dale Eickhoff", "1,036"))
    )
    return (
        "<html><head><title>School board results</title></head><body><article>"
        f"<h1>Voters return one incumbent</h1><p>{LEAD}</p>"
        f'<div class="{wrapper}"><table><thead><tr><th>Candidate</th><th>Votes</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></div><p>{L2}</p><p>{L3}</p>"
        "</article></body></html>"
    )


def test_a_data_table_in_an_embed_s_wrapper_is_read() -> None:
    text = _text(_results_page("embed-responsive tnt-table-embed"))
    assert "Marla Quist" in text and "Dale Eickhoff" in text
    assert all(p in text for p in (LEAD, L2, L3))


def _described(dek: str) -> str:
    return (
        "<html><head><title>Robot skills centre opens</title>"
        f'<meta name="description" content="{STANDFIRST}"></head><body><article>'
        f"<h1>Robot skills centre opens for small manufacturers</h1>{dek}"
        f"<p>{L2}</p><p>{L3}</p></article></body></html>"
    )


def test_a_block_that_repeats_the_page_s_description_is_the_standfirst() -> None:
    for dek in (
        f'<h2 class="synopsis">{STANDFIRST}</h2>',
        f'<div class="KcpHeO">{STANDFIRST}</div>',
    ):
        page = _described(f"{dek}<p>{LEAD}</p>")
        assert STANDFIRST not in without_standfirsts(page).split("<body>")[1]
    # a bare paragraph that repeats it is the story's first, which the description was cut from
    page = _described(f"<p>{STANDFIRST}, said the company's founder on Monday.</p><p>{LEAD}</p>")
    page = page.replace(
        f'content="{STANDFIRST}"', f'content="{STANDFIRST}, said the company\'s founder on Monday."'
    )
    assert "said the company's founder on Monday" in without_standfirsts(page)


# --- the review's cases: what the new rules must leave alone ---------------------------------

BATHS = "The council voted on Tuesday to close the old swimming baths after engineers found cracks."


def _baths(first: str, rest: str) -> str:
    return (
        f'<html><head><meta name="description" content="{BATHS}"></head><body><article>'
        f"<h1>Baths close</h1>{first}{rest}</article></body></html>"
    )


def test_a_first_paragraph_the_description_was_cut_from_stays() -> None:
    plain = f"<p>{L2}</p><p>{L3}</p>"
    classed = f'<p class="story-text">{L2}</p><p class="story-text">{L3}</p>'
    wrapped = f'<div class="para"><p>{L2}</p></div><div class="para"><p>{L3}</p></div>'
    for first, rest in (
        (f'<p class="lead">{BATHS}</p>', plain),
        (f'<p class="intro">{BATHS}</p>', plain),
        (f"<div><p>{BATHS}</p></div>", plain),
        (f'<p class="story-text">{BATHS}</p>', classed),
        (f'<div class="para"><p>{BATHS}</p></div>', wrapped),
    ):
        assert BATHS in _text(_baths(first, rest)), first
    assert BATHS not in _text(_baths(f'<h2 class="synopsis">{BATHS}</h2>', f"<p>{LEAD}</p>{plain}"))


def test_questions_answered_in_a_story_are_no_poll() -> None:
    for lines in (
        ["The question on the ballot reads: Shall the district issue bonds?", "Yes", "No"],
        ["Was she afraid?", "No.", "Yes."],
        ["Were you at the lake that night?", "No", "No"],
        ["Will it rain tomorrow?", "Maybe", "Maybe"],
    ):
        cleaned = clean_text("\n\n".join([LEAD, L2, *lines, L3]) + "\n")
        assert lines[0] in cleaned.text, lines


def test_story_sentences_like_the_new_notices_stay() -> None:
    story = [
        "Comments (3) from the minister: none were helpful, critics said.",
        "The company said it is not responsible for users' comments posted on the forum, a "
        "claim the court rejected.",
        "Officer Jane Smith can be reached at jsmith@police.example or 555-0134.",
    ]
    cleaned = clean_text("\n\n".join([LEAD, *story, L2, L3]) + "\n")
    assert all(line in cleaned.text for line in story)
