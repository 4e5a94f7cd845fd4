"""interviewer: practise broad system-design and cloud-infrastructure interviews in the terminal."""

__version__ = "0.1.0"
