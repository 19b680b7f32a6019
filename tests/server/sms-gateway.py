#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The SMS gateway's side for the tests: a loopback HTTP server that answers
# Twilio's "send a message" call and keeps each request as a file.
#
#   sms-gateway.py DIR PORT-FILE [--refuse NUMBER]... [--busy N]
#
# POST /2010-04-01/Accounts/SID/Messages.json is kept as DIR/sms-N.json
# ({"path", "authorization", "form"}) and answered 201; a message to a
# --refuse number gets 400 with Twilio's error 21211; the first N requests
# with --busy get 503 (a gateway that is down for a while).
import argparse
import itertools
import json
import os
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument('folder')
parser.add_argument('port_file')
parser.add_argument('--refuse', action='append', default=[])
parser.add_argument('--busy', type=int, default=0)
args = parser.parse_args()
counter = itertools.count(1)
busy = itertools.count(1)
lock = threading.Lock()


class Gateway(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get('Content-Length', '0'))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        if not self.path.startswith('/2010-04-01/Accounts/') or not self.path.endswith('/Messages.json'):
            return self.answer(404, {'code': 20404, 'message': 'Not found'})
        with lock:
            if next(busy) <= args.busy:
                return self.answer(503, {'code': 20500, 'message': 'Service unavailable'})
        if form.get('To') in args.refuse:
            return self.answer(400, {'code': 21211, 'message': "The 'To' number is not a valid phone number."})
        with lock:
            n = next(counter)
        path = os.path.join(args.folder, 'sms-%06d.json' % n)
        with open(path + '.tmp', 'w') as f:
            json.dump({'path': self.path, 'authorization': self.headers.get('Authorization'), 'form': form}, f)
        os.rename(path + '.tmp', path)
        self.answer(201, {'sid': 'SM%032d' % n, 'status': 'queued'})

    def log_message(self, format, *a):
        pass


server = ThreadingHTTPServer(('127.0.0.1', 0), Gateway)
with open(args.port_file + '.tmp', 'w') as f:
    f.write('%d\n' % server.server_address[1])
os.rename(args.port_file + '.tmp', args.port_file)
server.serve_forever()
