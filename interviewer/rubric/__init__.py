"""The rubric language: the TOML file format for interview questions, parsed, validated and dumped."""

from interviewer.rubric.dump import dump_rubric
from interviewer.rubric.loader import Problem, RubricError, load_rubric_file, parse_rubric, read_rubric_text
from interviewer.rubric.model import Clarification, Concept, Criterion, Curveball, DeepDive, Misconception, Rubric
from interviewer.rubric.versions import ImportResult, RubricInput, RubricSummary, StoredRubric

__all__ = [
    "Clarification",
    "Concept",
    "Criterion",
    "Curveball",
    "DeepDive",
    "ImportResult",
    "Misconception",
    "Problem",
    "Rubric",
    "RubricError",
    "RubricInput",
    "RubricSummary",
    "StoredRubric",
    "dump_rubric",
    "load_rubric_file",
    "parse_rubric",
    "read_rubric_text",
]
