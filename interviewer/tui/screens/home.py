"""Home: the rubric bank, filterable; the chosen question; length and mode; recent sessions; start."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Markdown, OptionList, Select, Static, Switch

from interviewer.domain import Persona
from interviewer.tui.base import AppScreen

if TYPE_CHECKING:
    from interviewer.config import Settings
    from interviewer.domain import SessionRecord
    from interviewer.llm.base import Model
    from interviewer.rubric import RubricSummary, StoredRubric
    from interviewer.views import ModelOffer


def matches(summary: RubricSummary, query: str) -> bool:
    """Every word of the query appears in the rubric's id, title, topic, difficulty or tags (tags normalised, so
    "load balancing" finds the tag "load-balancing" and the other way round)."""
    from interviewer.rubric.model import tag_words

    fields = [summary.id, summary.title, summary.topic, summary.difficulty, *summary.tags]
    haystack = tag_words(" ".join(fields))
    return all(word in haystack for word in tag_words(query).split())


class HomeScreen(AppScreen):
    """Pick a question and start."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start interview", id="home.start", priority=True),
        Binding("f2", "history", "History", id="home.history"),
        Binding("f3", "edit", "Edit rubric", id="home.edit"),
        Binding("f4", "clone", "Clone rubric", id="home.clone"),
        Binding("f5", "new_rubric", "New rubric", id="home.new"),
        Binding("ctrl+f", "focus_filter", "Filter", id="home.filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[RubricSummary] = []
        self.selected: StoredRubric | None = None
        self.offer: ModelOffer | None = None

    def compose(self) -> ComposeResult:
        # The first frame is light (header and a line of text), so the app paints at once;
        # the full layout is built right after it.
        yield Header()
        yield Static("Loading the rubric bank…", id="home-loading")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        from textual.widgets import Footer, Label

        bank = Vertical(
            Input(placeholder="Filter: words of the title, topic, tag or level", id="filter"),
            OptionList(id="rubrics"),
            id="bank",
        )
        detail = Vertical(
            VerticalScroll(Markdown("Loading the rubric bank…", id="preview"), id="preview-scroll"),
            Horizontal(
                Label("Minutes"),
                Input(type="integer", id="minutes", max_length=3),
                Label("Timed"),
                Switch(value=True, id="timed"),
                id="settings",
            ),
            Horizontal(
                Label("Interviewer"),
                Select([("built-in offline", "offline")], value="offline", allow_blank=False, id="provider"),
                Select(
                    [(persona.value, persona.value) for persona in Persona],
                    value=Persona.NEUTRAL.value,
                    allow_blank=False,
                    id="persona",
                    tooltip="The interviewer's manner: " + "; ".join(p.described for p in Persona),
                ),
                id="provider-row",
            ),
            Static("Interviewer: built-in offline (no network, no key).", id="model"),
            Label("Recent sessions", classes="section"),
            DataTable(id="recent", cursor_type="row"),
            id="detail",
        )
        await self.query_one("#home-loading").remove()
        await self.mount_all([Horizontal(bank, detail, id="home"), Footer()])
        self.query_one("#recent", DataTable).add_columns("Date", "Rubric", "Score", "Status")
        self.query_one("#rubrics", OptionList).focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.summaries:
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

    def _show_models(self, settings: Settings, offer: ModelOffer) -> None:
        self.interviewer.settings = settings
        self.offer = offer
        chooser: Select[str] = self.query_one("#provider", Select)
        chooser.set_options([(choice.label, choice.key) for choice in offer.choices])
        chooser.value = offer.default
        self.query_one("#persona", Select).value = settings.persona
        self.query_one("#model", Static).update(offer.line)

    def chosen_model(self) -> Model:
        """The model the interviewer chooser names (offline when nothing else is configured)."""
        from interviewer.views import ModelChoice

        key = self.query_one("#provider", Select).value
        if self.offer is None or not isinstance(key, str):
            return self.practice.model(ModelChoice("offline"))
        return self.practice.model(self.offer.choice(key))

    def _show(self, summaries: list[RubricSummary], recent: list[SessionRecord]) -> None:
        gc.freeze()  # start-up is over: keep its objects out of later collections
        self.summaries = summaries
        self._fill(self.query_one("#filter", Input).value)
        table = self.query_one("#recent", DataTable)
        table.clear()
        for session in recent:
            score = f"{session.overall:.0f} {session.band}" if session.overall is not None else "-"
            table.add_row(
                f"{session.started_at:%m-%d %H:%M}", session.rubric_id, score, session.status.value, key=str(session.id)
            )

    def _fill(self, query: str) -> None:
        options = self.query_one("#rubrics", OptionList)
        chosen = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        shown = [s for s in self.summaries if matches(s, query)]
        from rich.markup import escape
        from textual.widgets.option_list import Option

        from interviewer.render import terminal_safe

        options.add_options(
            Option(
                f"{escape(terminal_safe(s.title))}\n[dim]{escape(terminal_safe(s.topic))} · {s.difficulty} · "
                f"{s.minutes} min[/dim]",
                id=s.id,
            )
            for s in shown
        )
        if shown:
            ids = [s.id for s in shown]
            options.highlighted = ids.index(chosen) if chosen in ids else 0
        else:
            self.query_one("#preview", Markdown).update("No rubric matches the filter.")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill(event.value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "rubrics" and event.option.id:
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

    def _show_preview(self, stored: StoredRubric) -> None:
        highlighted = self.query_one("#rubrics", OptionList).highlighted_option
        if highlighted is not None and highlighted.id != stored.id:
            return  # a slower load for a rubric no longer highlighted
        self.selected = stored
        rubric = stored.rubric
        tags = ", ".join(rubric.tags) or "none"
        from interviewer.render import terminal_safe

        self.query_one("#preview", Markdown).update(
            terminal_safe(
                f"## {rubric.title}\n\n{rubric.question.strip()}\n\n"
                f"*{rubric.topic} · {rubric.difficulty} · {len(rubric.criteria)} criteria · tags: {tags} · "
                f"version {stored.version}*"
            )
        )
        self.query_one("#minutes", Input).value = str(rubric.minutes)

    def action_start(self) -> None:
        if self.selected is None:
            self.notify("Pick a rubric first.", title="Nothing to start")
            return
        raw = self.query_one("#minutes", Input).value
        minutes = int(raw) if raw.isdigit() else self.selected.rubric.minutes
        if not 1 <= minutes <= 240:
            self.notify("Choose between 1 and 240 minutes.", title="Length out of range", severity="warning")
            return
        try:
            persona = self.query_one("#persona", Select).value
            interview = self.practice.start(
                self.selected,
                minutes=minutes,
                timed=self.query_one("#timed", Switch).value,
                model=self.chosen_model(),
                persona=Persona(persona) if isinstance(persona, str) else None,
            )
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), title="Cannot start the interview", severity="error")
            return
        self.interviewer.open_interview(interview)

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
