"""Home: the rubric bank, filterable; the chosen question; length and mode; recent sessions; start."""

from __future__ import annotations

import gc
import re
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from interviewer.domain import Persona
from interviewer.safe import terminal_safe
from interviewer.tui import bank
from interviewer.tui.bank import matches
from interviewer.tui.base import AppScreen, while_shown
from interviewer.tui.widgets.lists import KeyedOptionList, clip

if TYPE_CHECKING:
    from interviewer.config import Settings
    from interviewer.domain import SessionRecord
    from interviewer.llm.base import Model
    from interviewer.rubric import StoredRubric
    from interviewer.tui.bank import Listed
    from interviewer.views import ModelOffer

__all__ = ["HomeScreen", "matches"]


def _line(summary: Listed) -> Option:
    return Option(
        f"{escape(terminal_safe(summary.title))}\n[dim]{escape(terminal_safe(summary.topic))} · "
        f"{summary.difficulty} · {summary.minutes} min[/dim]",
        id=summary.id,
    )


class HomeScreen(AppScreen):
    """Pick a question and start."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", id="home.start", priority=True),
        Binding("h", "history", "History", id="home.history"),
        Binding("e", "edit", "Edit", id="home.edit"),
        Binding("c", "clone", "Clone", id="home.clone"),
        Binding("n", "new_rubric", "New", id="home.new"),
        Binding("slash,ctrl+f", "focus_filter", "Filter", id="home.filter", key_display="/"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[Listed] = list(bank.remembered(self._db_url()) or [])
        self.selected: StoredRubric | None = None
        self.offer: ModelOffer | None = None
        self.settings: Settings | None = None
        self.is_loaded = False
        self.recent: list[SessionRecord] = []
        self._recent_width = 0
        """The list and everything else come from the database (until then, from the remembered list)."""

    def _db_url(self) -> str | None:
        return getattr(self.app, "db_url", None)

    def compose(self) -> ComposeResult:
        # Everything is composed at once, with the rubric list this database showed last time, so the first
        # frame is usable; the database (opened in a worker) then refreshes the list and the rest.
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="bank"):
                yield Input(placeholder="/ Filter: title, topic, tag, level", id="filter", compact=True)
                options = KeyedOptionList(*map(_line, self.summaries), id="rubrics", compact=True)
                if not self.summaries:
                    options.add_option(Option("Loading the rubric bank…", disabled=True))
                yield options
            with Vertical(id="detail"):
                with VerticalScroll(id="preview-scroll", can_focus=False):  # Tab goes from the list to the choices
                    yield Static("", id="preview")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#rubrics", OptionList)
        options.focus()
        if self.summaries:
            options.highlighted = 0
        self.call_after_refresh(self._finish_layout)

    async def _finish_layout(self) -> None:
        """The choices under the question, mounted once the list is on screen (picking a rubric needs none)."""
        personas = [(persona.value, persona.value) for persona in Persona]
        manner = "The interviewer's manner: " + "; ".join(p.described for p in Persona)
        await self.query_one("#detail").mount_all(
            [
                Horizontal(
                    Label("Minutes"),
                    Input(type="integer", id="minutes", max_length=3, compact=True),
                    Checkbox("Timed", True, id="timed", compact=True),
                    Label("Manner"),
                    Select(personas, value="neutral", allow_blank=False, id="persona", compact=True, tooltip=manner),
                    id="settings",
                ),
                Horizontal(
                    Label("Interviewer"),
                    Select([("built-in offline", "offline")], value="offline", allow_blank=False, id="provider"),
                    id="provider-row",
                ),
                Static("Interviewer: built-in offline (no network, no key).", id="model"),
                Label("Recent sessions", classes="section"),
                DataTable(id="recent", cursor_type="row"),
            ]
        )
        self.query_one("#provider", Select).compact = True
        self.call_after_refresh(self.load)  # the database's imports and queries wait for the first frame

    def on_screen_resume(self) -> None:
        if self.selected is not None:
            self.load()

    @work(thread=True, exclusive=True, group="home-load")
    def load(self) -> None:
        try:
            summaries = self.practice.rubrics()
            recent = self.practice.history(limit=8)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.app.call_from_thread(self.notify, str(exc), title="Cannot open the database", severity="error")
            return
        self.app.call_from_thread(self._show, summaries, recent)
        bank.remember(self._db_url(), summaries)
        self.find_models()

    @work(thread=True, exclusive=True, group="home-models")
    def find_models(self) -> None:
        """The interviewers on offer: offline, the configured provider, and a local Ollama if one runs."""
        from interviewer.usecases import PracticeError

        try:
            settings = self.practice.settings()
            offer = self.practice.models_on_offer(settings)
        except PracticeError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Config file problem", severity="warning")
            return
        self.app.call_from_thread(self._show_models, settings, offer)

    @while_shown
    def _show_models(self, settings: Settings, offer: ModelOffer) -> None:
        self.interviewer.settings = self.settings = settings
        self.offer = offer
        chooser: Select[str] = self.query_one("#provider", Select)
        chooser.set_options([(choice.label, choice.key) for choice in offer.choices])
        chooser.value = offer.default
        self.query_one("#persona", Select).value = settings.persona
        self.query_one("#timed", Checkbox).value = settings.timed
        self.query_one("#model", Static).update(offer.line_for(offer.default))
        if self.selected is not None:
            self._show_minutes(self.selected)

    @on(Select.Changed, "#provider")
    def _interviewer_chosen(self, event: Select.Changed) -> None:
        if self.offer is not None and isinstance(event.value, str):
            self.query_one("#model", Static).update(self.offer.line_for(event.value))

    def chosen_model(self) -> Model:
        """The model the interviewer chooser names (offline when nothing else is configured)."""
        from interviewer.views import ModelChoice

        key = self.query_one("#provider", Select).value
        if self.offer is None or not isinstance(key, str):
            return self.practice.model(ModelChoice("offline"))
        return self.practice.model(self.offer.choice(key))

    @while_shown
    def _show(self, summaries: list[Listed], recent: list[SessionRecord]) -> None:
        gc.freeze()  # start-up is over: keep its objects out of later collections
        self.summaries = summaries
        self.is_loaded = True
        self._fill(self.query_one("#filter", Input).value)
        highlighted = self.query_one("#rubrics", OptionList).highlighted_option
        if highlighted is not None and highlighted.id:
            self.preview(highlighted.id)
        self.recent = recent
        self._show_recent()

    def on_resize(self) -> None:
        if self.is_loaded and self.query_one("#detail").size.width != self._recent_width:
            self._show_recent()

    def _show_recent(self) -> None:
        """The recent sessions, every column kept: the rubric column shortens to fit, ending in "…"."""
        table = self.query_one("#recent", DataTable)
        table.clear(columns=True)
        self._recent_width = self.query_one("#detail").size.width
        rows = [
            (
                f"{s.started_at:%m-%d %H:%M}",
                s.rubric_id,
                f"{s.overall:.0f} {s.band}" if s.overall is not None else "-",
                s.status.value,
                str(s.id),
            )
            for s in self.recent
        ]
        labels = ("Date", "Rubric", "Score", "Status")
        widths = [max([len(labels[i]), *(len(row[i]) for row in rows)]) for i in range(4)]
        room = max(8, self._recent_width - sum(widths[i] + 2 for i in (0, 2, 3)) - 6)  # padding, a scroll bar
        widths[1] = min(widths[1], room)
        for label, width in zip(labels, widths, strict=True):  # fixed widths: drawn the same at once
            table.add_column(label, width=width)
        for date, rubric, score, status, key in rows:
            table.add_row(date, clip(rubric, room), score, status, key=key)

    def _fill(self, query: str) -> None:
        options = self.query_one("#rubrics", OptionList)
        chosen = options.highlighted_option.id if options.highlighted_option else None
        shown = [s for s in self.summaries if matches(s, query)]
        options.clear_options()
        options.add_options(map(_line, shown))
        if shown:
            ids = [s.id for s in shown]
            options.highlighted = ids.index(chosen) if chosen in ids else 0
        else:
            self.selected = None
            self.query_one("#preview", Static).update("No rubric matches the filter.")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":  # Enter in the filter goes to the list it filtered
            self.query_one("#rubrics", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "rubrics" and event.option.id and self.is_loaded:
            self.preview(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "rubrics":
            self.action_start()

    @work(thread=True, exclusive=True, group="home-preview")
    def preview(self, rubric_id: str) -> None:
        from interviewer.usecases import PracticeError

        try:
            stored = self.practice.rubric(rubric_id)
        except PracticeError:
            return  # deleted meanwhile; the list reloads on its own
        self.app.call_from_thread(self._show_preview, stored)

    @while_shown
    def _show_preview(self, stored: StoredRubric) -> None:
        highlighted = self.query_one("#rubrics", OptionList).highlighted_option
        if highlighted is not None and highlighted.id != stored.id:
            return  # a slower load for a rubric no longer highlighted
        self.selected = stored
        rubric = stored.rubric
        tags = ", ".join(rubric.tags) or "none"
        question = re.sub(r"(?<!\n)\n(?!\n)", " ", rubric.question.strip())  # the file's line breaks, not the author's
        origin = "bundled" if stored.bundled else "yours"
        if stored.author and not stored.bundled:
            origin += f", by {stored.author}"
        self.query_one("#preview", Static).update(
            f"[b]{escape(terminal_safe(rubric.title))}[/b]\n\n{escape(terminal_safe(question))}\n\n"
            f"[dim]{escape(terminal_safe(rubric.topic))} · {rubric.difficulty} · {len(rubric.criteria)} criteria · "
            f"tags: {escape(terminal_safe(tags))} · version {stored.version} ({origin})[/dim]"
        )
        self._show_minutes(stored)

    def _show_minutes(self, stored: StoredRubric) -> None:
        remembered = self.settings.minutes.get(stored.id) if self.settings else None
        self.query_one("#minutes", Input).value = str(remembered or stored.rubric.minutes)

    def action_start(self) -> None:
        if self.selected is None:
            self.notify("Pick a rubric first.", title="Nothing to start")
            return
        raw = self.query_one("#minutes", Input).value
        minutes = int(raw) if raw.isdigit() else self.selected.rubric.minutes
        if not 1 <= minutes <= 240:
            self.notify("Choose between 1 and 240 minutes.", title="Length out of range", severity="warning")
            return
        persona = self.query_one("#persona", Select).value
        provider = self.query_one("#provider", Select).value
        timed = self.query_one("#timed", Checkbox).value
        try:
            interview = self.practice.start(
                self.selected,
                minutes=minutes,
                timed=timed,
                model=self.chosen_model(),
                persona=Persona(persona) if isinstance(persona, str) else None,
            )
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), title="Cannot start the interview", severity="error")
            return
        self._remember_choices(self.selected, minutes, timed, persona, provider)
        self.interviewer.open_interview(interview)

    def _remember_choices(
        self, stored: StoredRubric, minutes: int, timed: bool, persona: object, provider: object
    ) -> None:
        """Keep what was chosen in the config file, so the next start offers the same."""
        from interviewer.config import ConfigError, update_config

        lengths = dict(self.settings.minutes) if self.settings else {}
        if minutes == stored.rubric.minutes:
            lengths.pop(stored.id, None)
        else:
            lengths[stored.id] = minutes
        values = {"minutes": lengths, "timed": timed, "persona": persona, "interviewer": provider}
        try:
            update_config(**{k: v for k, v in values.items() if isinstance(v, (str, bool, dict))})
        except (ConfigError, OSError) as exc:
            self.notify(f"Your choices were not remembered: {exc}", title="Config file problem", severity="warning")

    def action_history(self) -> None:
        self.interviewer.open_history()

    def action_edit(self) -> None:
        if self.selected is not None:
            self.interviewer.open_editor(self.selected.source)

    def action_clone(self) -> None:
        if self.selected is not None:
            self.interviewer.open_editor(self.selected.source, clone=True)

    def action_new_rubric(self) -> None:
        self.interviewer.open_editor(None)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()
