"""The bare endpoint the benchmark compares throughput with: Flask returning constant JSON,
served by the same gunicorn configuration as finder."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def constant():
    return jsonify(status="ok", results=[])
