#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real SMTP server on loopback for the tests and the reminder benchmark
# (aiosmtpd), which keeps each message it accepts as a file:
#
#   smtp-sink.py DIR PORT-FILE [--port N] [--tls CERT KEY] [--auth USER PASSWORD-FILE]
#                [--refuse ADDRESS]...
#
# Each message is DIR/msg-N.eml: the message as received, after three
# lines the test reads (X-Sink-From, X-Sink-To, X-Sink-TLS, X-Sink-Auth).
# With --tls, STARTTLS is required before MAIL; with --auth, AUTH
# (PLAIN, LOGIN) is required, and only over TLS.  --refuse answers RCPT
# for that address with 550 (a permanent refusal).  The bound port is
# written to PORT-FILE once the server listens.
import argparse
import asyncio
import itertools
import logging
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, folder, refuse):
        self.folder = folder
        self.refuse = set(refuse)
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return '550 5.1.1 Mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        path = os.path.join(self.folder, 'msg-%06d.eml' % n)
        head = 'X-Sink-From: %s\r\nX-Sink-To: %s\r\nX-Sink-TLS: %s\r\nX-Sink-Auth: %s\r\n' % (
            envelope.mail_from, ','.join(envelope.rcpt_tos),
            'yes' if session.ssl is not None else 'no',
            session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else '-')
        with open(path + '.tmp', 'wb') as f:
            f.write(head.encode() + envelope.original_content)
        os.rename(path + '.tmp', path)
        return '250 Message accepted'


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('folder')
    parser.add_argument('port_file')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--tls', nargs=2, metavar=('CERT', 'KEY'))
    parser.add_argument('--auth', nargs=2, metavar=('USER', 'PASSWORD_FILE'))
    parser.add_argument('--refuse', action='append', default=[])
    args = parser.parse_args()

    context = None
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
    authenticator = None
    if args.auth:
        user = args.auth[0].encode()
        with open(args.auth[1], 'rb') as f:
            password = f.read().strip()

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login == user and data.password == password
            return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    sink = Sink(args.folder, args.refuse)

    def factory():
        return SMTP(sink, hostname='localhost', tls_context=context,
                    require_starttls=context is not None,
                    authenticator=authenticator, auth_required=authenticator is not None,
                    auth_require_tls=context is not None)

    server = await asyncio.get_running_loop().create_server(factory, '127.0.0.1', args.port)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + '.tmp', 'w') as f:
        f.write('%d\n' % port)
    os.rename(args.port_file + '.tmp', args.port_file)
    await server.serve_forever()


logging.basicConfig(level=logging.CRITICAL)
asyncio.run(main())
