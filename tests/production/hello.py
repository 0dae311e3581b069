"""The Flask ceiling: a one-route app that `make bench` compares the site with."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Say hello; nothing else."""
    return "Hello, World!"
