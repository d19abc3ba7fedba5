/// The Python program behind `SMTPTestServer`, kept in a Swift string so that SwiftPM needs no
/// resource declaration for it; the server writes it into its own temporary directory.
enum SMTPServerScript {
    static let source = #"""
    """A loopback SMTP server for Rotor's tests, on aiosmtpd (Debian: python3-aiosmtpd).

    Each accepted message is written to MAILDIR/<n>.json before the 250 reply: the envelope, the raw
    message, and headers and body as Python's own e-mail parser reads them, so that the tests check the
    wire format against an independent implementation. Prints "READY <port>" once listening.
    """
    import argparse, asyncio, email, email.policy, json, os, ssl, sys, threading
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "smtps"], default="plain")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--refuse", action="append", default=[], help="recipient answered with 550")
    parser.add_argument("--defer", action="append", default=[], help="recipient answered with 451")
    args = parser.parse_args()


    class Handler:
        def __init__(self):
            self.count = 0

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address in args.refuse:
                return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
            if address in args.defer:
                return f"451 4.3.0 <{address}>: Temporary local problem, try again later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            raw = envelope.original_content
            message = email.message_from_bytes(raw, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "raw": raw.decode("utf-8", errors="replace"),
                "headers": [[name, str(value)] for name, value in message.items()],
                "subject": str(message["subject"]),
                "body": body.get_content() if body is not None else None,
                "defects": [type(defect).__name__ for defect in message.defects],
                "authenticated_as": session.auth_data.login.decode() if session.authenticated else None,
                "tls": session.ssl is not None or args.mode == "smtps",
            }
            self.count += 1
            path = os.path.join(args.maildir, "%04d.json" % self.count)
            with open(path + ".tmp", "w") as file:
                json.dump(record, file)
            os.rename(path + ".tmp", path)
            return "250 2.0.0 Message accepted for delivery"


    def authenticator(server, session, envelope, mechanism, auth_data):
        valid = (isinstance(auth_data, LoginPassword)
                 and auth_data.login == args.user.encode() and auth_data.password == args.password.encode())
        return AuthResult(success=valid, handled=False, auth_data=auth_data)


    def tls_context():
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        return context


    async def main():
        loop = asyncio.get_running_loop()
        handler = Handler()
        options = {"hostname": "rotor-test-smtp"}
        if args.user is not None:
            # AUTH is required, so a client that skipped it is refused rather than silently accepted.
            options.update(authenticator=authenticator, auth_required=True)
        if args.mode == "starttls":
            options.update(tls_context=tls_context(), require_starttls=True)
        if args.mode == "smtps":
            # The whole connection is TLS, which aiosmtpd's STARTTLS-minded AUTH check does not see.
            options.update(auth_require_tls=False)
        server = await loop.create_server(
            lambda: SMTP(handler, loop=loop, **options), host="127.0.0.1", port=0,
            ssl=tls_context() if args.mode == "smtps" else None)
        print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    # The test process holds our stdin open; when it goes, even by a crash, so does this server.
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()
    asyncio.run(main())
    """#
}
