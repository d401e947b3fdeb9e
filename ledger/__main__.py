"""`python -m ledger` and the `ledger` command: Ctrl-C while Python is still starting ends quietly too."""

import os
import signal


def _interrupted(number, frame):
    os.write(2, "已中断。\n".encode())
    os._exit(130)


def main():
    # before the imports: from here until cli.main takes over, and after it hands back, Ctrl-C is a clean stop
    signal.signal(signal.SIGINT, _interrupted)
    from ledger.cli import main as run  # noqa: PLC0415

    run()


if __name__ == "__main__":
    main()
