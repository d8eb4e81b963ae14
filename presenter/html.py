"""Slides as HTML: one slide on the projector (inside the Present page) and the whole deck on
a phone (the audience view at /live). Pure functions from slide content to markup.

The markup loads nothing from another host: charts are inline SVG, styles and the live
script come from this server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from i18n import _, language
from presenter.content import Bars, DeckContent, Slide, SlideTile
from presenter.svg import bars_svg, map_svg
from views.format import exact_text
from views.notes import DEMO_NOTICE, METHOD_PATH, PERTURBED_NOTE


def demo_banner() -> str:
    """The banner of a deck drawn from demo data (markup)."""
    return _("<strong>Demo data.</strong> {notice}").format(notice=escape(_(DEMO_NOTICE)))


@dataclass(frozen=True)
class PageAssets:
    """The stylesheet, script and icon (a data: URI) a page carries inline: a phone then needs
    one request for the whole view (each extra one costs a crowded server more than bytes)."""

    css: str
    js: str
    icon: str


@dataclass(frozen=True)
class ShareLink:
    """Where the audience goes: the full audience URL, its short link and a QR code (SVG)."""

    url: str
    short_url: str
    qr_svg: str


def tile_html(tile: SlideTile, mark: str | None = None) -> str:
    """A headline number; `mark` (e.g. "▲ +1 new") flags a number that just changed."""
    classes = "tile changed" if mark else "tile"
    raw = exact_text(tile.raw)
    parts = [
        f'<div class="{classes}" data-tile="{escape(tile.key)}" data-raw="{raw}">',
        f'<div class="label">{escape(tile.label)}</div>',
        f'<div class="value">{escape(tile.value)}</div>',
    ]
    if tile.delta:
        parts.append(f'<div class="delta">{escape(tile.delta)}</div>')
    if tile.note:
        parts.append(f'<div class="note">{escape(tile.note)}</div>')
    parts.append(f'<div class="mark" role="status">{escape(mark or "")}</div></div>')
    return "".join(parts)


def _chart_html(chart: object, chart_id: str) -> str:
    body = (
        bars_svg(chart, chart_id=chart_id)
        if isinstance(chart, Bars)
        else (
            map_svg(chart, chart_id=chart_id)  # type: ignore[arg-type]
        )
    )
    title = escape(getattr(chart, "title", ""))
    note = getattr(chart, "note", None)
    foot = f'<figcaption class="note">{escape(note)}</figcaption>' if note else ""
    return f'<figure class="chart-box"><h3>{title}</h3>{body}{foot}</figure>'


def share_html(share: ShareLink | None, *, heading: bool = True) -> str:
    """The QR code and the short link of the audience view."""
    if share is None:
        note = escape(_("The share link appears when the deck is presented."))
        return f'<p class="note">{note}</p>'
    short = escape(share.short_url)
    shown = escape(share.short_url.split("://", 1)[-1])
    lead = escape(_("Scan the code or type the link to follow on your phone.")) if heading else ""
    label = escape(_("QR code of {link}").format(link=share.short_url))
    return (
        f'<div class="share"><div class="qr" role="img" aria-label="{label}">'
        f'{share.qr_svg}</div><div class="words"><p class="lead">{lead}</p>'
        f'<p class="short"><a href="{short}">{shown}</a></p></div></div>'
    )


def slide_html(
    slide: Slide,
    *,
    share: ShareLink | None = None,
    marks: Mapping[str, str] | None = None,
) -> str:
    """One slide as a <section>."""
    marks = marks or {}
    parts = [
        f'<section class="slide slide-{slide.key}" id="slide-{slide.key}" '
        f'aria-labelledby="h-{slide.key}">',
        f'<h2 id="h-{slide.key}">{escape(slide.title)}</h2>',
    ]
    if slide.lead:
        parts.append(f'<p class="lead">{escape(slide.lead)}</p>')
    if slide.tiles:
        tiles = "".join(tile_html(t, marks.get(t.key)) for t in slide.tiles)
        parts.append(f'<div class="tiles">{tiles}</div>')
    if slide.charts:
        charts = "".join(
            _chart_html(chart, f"c-{slide.key}-{i}") for i, chart in enumerate(slide.charts)
        )
        parts.append(f'<div class="charts">{charts}</div>')
    if slide.key == "share":
        parts.append(share_html(share))
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in slide.notes)
    parts.append("</section>")
    return "".join(parts)


def source_line(content: DeckContent) -> str:
    """Data as of, source and last change, as under every chart of the dashboard, and that
    the deck's reported figures are the public, perturbed ones."""
    values = {
        "as_of": content.as_of or _("unknown"),
        "source": content.source_label,
        "changed": content.last_changed,
        "protected": _(PERTURBED_NOTE),
    }
    if content.last_changed:
        line = _("Data as of {as_of} · Source: {source} · last changed {changed} · {protected}")
    else:
        line = _("Data as of {as_of} · Source: {source} · {protected}")
    return line.format(**values)


def stage_html(
    content: DeckContent,
    *,
    theme: str,
    share: ShareLink | None = None,
    marks: Mapping[str, str] | None = None,
    status: str = "",
) -> str:
    """Every slide of the deck for the projector, with the data's source line.

    The stylesheet shows only the slide that the position marker (position_html) names, so
    changing slides swaps no markup: the projector never redraws a chart to move on.
    """
    slides = "".join(slide_html(s, share=share, marks=marks) for s in content.slides)
    demo_words = escape(_("Demo data"))
    demo = f'<strong class="demo">{demo_words}</strong> · ' if content.is_demo else ""
    return (
        f'<div class="pact-deck stage" data-theme="{escape(theme)}">{slides}'
        f'<footer class="foot"><span class="source">{demo}{escape(source_line(content))}</span>'
        f'<span class="status">{escape(status)}</span></footer></div>'
    )


def position_html(slide_key: str, position: tuple[int, int], timing: str) -> str:
    """The marker of the slide on screen (the stylesheet shows that slide) and its number."""
    index, total = position
    return (
        f'<div class="pact-now" data-slide="{escape(slide_key)}" aria-live="polite">'
        f"{index + 1} / {total}<span>{escape(timing)}</span></div>"
    )


def audience_page(
    content: DeckContent,
    *,
    theme: str,
    page_url: str,
    feed_url: str,
    dashboard_url: str,
    share: ShareLink | None,
    notices: Sequence[str],
    assets: PageAssets,
    poll_seconds: int,
) -> str:
    """The whole deck as one page for a phone, with its live script and a link onwards."""
    sections = "".join(slide_html(s, share=share) for s in content.slides if s.key != "share")
    notice = ""
    if notices:
        items = "".join(f"<li>{escape(n)}</li>" for n in notices)
        notice = (
            '<div class="notice" role="alert">'
            + _(
                "<strong>Parts of this link were not understood and were ignored.</strong> "
                "Showing the rest:"
            )
            + f"<ul>{items}</ul></div>"
        )
    demo = f'<p class="banner">{demo_banner()}</p>' if content.is_demo else ""
    pass_on = escape(_("Pass it on"))
    share_block = f"<h2>{pass_on}</h2>{share_html(share, heading=False)}" if share else ""
    live = escape(_("Pact for Skills · live"))
    status = escape(_("{period} · updates by itself").format(period=content.period))
    how = _('{source} (<a href="{address}">how</a>).').format(
        source=escape(source_line(content)), address=escape(_method_url(dashboard_url))
    )
    onward = escape(_("Open the full interactive dashboard"))
    return (
        "<!doctype html>"
        f'<html lang="{language_tag()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{live}</title>"
        f'<link rel="icon" href="{escape(assets.icon)}">'
        f"<style>{assets.css}</style></head>"
        f'<body class="pact-deck audience" data-theme="{escape(theme)}">'
        f'<header class="top"><h1>{live}</h1>'
        f'<p class="status" id="status" aria-live="polite">{status}</p></header>'
        f"{notice}"
        f'<main id="deck" data-version="{content.version}" data-feed="{escape(feed_url)}" '
        f'data-page="{escape(page_url)}" data-poll="{poll_seconds}" '
        f'data-words="{escape(json.dumps(live_words(), ensure_ascii=False))}">{demo}{sections}'
        f'<p class="source">{how}</p></main>'
        '<footer class="foot">'
        f'<p><a class="onward" href="{escape(dashboard_url)}">{onward}</a></p>'
        f"{share_block}</footer>"
        f"<script>{assets.js}</script></body></html>"
    )


def language_tag() -> str:
    """The current language as an HTML lang attribute ("qps", the pseudo-locale of tests, is
    in the range of codes kept for private use)."""
    return language()


def live_words() -> dict[str, str]:
    """What the live script says on the phone, in the page's language ({fields} it fills)."""
    return {
        "checked": _("Live · checked at {time}"),
        "updated": _("Updated at {time} · data changed {changed}"),
        "lost": _("Connection lost · showing the last figures · retrying"),
        # Translators: a share that just changed, "+1.2 pp at 14:03:10" (percentage points)
        "points": _("{change} pp at {time}"),
        "count": _("{change} at {time}"),
    }


def _method_url(dashboard_url: str) -> str:
    """The dashboard's page on how public figures are protected, beside the dashboard link."""
    return dashboard_url.split("?", 1)[0].rstrip("/") + METHOD_PATH


def message_page(title: str, message: str, *, css: str, link: tuple[str, str]) -> str:
    """A small page for a link that cannot be shown (unknown short link, overload)."""
    href, text = link
    return (
        f'<!doctype html><html lang="{language_tag()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        '<body class="pact-deck audience" data-theme="light"><main>'
        f'<h1>{escape(title)}</h1><p class="notice" role="alert">{escape(message)}</p>'
        f'<p><a href="{escape(href)}">{escape(text)}</a></p></main></body></html>'
    )
