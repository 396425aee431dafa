#!/usr/bin/python3
"""The rig's callback receiver, inside the guest on loopback: every POST body, one JSON line each.

    webhook.py PORT FILE
"""
import http.server
import sys

port, path = int(sys.argv[1]), sys.argv[2]


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(path, "ab") as out:
            out.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.end_headers()


http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
