"""An Ollama-speaking server for the bench/ and scripts/ tools that run the real binary.

It answers GET / , /api/version and /api/tags (one model), and POST /api/generate and
/api/chat with a fixed document (streamed as NDJSON, or whole with "stream": false; an empty
prompt is a preload). `python3 bench/fakeollama.py [--port N]` serves until killed.
"""

import argparse
import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "bench-model:1b"

SOURCE = '''def clamp(value, low, high):
    """Keep value within [low, high]."""
    if value < low:
        return low
    if value > high:
        return high
    return value


def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    for d in range(2, n):
        if n % d == 0:
            return "composite"
    return "prime"
'''

DOCUMENT = ("## Overview\n\n`clamp` keeps a value within the closed range from `low` to `high`: "
            "below the range it returns `low`, above it `high`, else the value itself.\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, body, content_type="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/api/version":
            self.reply(b'{"version":"0.5.0"}')
        elif self.path == "/api/tags":
            self.reply(json.dumps({"models": [{"name": MODEL, "model": MODEL, "size": 1}]})
                       .encode())
        else:
            self.reply(b"Ollama is running", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        prompt = request.get("prompt", "") or "".join(
            m.get("content", "") for m in request.get("messages", []))
        chat = self.path == "/api/chat"
        final = {"model": MODEL, "created_at": "2026-11-30T10:00:00Z", "done": True,
                 "done_reason": "stop", "total_duration": 1000000, "prompt_eval_count": 10,
                 "eval_count": 20, "eval_duration": 1000000}
        if not prompt or request.get("stream") is False:
            text = "" if not prompt else DOCUMENT
            final["message" if chat else "response"] = (
                {"role": "assistant", "content": text} if chat else text)
            self.reply(json.dumps(final).encode())
            return
        lines = []
        for word in DOCUMENT.split(" "):
            piece = word + " "
            lines.append({"model": MODEL, "created_at": "2026-11-30T10:00:00Z", "done": False,
                          **({"message": {"role": "assistant", "content": piece}} if chat
                             else {"response": piece})})
        final["message" if chat else "response"] = (
            {"role": "assistant", "content": ""} if chat else "")
        lines.append(final)
        body = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
        self.reply(body, "application/x-ndjson")


def start(port=0):
    """Serves on 127.0.0.1 in a background thread; returns the server (server_address[1])."""
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def sample_repository(folder):
    """A git repository with one Python file of two functions worth documenting."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "numbers.py"), "w") as f:
        f.write(SOURCE)
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Add numbers"]):
        subprocess.run(["git", "-C", folder, *args], check=True, capture_output=True, env=env)


def main():
    global MODEL
    parser = argparse.ArgumentParser(description="Serve a fake Ollama on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=11434)
    parser.add_argument("--model", default=MODEL, help="the model /api/tags lists")
    args = parser.parse_args()
    MODEL = args.model
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
