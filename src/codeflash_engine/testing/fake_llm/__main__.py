"""Run the fake LLM as its own process: ``python -m codeflash_engine.testing.fake_llm``.

It prints ``FAKE_LLM_URL=http://127.0.0.1:<port>`` on the first line of stdout once it listens
(so a parent started with ``--port 0`` learns the port), serves until SIGINT/SIGTERM, and lists
what it received at ``GET /_fake/requests``.
"""

import argparse
import contextlib
import signal
import sys
import threading

from codeflash_engine.testing.fake_llm.script import Reply
from codeflash_engine.testing.fake_llm.server import DEFAULT_REPLY, FakeLLM


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m codeflash_engine.testing.fake_llm")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--reply", default=DEFAULT_REPLY.text, help="the text every request gets")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument(
        "--latency-jitter", type=float, default=0.0, help="plus up to this many seconds, uniformly random"
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeLLM(
        default=Reply(args.reply),
        latency=args.latency,
        latency_jitter=args.latency_jitter,
        host=args.host,
        port=args.port,
    ) as fake:
        print(f"FAKE_LLM_URL={fake.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    sys.exit(0)


if __name__ == "__main__":
    main()
