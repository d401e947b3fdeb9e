"""`python -m ledger` and the `ledger` command: Ctrl-C at any moment ends with one Chinese line, never a
Python traceback."""

import os
import signal
import sys


def _interrupted(number, frame):
    running = getattr(sys.modules.get("ledger.cli"), "RUNNING", [False])  # absent while cli is still importing
    if running[0]:
        raise KeyboardInterrupt  # a command is running: let its writes clean up, cli.main says the line
    os.write(2, "已中断。\n".encode())
    os._exit(130)


def main():
    signal.signal(signal.SIGINT, _interrupted)  # before the imports: Ctrl-C while starting is a clean stop too
    from ledger.cli import main as run  # noqa: PLC0415

    run()


if __name__ == "__main__":
    main()
