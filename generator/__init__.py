"""Static-site generator for the public notice portal of the pilot that grants researchers
ownership or long-term use of job-related scientific achievements (职务科技成果赋权公示平台)."""

__version__ = "0.1.0"
