"""Home: the rubric bank, filterable; the chosen question; length and mode; recent sessions; start."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

if TYPE_CHECKING:
    from interviewer.store import RubricSummary, StoredRubric


def matches(summary: RubricSummary, query: str) -> bool:
    """Every word of the query appears in the rubric's id, title, topic, difficulty or tags."""
    haystack = " ".join([summary.id, summary.title, summary.topic, summary.difficulty, *summary.tags]).lower()
    return all(word in haystack for word in query.lower().split())


class HomeScreen(Screen[None]):
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

    def compose(self) -> ComposeResult:
        # The first frame is light (header and a line of text), so the app paints at once;
        # the full layout is built right after it.
        yield Header()
        yield Static("Loading the rubric bank…", id="home-loading")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        from textual.widgets import DataTable, Footer, Input, Label, Markdown, OptionList, Select, Switch

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
                id="provider-row",
            ),
            Static("Interviewer: built-in offline (no network, no key).", id="model"),
            Label("Recent sessions", classes="section"),
            DataTable(id="recent", cursor_type="row"),
            id="detail",
        )
        await self.query_one("#home-loading").remove()
        await self.mount_all([Horizontal(bank, detail, id="home"), Footer()])
        self.query_one("#recent").add_columns("Date", "Rubric", "Score", "Status")
        self.query_one("#rubrics").focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.summaries:
            self.load()

    @work(thread=True, exclusive=True, group="home-load")
    def load(self) -> None:
        try:
            repository = self.app.repository()  # type: ignore[attr-defined]
            summaries = repository.list_rubrics()
            recent = repository.list_sessions(limit=8)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.app.call_from_thread(self.notify, str(exc), title="Cannot open the database", severity="error")
            return
        self.app.call_from_thread(self._show, summaries, recent)
        self.find_models()

    @work(thread=True, exclusive=True, group="home-models")
    def find_models(self) -> None:
        """The interviewers on offer: offline, the configured provider, and a local Ollama if one runs."""
        from interviewer.config import ConfigError, load_settings
        from interviewer.llm.select import describe, local_ollama_models

        try:
            settings = load_settings()
        except ConfigError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Config file problem", severity="warning")
            return
        choices = [("built-in offline", "offline")]
        provider = settings.resolved_provider()
        if provider != "offline":
            choices.append((f"{provider}: {settings.resolved_model()}", provider))
        if settings.openai_base_url is None:
            choices += [(f"Ollama: {name}", f"ollama:{name}") for name in local_ollama_models()[:5]]
        self.app.call_from_thread(self._show_models, settings, choices, describe(settings))

    def _show_models(self, settings, choices, line: str) -> None:  # type: ignore[no-untyped-def]
        self.app.settings = settings  # type: ignore[attr-defined]
        chooser = self.query_one("#provider")
        chooser.set_options(choices)
        chooser.value = choices[1][1] if len(choices) > 1 and not choices[1][1].startswith("ollama:") else "offline"
        self.query_one("#model").update(line)

    def chosen_model(self):  # type: ignore[no-untyped-def]
        """The model the interviewer chooser names (offline when nothing else is configured)."""
        from interviewer.config import Settings
        from interviewer.llm.select import make_model

        settings = getattr(self.app, "settings", None) or Settings()
        value = str(self.query_one("#provider").value)
        if value == "offline":
            settings = settings.model_copy(update={"provider": "offline"})
        elif value.startswith("ollama:"):
            settings = settings.model_copy(
                update={
                    "provider": "openai-compatible",
                    "model": value.split(":", 1)[1],
                    "openai_base_url": "http://localhost:11434/v1",
                }
            )
        return make_model(settings)

    def _show(self, summaries: list[RubricSummary], recent: list) -> None:  # type: ignore[type-arg]
        gc.freeze()  # start-up is over: keep its objects out of later collections
        self.summaries = summaries
        self._fill(self.query_one("#filter").value)
        table = self.query_one("#recent")
        table.clear()
        for session in recent:
            score = f"{session.overall:.0f} {session.band}" if session.overall is not None else "-"
            table.add_row(
                f"{session.started_at:%m-%d %H:%M}", session.rubric_id, score, session.status.value, key=str(session.id)
            )

    def _fill(self, query: str) -> None:
        options = self.query_one("#rubrics")
        chosen = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        shown = [s for s in self.summaries if matches(s, query)]
        from textual.widgets.option_list import Option

        options.add_options(
            Option(f"{s.title}\n[dim]{s.topic} · {s.difficulty} · {s.minutes} min[/dim]", id=s.id) for s in shown
        )
        if shown:
            ids = [s.id for s in shown]
            options.highlighted = ids.index(chosen) if chosen in ids else 0
        else:
            self.query_one("#preview").update("No rubric matches the filter.")

    def on_input_changed(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.input.id == "filter":
            self._fill(event.value)

    def on_option_list_option_highlighted(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.option_list.id == "rubrics" and event.option.id:
            self.preview(event.option.id)

    def on_option_list_option_selected(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.option_list.id == "rubrics":
            self.action_start()

    @work(thread=True, exclusive=True, group="home-preview")
    def preview(self, rubric_id: str) -> None:
        stored = self.app.repository().get_rubric(rubric_id)  # type: ignore[attr-defined]
        if stored is not None:
            self.app.call_from_thread(self._show_preview, stored)

    def _show_preview(self, stored: StoredRubric) -> None:
        highlighted = self.query_one("#rubrics").highlighted_option
        if highlighted is not None and highlighted.id != stored.id:
            return  # a slower load for a rubric no longer highlighted
        self.selected = stored
        rubric = stored.rubric
        tags = ", ".join(rubric.tags) or "none"
        self.query_one("#preview").update(
            f"## {rubric.title}\n\n{rubric.question.strip()}\n\n"
            f"*{rubric.topic} · {rubric.difficulty} · {len(rubric.criteria)} criteria · tags: {tags} · "
            f"version {stored.version}*"
        )
        self.query_one("#minutes").value = str(rubric.minutes)

    def action_start(self) -> None:
        if self.selected is None:
            self.notify("Pick a rubric first.", title="Nothing to start")
            return
        raw = self.query_one("#minutes").value
        minutes = int(raw) if raw.isdigit() else self.selected.rubric.minutes
        if not 1 <= minutes <= 240:
            self.notify("Choose between 1 and 240 minutes.", title="Length out of range", severity="warning")
            return
        from interviewer.engine import Interview
        from interviewer.tui.screens.interview import InterviewScreen

        timed = self.query_one("#timed").value
        try:
            interview = Interview.begin(
                self.app.repository(),  # type: ignore[attr-defined]
                self.selected,
                minutes=minutes,
                timed=timed,
                clock=self.app.clock,  # type: ignore[attr-defined]
                model=self.chosen_model(),
            )
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), title="Cannot start the interview", severity="error")
            return
        self.app.push_screen(InterviewScreen(interview))

    def action_history(self) -> None:
        from interviewer.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def _open_editor(self, text: str, *, clone: bool) -> None:
        from interviewer.tui.screens.editor import RubricEditorScreen

        self.app.push_screen(RubricEditorScreen(text, clone=clone))

    def action_edit(self) -> None:
        if self.selected is not None:
            self._open_editor(self.selected.source, clone=False)

    def action_clone(self) -> None:
        if self.selected is not None:
            self._open_editor(self.selected.source, clone=True)

    def action_new_rubric(self) -> None:
        from interviewer.tui.screens.editor import TEMPLATE

        self._open_editor(TEMPLATE, clone=False)

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()
