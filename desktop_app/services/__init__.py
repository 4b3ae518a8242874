"""Use cases the UI calls. Each service takes what it needs in its constructor; none is a global."""
